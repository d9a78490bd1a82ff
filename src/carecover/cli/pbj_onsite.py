"""CLI command: ``carecover pbj onsite TIMECLOCK.csv``.

Daily RN on-site stretches (8 consecutive hours) and weekly DON hours (full
time, 40 a week) from time-clock punches, via
``carecover.pbj.timeclock.onsite.onsite_from_timeclock``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from carecover.pbj.timeclock.onsite import OnsiteReport


class Format(StrEnum):
    """Output formats of ``pbj onsite``."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


DAY_COLUMNS = (
    "facility_id",
    "workdate",
    "weekend",
    "longest_rn_stretch_hours",
    "rn_8h_consecutive",
    "first_rn_on",
    "last_rn_off",
    "rn_onsite_hours",
    "rn_hours",
)
WEEK_COLUMNS = (
    "facility_id",
    "week_start",
    "week_end",
    "don_hours",
    "don_employees",
    "complete",
    "don_full_time",
)


def _value(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    value = _value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _rows(items: Sequence[Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    return [{c: asdict(item)[c] for c in columns} for item in items]


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    table = [list(columns)] + [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for index, row in enumerate(table):
        typer.echo("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            typer.echo("  ".join("-" * w for w in widths))


def summary_lines(report: OnsiteReport) -> list[str]:
    """One line per facility: days short of the RN rule, weeks the DON was under full time."""
    lines = []
    rules = report.rules
    for facility in sorted({d.facility_id for d in report.days}):
        days = [d for d in report.days if d.facility_id == facility]
        weeks = [w for w in report.weeks if w.facility_id == facility]
        short = sum(not d.rn_8h_consecutive for d in days)
        judged = [w for w in weeks if w.complete]
        under = sum(w.don_full_time is False for w in judged)
        name = facility or "(no facility_id)"
        lines.append(
            f"{name}: {short} of {len(days)} day(s) short of {rules.rn_consecutive_hours:g} "
            f"consecutive RN hours; DON under {rules.don_full_time_hours:g} h in {under} of "
            f"{len(judged)} complete week(s)"
            + (
                f" ({len(weeks) - len(judged)} partial week(s) not judged)"
                if len(weeks) > len(judged)
                else ""
            )
        )
    return lines


def onsite(
    timeclock: Annotated[
        Path, typer.Argument(help="Time-clock CSV with punch_in/punch_out (docs/pbj-export.md).")
    ],
    facility_id: Annotated[
        str | None,
        typer.Option("--facility-id", help="Only rows of this facility_id (or with it blank)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    weekly: Annotated[
        bool, typer.Option("--weekly", help="CSV: print the weekly DON table, not the days.")
    ] = False,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Job title mapping CSV (job_title column).")
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="On-site rules CSV (default: the shipped onsite_rules.csv)."),
    ] = None,
) -> None:
    """RN on site 8 consecutive hours each day, and DON hours per week, from punches."""
    from carecover.pbj.jobmap import load_job_mapping
    from carecover.pbj.timeclock.onsite import onsite_from_timeclock, onsite_rules

    report = onsite_from_timeclock(
        timeclock,
        facility_id=facility_id,
        rules=onsite_rules(rules),
        mapping=load_job_mapping(mapping),
    )
    days = _rows(report.days, DAY_COLUMNS)
    weeks = _rows(report.weeks, WEEK_COLUMNS)
    if fmt is Format.JSON:
        data = {
            "days": [{k: _value(v) for k, v in r.items()} for r in days],
            "weeks": [{k: _value(v) for k, v in r.items()} for r in weeks],
            "summary": {
                "days": len(report.days),
                "days_short_of_rn_consecutive_hours": report.days_short,
                "complete_weeks": sum(w.complete for w in report.weeks),
                "weeks_don_under_full_time": report.weeks_don_short,
                "lines": summary_lines(report),
            },
        }
        typer.echo(json.dumps(data, indent=2))
        return
    if fmt is Format.CSV:
        rows, columns = (weeks, WEEK_COLUMNS) if weekly else (days, DAY_COLUMNS)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(r[c]) for c in columns] for r in rows)
        return
    _table(days, DAY_COLUMNS)
    typer.echo("")
    _table(weeks, WEEK_COLUMNS)
    typer.echo("")
    for line in summary_lines(report):
        typer.echo(line)
    if report.rows_for_other_facilities:
        typer.echo(f"note: {report.rows_for_other_facilities} row(s) of other facilities left out")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("onsite")(onsite)
