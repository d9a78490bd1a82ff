"""Render a ``ValidationReport`` like CMS's Final Validation Report: text, JSON, HTML.

The FVR tells a submitter whether the file was accepted, how many records
were processed, accepted and rejected, how often each edit fired, and each
finding with its record (employee, date) and line. The HTML page is
self-contained (inline CSS, no scripts, no external links) and escapes every
value taken from the file.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from carecover.pbj.submission.edits import Finding, edit
from carecover.pbj.submission.validation import FileReport, ValidationReport

__all__ = ["render_html", "render_json", "render_text", "report_to_dict"]

_COUNTS = (
    ("records_processed", "Records processed"),
    ("records_accepted", "Records accepted"),
    ("records_rejected", "Records rejected"),
    ("records_not_processed", "Records not processed (outside the quarter)"),
)


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "edit": f.edit,
        "severity": f.severity,
        "title": edit(f.edit).title,
        "message": f.message,
        "line": f.line,
        "employee": f.employee,
        "date": f.date,
        "field": f.field,
        "file": f.file,
    }


def _file_dict(report: FileReport) -> dict[str, Any]:
    return {
        "name": report.name,
        "status": report.status,
        "header": report.header,
        "quarter": report.quarter,
        "deadline": report.deadline.isoformat() if report.deadline else None,
        **{key: getattr(report, key) for key, _ in _COUNTS},
        "employees": report.tally.employees,
        "work_days": report.tally.days,
        "hour_entries": report.tally.entries,
        "dates_reported": report.dates_reported,
        "days_missing": report.days_missing,
        "hours_by_job_title": {str(k): v for k, v in report.hours_by_job_title.items()},
        "hours_by_pay_type": {str(k): v for k, v in report.hours_by_pay_type.items()},
        "counts": report.counts,
        "findings_not_listed": report.truncated,
    }


#: Said once in every report: which rules are ours (rating methods --unconfirmed lists them).
OUR_RULES = (
    "record counting (employee records + workDay records) and whole-file rejection on any"
    " fatal edit are our rules, UNCONFIRMED by a CMS source"
)


def _processed(report: ValidationReport) -> str:
    return f"{report.processed_at:%Y-%m-%d %H:%M:%S} UTC" if report.processed_at else "-"


def _facility_name(report: ValidationReport) -> str:
    return report.facility_name or "(not in a PBJ file; give --facility-name)"


def report_to_dict(report: ValidationReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (``status``, ``findings``, ``counts``, ``files``)."""
    return {
        "source": report.source,
        "submission_id": report.submission_id,
        "processed_at": report.processed_at.isoformat() if report.processed_at else None,
        "facility_name": report.facility_name or None,
        "our_rules": OUR_RULES,
        "submitted_on": report.submitted_on.isoformat(),
        "status": report.status,
        **{key: report.total(key) for key, _ in _COUNTS},
        "counts": report.counts,
        "findings": [_finding(f) for f in report.findings],
        "files": [_file_dict(f) for f in report.files],
    }


def render_json(report: ValidationReport) -> str:
    """The report as indented JSON."""
    return json.dumps(report_to_dict(report), indent=2, sort_keys=False)


def _edit_rows(counts: dict[str, int]) -> list[tuple[str, str, str, int]]:
    return [(k, edit(k).severity, edit(k).title, n) for k, n in sorted(counts.items())]


