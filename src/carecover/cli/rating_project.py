"""CLI: ``rating project`` (a quarter in progress) and ``rating turnover``.

``project`` reads the facility's PBJ days (public-file CSVs given as FILE, or
the DuckDB store), an optional schedule CSV, and calls
``carecover.rating.project``; ``turnover`` calls ``carecover.rating.turnover``
on the store's employee-level PBJ hours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carecover.cli.engine_options import EngineOption, SparkMasterOption, engine_for
from carecover.cli.options import WaitOption, parse_date, wait_for_stores
from carecover.cli.rating_stars import CardFormat
from carecover.engines import EngineName

if TYPE_CHECKING:
    from carecover.pbj.calendar import Quarter
    from carecover.rating.rules import TurnoverRule

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


def project(
    facility: Annotated[str, typer.Option("--facility", help="CCN of the facility.")],
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2024Q2.")],
    as_of: Annotated[str, typer.Option("--as-of", help="Last day with PBJ data (ISO date).")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="PBJ Daily Nurse Staffing CSV files; none = read the store.", exists=True
        ),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help="DuckDB staffing store (when no FILE).")] = Path(
        DEFAULT_DB
    ),
    schedule: Annotated[
        Path | None,
        typer.Option(
            "--schedule", help="CSV date,census,rn_hours,total_hours of planned days.", exists=True
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help="2018-04, 2019-04, 2022-07 or 2024-07 (default: the method of the release "
            "that rates the quarter, see --release).",
        ),
    ] = None,
    cmi_ratio: Annotated[
        float | None, typer.Option("--cmi-ratio", help="Nursing case-mix index ratio (default 1).")
    ] = None,
    release: Annotated[
        str | None,
        typer.Option(
            "--release",
            help="Care Compare release (YYYY-MM, e.g. 2024-07) whose method and national "
            "figures rate the quarter (default: the release that will rate it).",
        ),
    ] = None,
    total_turnover: Annotated[
        float | None, typer.Option("--total-turnover", help="Total nurse turnover %.")
    ] = None,
    rn_turnover: Annotated[
        float | None, typer.Option("--rn-turnover", help="RN turnover %.")
    ] = None,
    admin_departures: Annotated[
        float | None, typer.Option("--admin-departures", help="Administrators who left.")
    ] = None,
    submitted_on: Annotated[
        str | None,
        typer.Option("--submitted-on", help="What-if: PBJ submitted on this date (ISO)."),
    ] = None,
    audit_failed: Annotated[
        bool, typer.Option("--audit-failed", help="What-if: a PBJ audit found inaccuracies.")
    ] = False,
    fmt: Annotated[CardFormat, typer.Option("--format", help="text or json.")] = CardFormat.TEXT,
    wait: WaitOption = 0.0,
) -> None:
    """Project a quarter in progress: measures, stars, RN-day allowance, hours for the next star."""
    wait_for_stores(wait)
    from carecover.pbj.calendar import Quarter
    from carecover.rating.methods import method as get_method
    from carecover.rating.projection import pbj_days
    from carecover.rating.projection import project as run_projection
    from carecover.rating.schedule import read_schedule

    day = parse_date(as_of, "--as-of")
    q = Quarter.parse(quarter)
    m = get_method(method) if method else None
    source = list(files) if files else db.expanduser()
    ccn = facility.strip().upper()
    result = run_projection(
        ccn,
        q,
        day,
        pbj_days(source, ccn, q),
        m,
        schedule=read_schedule(schedule) if schedule else (),
        cmi_ratio=cmi_ratio,
        release=release,
        total_turnover=total_turnover,
        rn_turnover=rn_turnover,
        admin_departures=admin_departures,
        submitted_on=parse_date(submitted_on, "--submitted-on") if submitted_on else None,
        audit_failed=audit_failed,
    )
    if fmt is CardFormat.JSON:
        typer.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        typer.echo(result.to_text())


def turnover_cmd(
    quarter: Annotated[
        str, typer.Option("--quarter", help="Last of the six quarters, e.g. 2024Q2.")
    ],
    db: Annotated[
        Path, typer.Option("--db", help="DuckDB staffing store with employee_hours.")
    ] = Path(DEFAULT_DB),
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help="Turnover rules of this method, 2022-07 or 2024-07 (default: the method of "
            "the release that rates the quarter).",
        ),
    ] = None,
    facility: Annotated[
        str | None, typer.Option("--facility", help="Only this facility id.")
    ] = None,
    fmt: Annotated[CardFormat, typer.Option("--format", help="text or json.")] = CardFormat.TEXT,
    wait: WaitOption = 0.0,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Nurse, RN and administrator turnover from six quarters of employee-level PBJ."""
    wait_for_stores(wait)
    from dataclasses import asdict

    from carecover.pbj.calendar import Quarter
    from carecover.pbj.store import connect
    from carecover.rating.turnover import turnover

    rules = _turnover_rules(Quarter.parse(quarter), method)
    con = connect(db.expanduser(), read_only=True)
    try:
        with engine_for(engine, spark_master) as on:
            rows = turnover(con, Quarter.parse(quarter), rules, facility=facility, engine=on)
    finally:
        con.close()
    if fmt is CardFormat.JSON:
        typer.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return

    def cell(value: object) -> str:
        return "-" if value is None else str(value)

    typer.echo("facility  nurse_turnover_%  rn_turnover_%  administrators_left  admin_excluded")
    for r in rows:
        typer.echo(
            f"{r.provnum}  {cell(r.total_turnover_pct)}  {cell(r.rn_turnover_pct)}  "
            f"{cell(r.admin_departures)}  {str(r.admin_excluded).lower()}"
        )
    if not rows:
        typer.echo("(no employee hours in the six quarters)")


def _turnover_rules(quarter: Quarter, name: str | None) -> TurnoverRule:
    """The turnover rules that rate ``quarter``: its release's method, revised to its date."""
    from carecover.errors import ConfigError, NotFoundError
    from carecover.rating.methods import method as get_method
    from carecover.rating.releases import release_for_quarter

    try:
        release = release_for_quarter(quarter)
    except NotFoundError:
        if name is None:
            raise
        chosen = get_method(name)
    else:
        chosen = get_method(name).on(release.date) if name else release.method
    if chosen.turnover is None:
        raise ConfigError(
            f"method {chosen.name} has no turnover measures (they began with 2022-07)"
        )
    return chosen.turnover


def register(app: typer.Typer) -> None:
    """Add ``project`` and ``turnover`` to the ``rating`` group."""
    app.command("project")(project)
    app.command("turnover")(turnover_cmd)
