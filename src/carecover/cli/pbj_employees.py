"""``carecover pbj employees turnover|tenure|contract|weekend|outliers FILE...``.

Each reads PBJ Employee Detail public files (every row checked by the
Employee Detail rules in DuckDB, see ``pbj.employee_detail``), or with no
FILE the rows ``pbj load`` stored in ``--db`` (``pbj.employee_store``), and
runs one Ibis rule on DuckDB or, with ``--engine spark``, on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from carecover.cli.engine_options import EngineOption, SparkMasterOption, engine_for
from carecover.cli.pbj_render import Format, render
from carecover.engines import EngineName

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


def employee_rows(files: list[Path] | None, db: Path) -> Any:
    """The checked rows of ``files``, or, with none, those stored in the store ``db``."""
    from carecover.pbj.employees.detail import read_employee_detail

    if files:
        return read_employee_detail(files)
    from carecover.pbj.employees.store import stored_rows
    from carecover.pbj.store import connect

    con = connect(db.expanduser(), read_only=True)
    try:
        return stored_rows(con)
    finally:
        con.close()


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def _run(
    rows: Any,
    rule: Callable[[Any], Any],
    engine: EngineName,
    master: str | None,
    fmt: Format,
    finish: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
) -> None:
    from carecover.engines import connect

    with engine_for(engine, master) as on:
        runner = on or connect(EngineName.DUCKDB)
        table = rule(runner.from_arrow(rows))
        out = runner.to_rows(table)
        if finish is not None:
            out = finish(out)
        render(out, list(out[0]) if out else list(table.columns), fmt)
        if on is None:
            runner.close()


@app.command("contract")
def contract(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Hours and contract share per facility, quarter and category."""
    from carecover.pbj.employees.measures import contract_share

    _run(employee_rows(files, db), contract_share, engine, spark_master, fmt)


@app.command("weekend")
def weekend(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Hours a weekend day and a weekday per facility, quarter and category."""
    from carecover.pbj.employees.measures import weekend_staffing

    _run(employee_rows(files, db), weekend_staffing, engine, spark_master, fmt)


@app.command("outliers")
def outliers(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Employee ids with more than 16 hours in a day or 400 hours in a month."""
    from carecover.pbj.employees.measures import hour_outliers

    _run(employee_rows(files, db), hour_outliers, engine, spark_master, fmt)


QuarterOption = Annotated[
    str | None,
    typer.Option("--quarter", help="Last of the six quarters (default: the latest in FILE)."),
]
MethodOption = Annotated[
    str,
    typer.Option("--method", help="Rating method whose turnover rule (window, gap) to use."),
]


def _six_quarters(
    files: list[Path] | None, db: Path, quarter: str | None, method_name: str
) -> tuple[Any, Any, Any]:
    """The rows, the last of the six quarters and the method's turnover rule."""
    from carecover.pbj.calendar import Quarter
    from carecover.rating.methods import method
    from carecover.rating.turnover import check_rule

    rule = check_rule(method(method_name).turnover)
    rows = employee_rows(files, db)
    quarters = rows.column("quarter").to_pylist()
    if quarter is None and not quarters:
        raise typer.BadParameter("the files hold no rows: give --quarter", param_hint="--quarter")
    return rows, Quarter.parse(quarter or max(quarters)), rule


@app.command("turnover")
def turnover(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    method_name: MethodOption = "2024-07",
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Nurse, RN and administrator turnover over six quarters (the rating method's rule)."""
    from carecover.rating.turnover import turnover_expression, turnover_figures

    rows, last, rule = _six_quarters(files, db, quarter, method_name)

    def figures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [asdict(f) for f in turnover_figures(rows)]

    _run(rows, lambda t: turnover_expression(t, last, rule), engine, spark_master, fmt, figures)


@app.command("tenure")
def tenure(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    method_name: MethodOption = "2024-07",
    fmt: FormatOption = Format.TABLE,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Tenure of the nurses, RNs and administrators on hand at the end of the quarter."""
    from carecover.rating.tenure import tenure_expression

    rows, last, rule = _six_quarters(files, db, quarter, method_name)
    _run(rows, lambda t: tenure_expression(t, last, rule), engine, spark_master, fmt)
