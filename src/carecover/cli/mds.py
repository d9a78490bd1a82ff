"""``carecover mds ...``: load MDS assessments and compute the daily census."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from carecover.cli import mds_report
from carecover.cli.engine_options import EngineOption, SparkMasterOption, engine_for
from carecover.cli.options import WaitOption, parse_date, wait_for_stores
from carecover.engines import EngineName
from carecover.mds import DEFAULT_STORE, census_from_files, connect, load_files, open_store
from carecover.mds.census import DailyCensus, census_on_engine, write_census_csv

app = typer.Typer(help="MDS 3.0 assessments and the daily resident census.", no_args_is_help=True)

DbOption = Annotated[
    Path | None, typer.Option("--db", help=f"DuckDB store (default {DEFAULT_STORE}).")
]


@app.command("load")
def load(
    files: Annotated[list[Path], typer.Argument(help="MDS extract CSV, MDS XML or ZIP files.")],
    db: DbOption = None,
    wait: WaitOption = 0.0,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit", help="DuckDB's memory cap while loading (spills beyond it)."
        ),
    ] = "1.5GB",
) -> None:
    """Load MDS files into the store (one transaction per file; same bytes load once)."""
    wait_for_stores(wait)
    con = connect(db or DEFAULT_STORE)
    try:
        for r in load_files(con, files, memory_limit=memory_limit):
            if r.already_loaded:
                typer.echo(f"{r.file}: already loaded, skipped")
            else:
                typer.echo(f"{r.file}: {r.loaded} loaded, {r.quarantined} quarantined")
    finally:
        con.close()


@app.command("census")
def census(
    start: Annotated[str, typer.Option("--from", help="First day, e.g. 2026-01-01.")],
    end: Annotated[str, typer.Option("--to", help="Last day, e.g. 2026-03-31.")],
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files to read (else the store).")
    ] = None,
    db: DbOption = None,
    facility: Annotated[
        str | None, typer.Option("--facility", help="Only this CCN (A0100B).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    wait: WaitOption = 0.0,
    engine: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """Daily resident census per facility (A0100B) and date."""
    wait_for_stores(wait)
    if fmt not in {"table", "csv", "json"}:
        raise typer.BadParameter("choose table, csv or json", param_hint="--format")
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if engine is not EngineName.DUCKDB:
        # Read and checked on DuckDB as always; the census rule runs on the engine.
        con = open_store(list(files or []), db)
        try:
            with engine_for(engine, spark_master) as on:
                found = census_on_engine(on, con, first, last, facility=facility)
        finally:
            con.close()
        _print(found, fmt)
        return
    if fmt == "csv":
        # DuckDB formats the CSV: a national quarter is over a million rows.
        con = open_store(list(files or []), db)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "census.csv"
                write_census_csv(con, first, last, out, facility=facility)
                typer.echo(out.read_text(encoding="utf-8"), nl=False)
        finally:
            con.close()
        return
    _print(census_from_files(list(files or []), first, last, db=db, facility=facility), fmt)


def _print(rows: list[DailyCensus], fmt: str) -> None:
    if fmt == "csv":
        # The bytes DuckDB's COPY writes for the same rows.
        lines = [f"{r.facility},{r.date.isoformat()},{r.census}" for r in rows]
        typer.echo("\n".join(["facility,date,census", *lines]))
        return
    if fmt == "json":
        data = [
            {"facility": r.facility, "date": r.date.isoformat(), "census": r.census} for r in rows
        ]
        typer.echo(json.dumps(data, indent=2))
    else:
        typer.echo(f"{'facility':<10} {'date':<10} {'census':>6}")
        for r in rows:
            typer.echo(f"{r.facility:<10} {r.date.isoformat():<10} {r.census:>6}")


mds_report.register(app)
