"""CLI command: ``carecover backup from-visits`` (EVV visit records → interruptions)."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carecover.backup.export import neutralise
from carecover.backup.visit_layout import VisitMapping, load_mapping, mapping_names, read_visits
from carecover.backup.visits import (
    INTERRUPTION_COLUMNS,
    Interruption,
    VisitSummary,
    interruption_row,
    interruptions,
    summarise,
)


class VisitsFormat(StrEnum):
    """Output formats of ``from-visits``."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


_TABLE_COLUMNS = (
    "provider_id",
    "member_medicaid_id",
    "incident_date",
    "service_code",
    "hours_without_staff",
    "kind",
    "report_required",
    "gaps",
    "rule",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _csv(found: list[Interruption]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INTERRUPTION_COLUMNS)
    for item in found:
        row = interruption_row(item)
        # A spreadsheet must never run a name or a note as a formula.
        writer.writerow(
            [neutralise(_bool(v) if c == "report_required" else _cell(v)) for c, v in row.items()]
        )
    return out.getvalue().rstrip("\n")


def _bool(value: object) -> str:
    return "" if value is None else ("true" if value else "false")


def _table(found: list[Interruption], summary: VisitSummary) -> str:
    rows = [[_cell(interruption_row(i)[c]) for c in _TABLE_COLUMNS] for i in found]
    widths = [max([len(c), *(len(r[k]) for r in rows)]) for k, c in enumerate(_TABLE_COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(_TABLE_COLUMNS, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines += ["", _summary_line(summary)]
    return "\n".join(lines)


def _summary_line(s: VisitSummary) -> str:
    return (
        f"scheduled visits: {s.visits}; failures to report: {s.failures}"
        f" ({s.hours_failures:g} h); service breaks to document: {s.service_breaks}"
        f" ({s.hours_breaks:g} h); without a cause, to explain: {s.unexplained}"
    )


def _json(found: list[Interruption], summary: VisitSummary) -> str:
    return json.dumps(
        {
            "summary": {
                "visits": summary.visits,
                "failures": summary.failures,
                "service_breaks": summary.service_breaks,
                "unexplained": summary.unexplained,
                "hours_failures": summary.hours_failures,
                "hours_service_breaks": summary.hours_breaks,
            },
            "interruptions": [interruption_row(i) for i in found],
        },
        indent=2,
    )


def _mapping_text(mapping: VisitMapping) -> str:
    lines = [f"{mapping.title} ({mapping.name})", ""]
    for row in mapping.rows:
        flag = "" if row.verified else "  [UNCONFIRMED]"
        lines.append(f"{row.section:<7} {row.name:<22} {row.value}{flag}")
        if row.source:
            lines.append(f"{'':<8}source: {row.source}")
    return "\n".join(lines)


def from_visits(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="A visit file (CSV, one row per scheduled visit)."),
    ] = None,
    mapping: Annotated[
        str,
        typer.Option(
            "--mapping",
            help="The file's layout: 'generic', a shipped EVV mapping by name"
            " (see --list-mappings) or the path of your own mapping CSV.",
        ),
    ] = "generic",
    fmt: Annotated[VisitsFormat, typer.Option("--format", help="Output format.")] = (
        VisitsFormat.TABLE
    ),
    min_gap: Annotated[
        float,
        typer.Option(
            "--min-gap",
            min=0,
            max=600,
            help="Ignore gaps shorter than this many minutes (default 0: every minute counts).",
        ),
    ] = 0,
    list_mappings: Annotated[
        bool, typer.Option("--list-mappings", help="List the shipped mappings and stop.")
    ] = False,
    show_mapping: Annotated[
        bool,
        typer.Option("--show-mapping", help="Print the mapping with sources and stop."),
    ] = False,
) -> None:
    """Find missed and partly delivered visits: failures to report, breaks to document."""
    if list_mappings:
        typer.echo("\n".join(mapping_names()))
        return
    layout = load_mapping(mapping)
    if show_mapping:
        typer.echo(_mapping_text(layout))
        return
    if file is None:
        raise typer.BadParameter("give a visit FILE", param_hint="FILE")
    visits = read_visits(file, layout)
    found = interruptions(visits, min_gap_minutes=min_gap)
    summary = summarise(visits, found)
    if fmt is VisitsFormat.CSV:
        typer.echo(_csv(found))
    elif fmt is VisitsFormat.JSON:
        typer.echo(_json(found, summary))
    else:
        typer.echo(_table(found, summary))


def register(app: typer.Typer) -> None:
    """Add ``from-visits`` to ``app``."""
    app.command("from-visits")(from_visits)
