"""A provider's reports for one period in an MCO's own layout (CSV, XLSX or printable HTML).

Partners takes its portal form (CSV of the form's fields), Alliance a bi-weekly
spreadsheet (XLSX), Vaya a form kept on file at the provider (a printable page).
Which column holds which report field is data: ``data/backup/layouts/<mco>.csv``
(``column,field,verified``); a layout the MCO has not published is marked
UNCONFIRMED there. Spreadsheet cells are neutralised against formula injection.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from openpyxl import Workbook

from carecover.backup.export import neutralise
from carecover.backup.periods import ReportingPeriod
from carecover.backup.report import BackupReport, ReportStatus
from carecover.errors import ConfigError

__all__ = [
    "FIELDS",
    "Layout",
    "export_rows",
    "load_layout",
    "to_html",
    "to_layout_csv",
    "write_layout_xlsx",
]

Value = str | float


def _text(value: object) -> str:
    return "" if value is None else str(value)


#: Report fields a layout may name, and how each is read from a report.
FIELDS: dict[str, Callable[[BackupReport], Value]] = {
    "report_id": lambda r: r.report_id,
    "provider_id": lambda r: r.provider_id,
    "provider_name": lambda r: r.provider_name,
    "contact_name": lambda r: r.contact.name,
    "contact_phone": lambda r: r.contact.phone,
    "contact_email": lambda r: r.contact.email,
    "member_first_name": lambda r: r.member.first_name,
    "member_last_name": lambda r: r.member.last_name,
    "member_name": lambda r: f"{r.member.first_name} {r.member.last_name}",
    "member_date_of_birth": lambda r: r.member.date_of_birth.isoformat(),
    "member_medicaid_id": lambda r: r.member.medicaid_id,
    "incident_date": lambda r: r.incident_date.isoformat(),
    "service_code": lambda r: r.service_code,
    "scheduled_start": lambda r: r.scheduled_start.strftime("%H:%M"),
    "scheduled_end": lambda r: r.scheduled_end.strftime("%H:%M"),
    "scheduled_hours": lambda r: (
        f"{r.scheduled_start.strftime('%H:%M')}-{r.scheduled_end.strftime('%H:%M')}"
    ),
    "hours_without_staff": lambda r: r.hours_without_staff,
    "backup_status": lambda r: str(r.backup_status),
    "reason": lambda r: _text(r.reason),
    "declined_by": lambda r: _text(r.declined_by),
    "declined_reason": lambda r: _text(r.declined_reason),
    "submitted_at": lambda r: r.submitted_at.isoformat() if r.submitted_at else "",
}

_FILED = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED}


@dataclass(frozen=True)
class Layout:
    """An MCO's columns: ``(heading, field)`` in order."""

    name: str
    columns: tuple[tuple[str, str], ...]


def load_layout(name: str) -> Layout:
    """The shipped layout ``data/backup/layouts/<name>.csv`` (``ConfigError`` if unknown or bad)."""
    file = f"layouts/{name}.csv"
    path = resources.files("carecover").joinpath("data", "backup", "layouts", f"{name}.csv")
    if not name.isalnum() or not path.is_file():
        raise ConfigError(f"no export layout for MCO {name!r} (partners, alliance, vaya)")
    columns = []
    for line, row in enumerate(csv.DictReader(io.StringIO(path.read_text("utf-8"))), start=2):
        if row.get("field") not in FIELDS:
            raise ConfigError(f"{file}: line {line}: field {row.get('field')!r} is not known")
        columns.append((row["column"], row["field"]))
    return Layout(name, tuple(columns))


def export_rows(
    reports: Sequence[BackupReport], layout: Layout, period: ReportingPeriod, provider_id: str
) -> list[list[Value]]:
    """The provider's filed reports of ``period`` as rows of the layout, by incident date."""
    chosen = sorted(
        (
            r
            for r in reports
            if r.provider_id == provider_id
            and r.status in _FILED
            and period.contains(r.incident_date)
        ),
        key=lambda r: (r.incident_date, r.report_id),
    )
    return [[FIELDS[field](r) for _, field in layout.columns] for r in chosen]


def to_layout_csv(layout: Layout, rows: Sequence[Sequence[Value]]) -> str:
    """The rows as CSV under the layout's headings, formula injection neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h for h, _ in layout.columns])
    writer.writerows([[neutralise(c) for c in row] for row in rows])
    return out.getvalue()


def write_layout_xlsx(layout: Layout, rows: Sequence[Sequence[Value]], path: Path) -> Path:
    """The rows as one XLSX sheet under the layout's headings, formula injection neutralised."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = layout.name[:31]
    sheet.append([h for h, _ in layout.columns])
    for row in rows:
        sheet.append([neutralise(c) for c in row])
    book.save(path)
    return path


def to_html(layout: Layout, rows: Sequence[Sequence[Value]], title: str) -> str:
    """A printable page: one form per report (print CSS breaks a page between them)."""
    forms = []
    for row in rows:
        lines = "".join(
            f"<tr><th>{html.escape(h)}</th><td>{html.escape(str(v))}</td></tr>"
            for (h, _), v in zip(layout.columns, row, strict=True)
        )
        forms.append(f'<section class="form"><table>{lines}</table></section>')
    body = "".join(forms) or "<p>No reports in this period.</p>"
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "<style>th{text-align:left;padding-right:1em}"
        "@media print{.form{page-break-after:always}}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )
