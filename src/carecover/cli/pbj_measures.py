"""CLI commands: ``carecover pbj measures`` and ``pbj coverage`` (``pbj load``: ``pbj_load``).

Each reads CMS's PBJ public-use files (given as FILE arguments) or, with no
files, the DuckDB store (``--db``). Ibis and DuckDB are imported inside the
commands so that ``carecover --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from carecover.cli.engine_options import EngineOption, SparkMasterOption, engine_for
from carecover.cli.options import WaitOption, wait_for_stores
from carecover.cli.pbj_render import Format, render, render_tuples
from carecover.engines import EngineName
from carecover.pbj.calendar import Quarter

__all__ = ["DEFAULT_DB", "coverage", "measures", "register"]

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


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


def _source(files: Sequence[Path] | None, db: Path) -> Any:
    return list(files) if files else db.expanduser()


def _quarter(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def print_quarterly(source: Any, quarter: str | None, facility: str | None, fmt: Format) -> None:
    """Print the quarterly measures of ``source`` (files or a store path) in ``fmt``."""
    # The quarterly rule is the Ibis expression, compiled once to DuckDB SQL and cached.
    from carecover.pbj.measures.compiled import quarterly_table, quarterly_text

    label = None
    if quarter:
        from carecover.pbj.calendar import Quarter

        label = Quarter.parse(quarter)
    from carecover.pbj.timeclock.missing_days import day_warnings, printed_warnings, summarised

    if fmt is Format.JSON:
        columns, rows = quarterly_table(source, quarter=label, facility=facility)
        render_tuples(rows, columns, fmt)
        warnings = [w for r in rows for w in day_warnings(dict(zip(columns, r, strict=True)))]
    else:
        # DuckDB prints the CSV lines or the table itself (the same bytes, faster).
        text = quarterly_text(source, quarter=label, facility=facility, layout=fmt.value)
        sys.stdout.write(text)
        warnings = printed_warnings(text, fmt.value)
    # Missing days are never silent (issue 15 §2); on stderr, so the output stays data.
    sys.stdout.flush()
    for line in summarised(warnings):
        print(f"warning: {line}", file=sys.stderr)


def measures(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    daily: Annotated[bool, typer.Option("--daily", help="One row per facility-day.")] = False,
    fmt: FormatOption = Format.TABLE,
    wait: WaitOption = 0.0,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Staffing measures per facility-quarter (or per day with --daily)."""
    wait_for_stores(wait)
    if not daily and engine is EngineName.DUCKDB:
        print_quarterly(_source(files, db), quarter, facility, fmt)
        return
    from carecover.pbj.measures.staffing import daily_measures, quarterly_measures, to_rows

    rule = daily_measures if daily else quarterly_measures
    with engine_for(engine, spark_master) as on:
        table = rule(_source(files, db), quarter=_quarter(quarter), facility=facility, engine=on)
        rows = to_rows(table) if on is None else on.to_rows(table)
        render(rows, list(table.columns), fmt)


def coverage(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    fmt: FormatOption = Format.TABLE,
    wait: WaitOption = 0.0,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Calendar of days without an RN and with under 8 RN hours, weekends marked."""
    wait_for_stores(wait)
    from carecover.pbj.measures.coverage import month_grid, rn_coverage

    with engine_for(engine, spark_master) as on:
        days = rn_coverage(
            _source(files, db), quarter=_quarter(quarter), facility=facility, engine=on
        )
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
    render([{c: getattr(d, c) for c in columns} for d in days], columns, fmt)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("measures")(measures)
    app.command("coverage")(coverage)
