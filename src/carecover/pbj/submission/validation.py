"""Validate a PBJ submission (XML or ZIP) the way CMS's Final Validation Report does.

``validate_submission`` opens the upload safely (``xmlsafe``), streams each
XML document once (``reader.iter_raw``) with libxml2 validating it against
the packaged 4.10.0 XSD at the same time, and runs every edit
(``checker.SubmissionChecker``). Memory stays flat: elements are freed as
they stream by and only per-employee daily totals are kept.

XSD complaints carry no line numbers when validated while streaming. A
complaint about an element that a more specific edit already reported (with
its line) is dropped; the rest are reported as edit CC-03, located by a
second, tree-based validation when the document is small enough.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from carecover.pbj.submission.checker import SubmissionChecker, Tally
from carecover.pbj.submission.edits import Finding, FindingLog, edit
from carecover.pbj.submission.reader import (
    RawEmployee,
    RawHeader,
    RawStaffHours,
    RawWorkDay,
    SchemaProblems,
    SectionEnd,
    XmlFormError,
    iter_raw,
)
from carecover.pbj.submission.xmlsafe import (
    Limits,
    XmlSource,
    open_sources,
    pbj_schema,
    secure_parser,
)

__all__ = ["FileReport", "Status", "ValidationReport", "validate_submission"]

Status = Literal["accepted", "rejected"]

# Documents up to this size are parsed a second time, as a tree, only to put
# line numbers on XSD complaints that no specific edit explained.
LOCATE_MAX_BYTES = 64 * 1024 * 1024
_SCHEMA_SUBJECT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?")
_REQUIRED_ATTRIBUTE = re.compile(r"The attribute '([^']+)' is required")
_EXPECTED = re.compile(r"Expected is \( ?([^)]*?) ?\)")
_PBJ_ELEMENTS = frozenset(
    "nursingHomeData header facilityId stateCode reportQuarter federalFiscalYear"
    " softwareVendorName softwareVendorEmail softwareProductName softwareProductVersion"
    " employees employee employeeId hireDate terminationDate staffingHours staffHours"
    " workDays workDay date hourEntries hourEntry hours jobTitleCode payTypeCode".split()
)


@dataclass(frozen=True)
class FileReport:
    """The outcome for one XML document of an upload."""

    name: str
    header: dict[str, str | None]
    quarter: str | None
    deadline: date | None
    tally: Tally
    counts: dict[str, int]
    findings: tuple[Finding, ...]
    truncated: dict[str, int]
    dates_reported: int = 0  # distinct dates of the quarter with a workDay

    @property
    def days_missing(self) -> int:
        """Days of the quarter without any ``<workDay>``: never a day of full staffing."""
        if not self.quarter:
            return 0
        from carecover.pbj.calendar import Quarter

        return max(0, Quarter.parse(self.quarter).days - self.dates_reported)

    @property
    def status(self) -> Status:
        """``rejected`` when any fatal edit failed, else ``accepted``."""
        fatal = any(edit(k).severity == "fatal" for k, n in self.counts.items() if n)
        return "rejected" if fatal else "accepted"

    @property
    def records_processed(self) -> int:
        """Employee records plus staffing (work day) records read."""
        return self.tally.employees + self.tally.days

    @property
    def records_rejected(self) -> int:
        """Records with a fatal finding; every processed record when the file is rejected."""
        if self.status == "rejected":
            return self.records_processed - self.tally.days_not_processed
        return self.tally.employees_rejected + self.tally.days_rejected

    @property
    def records_not_processed(self) -> int:
        """Work days outside the quarter (edit -1010)."""
        return self.tally.days_not_processed

    @property
    def records_accepted(self) -> int:
        """Records neither rejected nor skipped."""
        return self.records_processed - self.records_rejected - self.records_not_processed

    @property
    def hours_by_job_title(self) -> dict[int, float]:
        """Accepted-quarter hours per jobTitleCode (0 = unreadable code)."""
        return {k: v / 100 for k, v in sorted(self.tally.cents_by_job.items())}

    @property
    def hours_by_pay_type(self) -> dict[int, float]:
        """Hours per payTypeCode (0 = unreadable code)."""
        return {k: v / 100 for k, v in sorted(self.tally.cents_by_pay.items())}


@dataclass(frozen=True)
class ValidationReport:
    """The outcome for a whole upload: one ``FileReport`` per XML document."""

    source: str
    submitted_on: date
    files: tuple[FileReport, ...]
    # The Final Validation Report's identification (issue 15 §6). CMS assigns
    # its own submission ID; ours is the first 16 hex digits of the file's
    # SHA-256, so the same file always gets the same ID.
    submission_id: str = ""
    processed_at: datetime | None = None
    facility_name: str = ""

    @property
    def status(self) -> Status:
        """``rejected`` when any document is rejected."""
        return "rejected" if any(f.status == "rejected" for f in self.files) else "accepted"

    @property
    def findings(self) -> list[Finding]:
        """Every kept finding of every document."""
        return [f for report in self.files for f in report.findings]

    @property
    def counts(self) -> dict[str, int]:
        """Failures per edit id over the whole upload (exact, even when findings are capped)."""
        total: Counter[str] = Counter()
        for report in self.files:
            total.update(report.counts)
        return dict(total)

    def total(self, name: str) -> int:
        """A ``FileReport`` count (e.g. ``"records_processed"``) summed over the documents."""
        return sum(int(getattr(report, name)) for report in self.files)


def validate_submission(
    path: Path,
    *,
    submitted_on: date | None = None,
    today: date | None = None,
    limits: Limits | None = None,
    max_findings_per_edit: int = 1000,
) -> ValidationReport:
    """Run CMS's edits over a PBJ upload (``.xml`` or ``.zip``).

    ``submitted_on`` is the day the file goes to CMS (default ``today``,
    default the system date): it decides the version cut-over, the
    future-date edit and the deadline. Uploads too large or unsafe to open
    raise ``InputError`` before anything is parsed.
    """
    day = submitted_on or today or date.today()
    limits = limits or Limits()
    sources = open_sources(path, limits)
    reports = tuple(_validate_one(s, day, max_findings_per_edit, limits) for s in sources)
    return ValidationReport(
        path.name,
        day,
        reports,
        submission_id=_submission_id(path),
        processed_at=datetime.now(UTC).replace(microsecond=0),
    )


def _submission_id(path: Path) -> str:
    """The first 16 hex digits of the file's SHA-256 (ours; CMS numbers its own)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _validate_one(source: XmlSource, submitted_on: date, cap: int, limits: Limits) -> FileReport:
    log = FindingLog(source.name, cap=cap)
    checker = SubmissionChecker(log, submitted_on)
    header: dict[str, str | None] = {}
    schema_messages: tuple[str, ...] = ()
    try:
        schema = pbj_schema()
        for item in iter_raw(source, schema=schema, max_element_bytes=limits.max_element_bytes):
            if isinstance(item, RawStaffHours):
                checker.staff_hours(item)
            elif isinstance(item, RawWorkDay):
                checker.work_day(item)
            elif isinstance(item, RawEmployee):
                checker.employee(item)
            elif isinstance(item, RawHeader):
                header = dict(item.items, fileSpecVersion=item.file_spec_version)
                checker.header(item)
            elif isinstance(item, SectionEnd):
                checker.section_end(item)
            elif isinstance(item, SchemaProblems):
                schema_messages = item.messages
    except XmlFormError as exc:
        edit_id = "CC-02" if "DOCTYPE" in exc.reason else "CC-01"
        log.add(edit_id, exc.reason, exc.line)
    else:
        checker.finish()
        _report_schema(source, log, schema_messages)
    quarter = checker.quarter
    return FileReport(
        name=source.name,
        header=header,
        quarter=str(quarter) if quarter else None,
        deadline=quarter.deadline if quarter else None,
        tally=checker.flush(),
        counts=dict(log.counts),
        findings=tuple(log.findings),
        truncated=log.truncated,
        dates_reported=checker.dates_reported(),
    )


