"""A provider's reports for one period in an MCO's own layout (CSV, XLSX or printable HTML).

Partners takes its portal form (CSV of the form's fields), Alliance a bi-weekly
spreadsheet (XLSX), Vaya a form kept on file at the provider (a printable page).
Which column holds which report field is data: ``data/backup/layouts/<mco>.csv``
(``column,field,verified``); a layout the MCO has not published is marked
UNCONFIRMED there. Spreadsheet cells are neutralised against formula injection.

``export_period`` is the one entry point: ``carecover backup export`` and the
portal's download on the reporting-periods page both call it, so a file is
the same whichever way it is made.
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

from carecover.backup.compliance import FILED_STATUSES
from carecover.backup.export import neutralise
from carecover.backup.mco import ExportFormat, McoProfile
from carecover.backup.periods import ReportingPeriod
from carecover.backup.report import BackupReport
from carecover.errors import ConfigError

__all__ = [
    "FIELDS",
    "MEDIA_TYPES",
    "Layout",
    "PeriodExport",
    "export_period",
    "export_rows",
    "layout_xlsx",
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
            and r.status in FILED_STATUSES
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


def layout_xlsx(layout: Layout, rows: Sequence[Sequence[Value]]) -> bytes:
    """The rows as one XLSX sheet under the layout's headings, formula injection neutralised."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = layout.name[:31]
    sheet.append([h for h, _ in layout.columns])
    for row in rows:
        sheet.append([neutralise(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_layout_xlsx(layout: Layout, rows: Sequence[Sequence[Value]], path: Path) -> Path:
    """``layout_xlsx`` written to ``path``."""
    path.write_bytes(layout_xlsx(layout, rows))
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


#: The media type of each export format (the portal's ``Content-Type``).
MEDIA_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class PeriodExport:
    """One provider's filed reports of one period as a file in the MCO's layout."""

    content: bytes
    format: ExportFormat
    #: How many reports the file holds.
    count: int
    #: ``<provider>-<start>-<end>.<format>``: no member data, safe as a file name.
    filename: str

    @property
    def media_type(self) -> str:
        """The file's media type."""
        return MEDIA_TYPES[self.format]


def _safe(text: str) -> str:
    # Provider ids come from configuration, but a file name must never carry a
    # path or a quote: keep letters, digits, dash and underscore.
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in text)


def export_period(
    reports: Sequence[BackupReport],
    profile: McoProfile,
    period: ReportingPeriod,
    provider_id: str,
    fmt: ExportFormat | None = None,
) -> PeriodExport:
    """The provider's filed reports of ``period`` in ``profile``'s layout and format
    (``fmt`` overrides the format). ``ConfigError`` if the profile names no layout."""
    if profile.layout is None or profile.export_format is None:
        raise ConfigError(f"the MCO profile of {profile.name} names no export layout")
    layout = load_layout(profile.layout)
    rows = export_rows(reports, layout, period, provider_id)
    chosen = fmt or profile.export_format
    if chosen is ExportFormat.XLSX:
        content = layout_xlsx(layout, rows)
    elif chosen is ExportFormat.HTML:
        title = f"{profile.name}: backup staffing, {provider_id}, {period.label}"
        content = to_html(layout, rows, title).encode("utf-8")
    else:
        content = to_layout_csv(layout, rows).encode("utf-8")
    name = f"{_safe(provider_id)}-{period.start}-{period.end}.{chosen.value}"
    return PeriodExport(content, chosen, len(rows), name)
