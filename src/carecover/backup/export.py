"""Render roll-ups and compliance rows as CSV, JSON, XLSX or a plain-text table.

Every format starts from the same ``Table`` objects (``rollup_tables``,
``compliance_table``). People's formats (CSV, XLSX, text) head each column
with its label (``Table.headers``); JSON keeps the column codes as keys. Codes
in cells keep their own column beside their label (``catalogue.label_of``).

Spreadsheet outputs (CSV and XLSX) neutralise
formula injection (OWASP "CSV Injection"): a text cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a
provider name like ``=HYPERLINK(...)`` is shown, never run. Numbers are
left alone (a negative change stays a number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from carecover.backup.compliance import ProviderPeriod, ProviderPeriodStatus
from carecover.backup.rollup import Cell, Rollup, Table

__all__ = [
    "PERIOD_STATUS_LABELS",
    "compliance_json",
    "compliance_table",
    "neutralise",
    "rollup_json",
    "rollup_tables",
    "to_csv",
    "to_text",
    "write_xlsx",
]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: ``ProviderPeriodStatus`` in the providers' words (the portal's pages use the same).
PERIOD_STATUS_LABELS = {
    ProviderPeriodStatus.REPORTED: "Submitted",
    ProviderPeriodStatus.ATTESTED_NONE: "Attested no incidents",
    ProviderPeriodStatus.LATE: "Late",
    ProviderPeriodStatus.MISSING: "Missing",
    ProviderPeriodStatus.DUE: "Due",
}


def neutralise(value: Cell) -> Cell:
    """Prefix ``'`` to text a spreadsheet would read as a formula; other cells unchanged."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def rollup_tables(rollup: Rollup) -> list[Table]:
    """The headline figures as a table, followed by the roll-up's own tables."""
    rows = tuple((f.name, f.label, f.value, f.previous, f.change) for f in rollup.figures)
    title = (
        f"{rollup.title}: {rollup.start}..{rollup.end} "
        f"(previous {rollup.previous_start}..{rollup.previous_end})"
    )
    columns = ("figure", "label", "value", "previous", "change")
    return [Table("headline", title, columns, rows), *rollup.tables]


def compliance_table(rows: Sequence[ProviderPeriod]) -> Table:
    """Compliance per provider and period as one table."""
    columns = (
        "provider_id",
        "provider_name",
        "period_start",
        "period_end",
        "due",
        "status",
        "status_label",
        "reports",
        "late_reports",
        "attested",
        "first_submitted_at",
        "days_late",
    )
    out = tuple(
        (
            r.provider_id,
            r.provider_name,
            r.period.start,
            r.period.end,
            r.period.due,
            str(r.status),
            PERIOD_STATUS_LABELS[r.status],
            r.reports,
            r.late_reports,
            "yes" if r.attested else "no",
            r.first_submitted_at.isoformat(timespec="minutes") if r.first_submitted_at else None,
            r.days_late,
        )
        for r in rows
    )
    return Table("compliance", "Backup staffing reporting compliance", columns, out)


def _plain(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def to_csv(tables: Sequence[Table], *, codes: bool = False) -> str:
    """CSV text: one table as header + rows; several, each after a ``# title`` row.

    The header holds each column's label, or its code with ``codes`` (files
    read by programs, such as ``backup periods --format csv``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for n, table in enumerate(tables):
        if len(tables) > 1:
            if n:
                writer.writerow([])
            writer.writerow([neutralise(f"# {table.title}")])
        writer.writerow(table.columns if codes else table.headers)
        for row in table.rows:
            writer.writerow([_plain(neutralise(cell)) for cell in row])
    return buffer.getvalue()


def _json_cell(value: Cell) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _records(table: Table) -> list[dict[str, Any]]:
    return [
        {col: _json_cell(cell) for col, cell in zip(table.columns, row, strict=True)}
        for row in table.rows
    ]


def rollup_json(rollup: Rollup) -> dict[str, Any]:
    """A JSON-ready dict: kind, periods, figures (value, previous, change) and tables."""
    return {
        "kind": str(rollup.kind),
        "title": rollup.title,
        "period": {"start": rollup.start.isoformat(), "end": rollup.end.isoformat()},
        "previous_period": {
            "start": rollup.previous_start.isoformat(),
            "end": rollup.previous_end.isoformat(),
        },
        "figures": {
            f.name: {"label": f.label, "value": f.value, "previous": f.previous, "change": f.change}
            for f in rollup.figures
        },
        "tables": {
            t.name: {"title": t.title, "columns": list(t.columns), "rows": _records(t)}
            for t in rollup.tables
        },
    }


def compliance_json(rows: Sequence[ProviderPeriod]) -> list[dict[str, Any]]:
    """Compliance rows as a list of JSON-ready dicts."""
    return _records(compliance_table(rows))


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """Write one sheet per table (title in row 1, header in row 3) to ``path``."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append([neutralise(table.title)])
        sheet.append([])
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([neutralise(cell) for cell in row])
    book.save(path)
    return path


def to_text(tables: Sequence[Table]) -> str:
    """Plain aligned text tables (for terminals and logs); unknown values show as ``n/a``."""
    blocks = []
    for table in tables:
        cells = [[_plain(c) if c is not None else "n/a" for c in row] for row in table.rows]
        widths = [
            max([len(col), *(len(row[i]) for row in cells)]) for i, col in enumerate(table.headers)
        ]
        lines = [
            table.title,
            "  ".join(c.ljust(w) for c, w in zip(table.headers, widths, strict=True)),
        ]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
        if not cells:
            lines.append("(none)")
        blocks.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(blocks) + "\n"
