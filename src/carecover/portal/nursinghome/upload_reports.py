"""The validation report of one upload, in one shape for every kind of file.

PBJ files (and time-clock exports, which become PBJ files) get CMS's Final
Validation Report (``carecover.pbj.submission.fvr.report_to_dict``); MDS files a list of
refused records; anything unreadable one finding naming file, line and field.
Every report has the same keys, so one template and one JSON download serve
them all::

    status            "accepted" | "rejected"
    file              the name the user's file had
    message           why the file was rejected, in one line (or "")
    notes             plain sentences: "already loaded", rows left out ...
    records_processed / records_accepted / records_rejected
    edits             [{edit, severity, title, count}]  failures per edit
    findings          [{edit, severity, message, line, record, employee, date, field}]
    findings_not_listed  {edit: how many more findings were not kept}
    fvr               the full FVR dictionary (PBJ kinds only)

No resident's name, SSN or birth date goes in: MDS findings carry the record
(CSV line or ZIP member) and the item only, and the text of a problem with an
identifying item is replaced (a bad birth date would otherwise repeat it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from carecover.errors import InputError
from carecover.pbj.submission.edits import edit
from carecover.pbj.submission.fvr import report_to_dict
from carecover.pbj.submission.validation import ValidationReport

__all__ = [
    "IDENTIFYING_ITEMS",
    "MAX_FINDINGS",
    "Renamer",
    "edit_rows",
    "empty_report",
    "error_report",
    "finding",
    "mds_finding",
    "pbj_report",
    "reject",
]

#: MDS items that identify a resident: names, SSN, Medicare/Medicaid numbers, birth date.
IDENTIFYING_ITEMS = frozenset(
    {"A0500A", "A0500B", "A0500C", "A0500D", "A0600A", "A0600B", "A0700", "A0900"}
)
#: Findings kept in a stored report; the counts per edit stay exact beyond it.
MAX_FINDINGS = 1000


class Renamer:
    """Puts the user's file names back where the domain saw the temporary copies."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._given = dict(names)
        # Longest first: a full temporary path before its bare file name.
        self._names = sorted(names.items(), key=lambda item: -len(item[0]))

    def with_name(self, path: Path, original: str) -> Renamer:
        """A renamer that also shows the temporary file ``path`` as ``original``."""
        return Renamer({**self._given, str(path): original, path.name: original})

    def __call__(self, text: str | None) -> str:
        """``text`` with every temporary path or name replaced by the original name."""
        out = text or ""
        for temporary, original in self._names:
            out = out.replace(temporary, original)
        return out


def empty_report(file: str, status: str = "accepted") -> dict[str, Any]:
    """A report with no counts and no findings yet."""
    return {
        "status": status,
        "file": file,
        "message": "",
        "notes": [],
        "records_processed": 0,
        "records_accepted": 0,
        "records_rejected": 0,
        "edits": [],
        "findings": [],
        "findings_not_listed": {},
    }


def finding(
    edit: str,
    severity: str,
    message: str,
    *,
    line: int | None = None,
    record: str | None = None,
    field: str | None = None,
    employee: str | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """One finding as stored in a report."""
    return {
        "edit": edit,
        "severity": severity,
        "message": message,
        "line": line,
        "record": record,
        "employee": employee,
        "date": date,
        "field": field,
    }


def reject(report: dict[str, Any], message: str, findings: Iterable[dict[str, Any]]) -> None:
    """Mark ``report`` rejected with ``message`` and add ``findings`` (fatal) and their counts."""
    added = list(findings)
    report["status"] = "rejected"
    report["message"] = report["message"] or message
    report["findings"] = added + report["findings"]
    report["edits"] = edit_rows(Counter(f["edit"] for f in added), "fatal") + report["edits"]
    report["records_rejected"] = report["records_processed"]
    report["records_accepted"] = 0


def error_report(file: str, error: InputError, rename: Renamer) -> dict[str, Any]:
    """A rejected report for a file the domain could not use at all."""
    report = empty_report(file, "rejected")
    message = rename(str(error))
    report["message"] = message
    report["findings"] = [
        finding(
            "file",
            "fatal",
            rename(error.reason),
            line=error.line,
            record=f"line {error.line}" if error.line else None,
            field=error.field,
        )
    ]
    report["edits"] = edit_rows(Counter({"file": 1}), "fatal")
    return report


def edit_rows(counts: Mapping[str, int], severity: str) -> list[dict[str, Any]]:
    """Rows of the per-edit table for the portal's own checks (file, facility, record)."""
    titles = {
        "file": "The file cannot be used",
        "facility": "The file is for another facility",
        "record": "MDS record refused",
    }
    return [
        {"edit": k, "severity": severity, "title": titles.get(k, k), "count": n}
        for k, n in sorted(counts.items())
    ]


def pbj_report(file: str, report: ValidationReport, rename: Renamer) -> dict[str, Any]:
    """The FVR of a PBJ upload in the common shape (the full FVR kept under ``fvr``)."""
    fvr = report_to_dict(report)
    fvr["source"] = file
    for item in fvr["findings"]:
        item["file"] = rename(item["file"])
    for item in fvr["files"]:
        item["name"] = rename(item["name"])
    out = empty_report(file, fvr["status"])
    out.update(
        {key: fvr[key] for key in ("records_processed", "records_accepted", "records_rejected")}
    )
    out["edits"] = [
        {"edit": k, "severity": edit(k).severity, "title": edit(k).title, "count": int(n)}
        for k, n in sorted(fvr["counts"].items())
    ]
    out["findings"] = [
        finding(
            f["edit"],
            f["severity"],
            f["message"],
            line=f["line"],
            record=f["file"] if len(fvr["files"]) > 1 else None,
            field=f["field"],
            employee=f["employee"],
            date=f["date"],
        )
        for f in fvr["findings"]
    ]
    out["findings_not_listed"] = dict(
        Counter({k: n for item in fvr["files"] for k, n in item["findings_not_listed"].items()})
    )
    if fvr["status"] == "rejected":
        out["message"] = _first_fatal(file, out)
    out["fvr"] = fvr
    return out


def _first_fatal(file: str, report: dict[str, Any]) -> str:
    """``file:line: field: [edit] message (CMS would reject the file: N fatal findings)``."""
    total = sum(e["count"] for e in report["edits"] if e["severity"] == "fatal")
    verdict = f"CMS would reject the file: {total} fatal finding(s)"
    first = next((f for f in report["findings"] if f["severity"] == "fatal"), None)
    if first is None:
        return f"{file}: {verdict}"
    where = ":".join(str(p) for p in (file, first["line"]) if p)
    field = f" {first['field']}:" if first["field"] else ""
    return f"{where}:{field} [{first['edit']}] {first['message']} ({verdict})"


def mds_finding(record: str, item: str, problem: str) -> dict[str, Any]:
    """A refused MDS record's problem, without the value of an identifying item."""
    text = problem
    if item.upper() in IDENTIFYING_ITEMS and not problem.startswith("missing"):
        text = "invalid value (identifying item: the value is not shown)"
    line = int(record[5:]) if record.startswith("line ") and record[5:].isdigit() else None
    return finding("record", "record refused", text, line=line, record=record, field=item)