def render_text(report: ValidationReport) -> str:
    """The report as plain text for a terminal."""
    out = [
        f"PBJ validation report: {report.source}",
        f"Status: {report.status.upper()}",
        f"Submission ID: {report.submission_id or '-'} (ours: the file's SHA-256, 16 digits)",
        f"Submission date: {report.submitted_on}",
        f"Processing completion date/time: {_processed(report)}",
        f"Facility name: {_facility_name(report)}",
        f"Note: {OUR_RULES}",
    ]
    for key, label in _COUNTS:
        out.append(f"{label}: {report.total(key):,}")
    for file in report.files:
        out += ["", f"== {file.name}: {file.status.upper()}"]
        if file.quarter:
            fiscal = f"FY{file.header.get('federalFiscalYear')} Q{file.header.get('reportQuarter')}"
            out.append(f"Quarter: {file.quarter} = {fiscal} (deadline {file.deadline})")
        facility = file.header.get("facilityId")
        if facility:
            out.append(f"Facility: {facility} ({file.header.get('stateCode') or '?'})")
        out.append(
            f"Employees: {file.tally.employees:,}  work days: {file.tally.days:,}"
            f"  hour entries: {file.tally.entries:,}"
        )
        if file.quarter:
            out.append(f"Dates of the quarter with work days: {file.dates_reported}")
            if file.days_missing:
                out.append(
                    f"Warning: {file.days_missing} day(s) of {file.quarter} have no workDay:"
                    " a missing day is not a day of full staffing"
                )
        rows = _edit_rows(file.counts)
        if rows:
            out.append("Edits:")
            out += [f"  {k:>6}  {sev:<7}  {n:>7,}  {title}" for k, sev, title, n in rows]
        for f in file.findings:
            where = ", ".join(
                part
                for part in (
                    f"line {f.line}" if f.line else "",
                    f"employee {f.employee}" if f.employee else "",
                    f"date {f.date}" if f.date else "",
                )
                if part
            )
            out.append(f"  [{f.edit} {f.severity}] {f.message}" + (f" ({where})" if where else ""))
        for k, n in file.truncated.items():
            out.append(f"  ... {n:,} more findings of edit {k} not listed")
    if not report.findings:
        out += ["", "No findings."]
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}.accepted{color:#17612b}.rejected{color:#a4161a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.fatal{color:#a4161a;font-weight:600}.warning{color:#8a5a00}
"""


def _cell(value: object) -> str:
    return f"<td>{escape('' if value is None else str(value))}</td>"


def render_html(report: ValidationReport) -> str:
    """The report as one self-contained, escaped HTML page."""
    status = escape(report.status)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>PBJ validation report: {escape(report.source)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>PBJ validation report: {escape(report.source)}</h1>",
        f'<p>Status: <strong class="{status}">{status.upper()}</strong>'
        f" &middot; submission date {escape(report.submitted_on.isoformat())}</p>",
        f"<p>Submission ID {escape(report.submission_id or '-')} (ours)"
        f" &middot; processed {escape(_processed(report))}"
        f" &middot; facility name {escape(_facility_name(report))}</p>",
        f"<p>{escape(OUR_RULES)}.</p>",
        "<table><tbody>",
        *(
            f"<tr><th>{escape(label)}</th>{_cell(f'{report.total(key):,}')}</tr>"
            for key, label in _COUNTS
        ),
        "</tbody></table>",
    ]
    for file in report.files:
        fstatus = escape(file.status)
        parts.append(
            f'<h2>{escape(file.name)}: <span class="{fstatus}">{fstatus.upper()}</span></h2>'
        )
        if file.quarter:
            parts.append(
                f"<p>Quarter {escape(file.quarter)}, deadline {escape(str(file.deadline))};"
                f" facility {escape(file.header.get('facilityId') or '?')}</p>"
            )
            if file.days_missing:
                parts.append(
                    f'<p class="warning">{file.days_missing} day(s) of {escape(file.quarter)}'
                    " have no workDay: a missing day is not a day of full staffing.</p>"
                )
        rows = _edit_rows(file.counts)
        if rows:
            parts.append("<table><thead><tr><th>Edit</th><th>Severity</th><th>Title</th>")
            parts.append("<th>Count</th></tr></thead><tbody>")
            for k, sev, title, n in rows:
                parts.append(
                    f'<tr><td>{escape(k)}</td><td class="{sev}">{sev}</td>'
                    f"{_cell(title)}{_cell(f'{n:,}')}</tr>"
                )
            parts.append("</tbody></table>")
        if file.findings:
            parts.append("<table><thead><tr><th>Edit</th><th>Severity</th><th>Line</th>")
            parts.append("<th>Employee</th><th>Date</th><th>Message</th></tr></thead><tbody>")
            for f in file.findings:
                parts.append(
                    f'<tr>{_cell(f.edit)}<td class="{f.severity}">{f.severity}</td>'
                    f"{_cell(f.line)}{_cell(f.employee)}{_cell(f.date)}{_cell(f.message)}</tr>"
                )
            parts.append("</tbody></table>")
        for k, n in file.truncated.items():
            parts.append(f"<p>{n:,} more findings of edit {escape(k)} not listed.</p>")
    if not report.findings:
        parts.append("<p>No findings.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