def _report_schema(source: XmlSource, log: FindingLog, messages: tuple[str, ...]) -> None:
    # An XSD complaint about an element a specific edit already flagged says
    # nothing new; keep the specific finding, which has its line.
    unexplained = [m for m in messages if not _subjects(m) & log.fields]
    if not unexplained:
        return
    lines = _locate(source) if source.size <= LOCATE_MAX_BYTES else {}
    for message in unexplained:
        subject = _SCHEMA_SUBJECT.match(message)
        log.add(
            "CC-03",
            f"XSD: {message}",
            lines.get(message) or None,
            field_name=subject.group(2) or subject.group(1) if subject else None,
        )


def _subjects(message: str) -> set[str]:
    """The PBJ items an XSD complaint is about (an element, its attribute, a missing item)."""
    names: set[str] = set()
    match = _SCHEMA_SUBJECT.match(message)
    if match is not None:
        names.update(n for n in match.groups() if n)
    names.update(_REQUIRED_ATTRIBUTE.findall(message))
    expected = _EXPECTED.search(message)
    # "X is not expected. Expected is ( Y )" where X is a PBJ element: Y is missing.
    if expected and (match is None or match.group(1) in _PBJ_ELEMENTS):
        names.update(n.strip() for n in expected.group(1).split(","))
    return names


def _locate(source: XmlSource) -> dict[str, int]:
    """Line numbers of XSD complaints, from a tree validation of a small document."""
    with contextlib.closing(source.open()) as stream:
        try:
            tree = etree.parse(stream, secure_parser())  # type: ignore[arg-type]
        except etree.XMLSyntaxError:
            return {}
    schema = pbj_schema()
    schema.validate(tree)
    log: Any = schema.error_log
    lines: dict[str, int] = {}
    for entry in log:
        lines.setdefault(entry.message, entry.line)
    return lines
