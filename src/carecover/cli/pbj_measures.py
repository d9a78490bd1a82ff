"""CLI commands: ``carecover pbj measures``, ``pbj load``, ``pbj coverage``.

Each reads CMS's PBJ public-use files (given as FILE arguments) or, with no
files, the DuckDB store (``--db``). Ibis and DuckDB are imported inside the
commands so that ``carecover --help`` stays fast.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from carecover.pbj.calendar import Quarter

if TYPE_CHECKING:
    from carecover.pbj.loading import LoadResult

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(help="PBJ Daily Nurse Staffing CSV files; none = read the store.", exists=True),
]
DbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB staffing store (used when no FILE is given).")
]
QuarterOption = Annotated[
    str | None, typer.Option("--quarter", help="Only this calendar quarter, e.g. 2024Q2.")
]
FacilityOption = Annotated[
    str | None, typer.Option("--facility", help="Only this facility (6-character CCN).")
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]

_DECIMALS = {"hprd": 5, "avg_census": 2, "contract_share": 4, "hours": 2}


def _source(files: Sequence[Path] | None, db: Path) -> Any:
    return list(files) if files else db.expanduser()


def _quarter(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def _round(name: str, value: Any) -> Any:
    if not isinstance(value, float):
        return value
    for key, places in _DECIMALS.items():
        if name.endswith(key) or name == key:
            return round(value, places)
    return value


def _cell(name: str, value: Any) -> str:
    value = _round(name, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _render(rows: list[dict[str, Any]], columns: Sequence[str], fmt: Format) -> None:
    if fmt is Format.JSON:
        data = [{c: _round(c, r[c]) for c in columns} for r in rows]
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    if fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(c, r[c]) for c in columns] for r in rows)
        return
    table = [list(columns)] + [[_cell(c, r[c]) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for index, row in enumerate(table):
        typer.echo("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            typer.echo("  ".join("-" * w for w in widths))
    if not rows:
        typer.echo("(no facility-days match)")


def measures(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    daily: Annotated[bool, typer.Option("--daily", help="One row per facility-day.")] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Staffing measures per facility-quarter (or per day with --daily)."""
    from carecover.pbj.measures import daily_measures, quarterly_measures, to_rows

    build = daily_measures if daily else quarterly_measures
    table = build(_source(files, db), quarter=_quarter(quarter), facility=facility)
    _render(to_rows(table), list(table.columns), fmt)


def _loaded_line(r: LoadResult) -> str:
    if r.skipped:
        return f"{r.file}: already loaded (same content), nothing changed"
    line = f"{r.file}: {r.rows_loaded} {r.kind} rows loaded ({', '.join(r.quarters) or '-'})"
    if r.rows_quarantined:
        line += f"; {r.rows_quarantined} row(s) quarantined (see the quarantine table)"
    return line


def load(
    files: Annotated[list[Path], typer.Argument(help="Public-use CSV files to load.", exists=True)],
    db: Annotated[
        Path, typer.Option("--db", help="DuckDB staffing store to load into (created if missing).")
    ] = Path(DEFAULT_DB),
    quarantine: Annotated[
        bool,
        typer.Option("--quarantine", help="Put unreadable rows in the quarantine table and go on."),
    ] = False,
) -> None:
    """Load PBJ Daily Nurse / Non-Nurse Staffing files into the DuckDB store."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from carecover.pbj.loading import load_files
    from carecover.pbj.store import connect

    con = connect(db)
    console = Console(stderr=True)
    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("loading", total=None)
            load_files(
                con,
                files,
                quarantine=quarantine,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                on_loaded=lambda r: typer.echo(_loaded_line(r)),
            )
    finally:
        con.close()
    typer.echo(f"store: {db.expanduser()}")


def coverage(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Calendar of days without an RN and with under 8 RN hours, weekends marked."""
    from carecover.pbj.coverage import month_grid, rn_coverage

    days = rn_coverage(_source(files, db), quarter=_quarter(quarter), facility=facility)
    if fmt is Format.TABLE:
        for line in month_grid(days) or ["(no facility-days match)"]:
            typer.echo(line)
        return
    columns = [
        "provnum",
        "quarter",
        "workdate",
        "weekend",
        "census",
        "rn_hours",
        "zero_rn",
        "rn_under_8h",
    ]
    _render([{c: getattr(d, c) for c in columns} for d in days], columns, fmt)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("measures")(measures)
    app.command("load")(load)
    app.command("coverage")(coverage)
