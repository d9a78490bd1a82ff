"""``carecover pbj employees turnover|tenure|contract|weekend|outliers FILE...``.

Each reads PBJ Employee Detail public files (every row checked by the
Employee Detail rules, see ``pbj.employees.detail``: in DuckDB, or with
``--engine spark`` in Spark itself), or with no FILE the rows ``pbj load``
stored in ``--db`` (``pbj.employees.store``), and runs one Ibis rule on
DuckDB or, with ``--engine spark``, on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from carecover.cli.engine_options import EngineOption, SparkMasterOption, engine_for
from carecover.cli.pbj_render import Format, render
from carecover.engines import Engine, EngineName

__all__ = ["app"]

app = typer.Typer(
    help="PBJ Employee Detail files: turnover, tenure, contract share, weekend staffing, outliers.",
    no_args_is_help=True,
)

FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="PBJ Employee Detail CSV files; none = the rows `pbj load` stored in --db.",
        exists=True,
        dir_okay=False,
    ),
]
DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"
DbOption = Annotated[
    Path,
    typer.Option("--db", help="DuckDB staffing store to read when no FILE is given."),
]


def employee_rows(files: list[Path] | None, db: Path, engine: Engine) -> Any:
    """The checked rows of ``files`` (none: those stored in ``db``) as a table of ``engine``."""
    from carecover.pbj.employees.detail import employee_table

    if files:
        return employee_table(engine, files)
    from carecover.pbj.employees.store import stored_rows
    from carecover.pbj.store import connect

    con = connect(db.expanduser(), read_only=True)
    try:
        return engine.from_arrow(stored_rows(con))
    finally:
        con.close()


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
MemoryLimitOption = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        help="DuckDB's memory cap, e.g. 4GB (spills to disk beyond it; "
        "default: 80% of RAM). Not with --engine spark.",
    ),
]


def _run(
    files: list[Path] | None,
    db: Path,
    rule: Callable[[Any, Engine], Any],
    engine: EngineName,
    master: str | None,
    fmt: Format,
    finish: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    memory_limit: str | None = None,
) -> None:
    """Run ``rule`` (the rows' table and its engine -> an expression) and print its rows."""
    from carecover.engines import connect

    if memory_limit is not None and engine is not EngineName.DUCKDB:
        raise typer.BadParameter(
            "it caps DuckDB; with --engine spark, Spark's memory is its cluster's settings",
            param_hint="--memory-limit",
        )
    with engine_for(engine, master) as on:
        runner = on or connect(EngineName.DUCKDB, memory_limit=memory_limit)
        try:
            table = rule(employee_rows(files, db, runner), runner)
            out = runner.to_rows(table)
            if finish is not None:
                out = finish(out)
            render(out, list(out[0]) if out else list(table.columns), fmt)
        finally:
            if on is None:
                runner.close()


@app.command("contract")
def contract(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Hours and contract share per facility, quarter and category."""
    from carecover.pbj.employees.measures import contract_share

    _run(
        files,
        db,
        lambda t, _: contract_share(t),
        engine,
        spark_master,
        fmt,
        memory_limit=memory_limit,
    )


@app.command("weekend")
def weekend(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Hours a weekend day and a weekday per facility, quarter and category."""
    from carecover.pbj.employees.measures import weekend_staffing

    _run(
        files,
        db,
        lambda t, _: weekend_staffing(t),
        engine,
        spark_master,
        fmt,
        memory_limit=memory_limit,
    )


@app.command("outliers")
def outliers(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Employee ids with more than 16 hours in a day or 400 hours in a month."""
    from carecover.pbj.employees.measures import hour_outliers

    _run(
        files,
        db,
        lambda t, _: hour_outliers(t),
        engine,
        spark_master,
        fmt,
        memory_limit=memory_limit,
    )


QuarterOption = Annotated[
    str | None,
    typer.Option("--quarter", help="Last of the six quarters (default: the latest in FILE)."),
]
MethodOption = Annotated[
    str,
    typer.Option("--method", help="Rating method whose turnover rule (window, gap) to use."),
]


def _six_quarters(
    quarter: str | None, method_name: str
) -> tuple[Callable[[Any, Engine], Any], Any]:
    """The last of the six quarters (given, else the latest in the rows) and the turnover rule."""
    from carecover.pbj.calendar import Quarter
    from carecover.rating.methods import method
    from carecover.rating.turnover import check_rule

    rule = check_rule(method(method_name).turnover)
    given = Quarter.parse(quarter) if quarter is not None else None

    def last(t: Any, runner: Engine) -> Any:
        if given is not None:
            return given
        latest = runner.to_rows(t.aggregate(last=t.quarter.max()))[0]["last"]
        if latest is None:
            raise typer.BadParameter(
                "the files hold no rows: give --quarter", param_hint="--quarter"
            )
        return Quarter.parse(latest)

    return last, rule


@app.command("turnover")
def turnover(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    method_name: MethodOption = "2024-07",
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Nurse, RN and administrator turnover over six quarters (the rating method's rule)."""
    from carecover.rating.turnover import turnover_expression, turnover_figures

    last, rule = _six_quarters(quarter, method_name)

    def figures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [asdict(f) for f in turnover_figures(rows)]

    def expression(t: Any, runner: Engine) -> Any:
        return turnover_expression(t, last(t, runner), rule, keep=runner.kept)

    _run(files, db, expression, engine, spark_master, fmt, figures, memory_limit=memory_limit)


@app.command("tenure")
def tenure(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    method_name: MethodOption = "2024-07",
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    memory_limit: MemoryLimitOption = None,
) -> None:
    """Tenure of the nurses, RNs and administrators on hand at the end of the quarter."""
    from carecover.rating.tenure import tenure_expression

    last, rule = _six_quarters(quarter, method_name)

    def expression(t: Any, runner: Engine) -> Any:
        return tenure_expression(t, last(t, runner), rule, keep=runner.kept)

    _run(files, db, expression, engine, spark_master, fmt, memory_limit=memory_limit)
