"""CLI command: ``carecover pbj load FILE... [--db PATH] [--quarantine]``.

Loads CMS's public Daily Nurse / Non-Nurse Staffing CSV files and PBJ
submission XML (or ZIPs of it) into the DuckDB store through
``carecover.pbj.ingest.load_paths``, with a Rich progress bar on stderr when
stderr is a terminal. DuckDB and lxml are imported inside the command so that
``carecover --help`` stays fast.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carecover.cli.options import WaitOption, wait_for_stores

if TYPE_CHECKING:
    from carecover.pbj.ingest import AnyLoadResult, LoadProgress

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


def loaded_line(r: AnyLoadResult) -> str:
    """One line saying what loading one file did."""
    from carecover.pbj.submission.store import XmlLoadResult

    if r.skipped:
        return f"{r.file}: already loaded (same content), nothing changed"
    if isinstance(r, XmlLoadResult):
        line = (
            f"{r.file}: {r.rows_loaded} PBJ hour entries loaded "
            f"({'; '.join(r.documents) or '-'}), {r.employees} employee record(s)"
        )
        if r.rows_removed:
            line += f"; {r.rows_removed} earlier hour entries replaced"
        if r.outside_quarter:
            line += f"; {r.outside_quarter} entries outside the quarter not loaded (edit -1010)"
        if r.warnings:
            line += f"; {r.warnings} validation warning(s) (see `pbj validate`)"
        return line
    line = f"{r.file}: {r.rows_loaded} {r.kind} rows loaded ({', '.join(r.quarters) or '-'})"
    if r.rows_quarantined:
        line += f"; {r.rows_quarantined} row(s) quarantined (see the quarantine table)"
    return line


def load(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Public-use CSV files, PBJ submission XML files or ZIPs of them.", exists=True
        ),
    ],
    db: Annotated[
        Path, typer.Option("--db", help="DuckDB staffing store to load into (created if missing).")
    ] = Path(DEFAULT_DB),
    quarantine: Annotated[
        bool,
        typer.Option("--quarantine", help="Put unreadable rows in the quarantine table and go on."),
    ] = False,
    submitted_on: Annotated[
        datetime | None,
        typer.Option(
            "--submitted-on",
            formats=["%Y-%m-%d"],
            help="Day assumed when validating PBJ XML (default today).",
        ),
    ] = None,
    wait: WaitOption = 0.0,
) -> None:
    """Load PBJ public files (Daily Nurse / Non-Nurse Staffing) or PBJ XML into the store."""
    wait_for_stores(wait)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from carecover.pbj.ingest import load_paths
    from carecover.pbj.store import connect

    con = connect(db)
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]:,} records"),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("loading", total=None, records=0)

            def show(p: LoadProgress) -> None:
                name = Path(p.file).name
                bar.update(
                    task,
                    completed=p.bytes_done,
                    total=p.bytes_total,
                    records=p.records,
                    description=f"[{min(p.files_done + 1, p.files_total)}/{p.files_total}] "
                    f"{p.phase} {name}",
                )

            load_paths(
                con,
                files,
                quarantine=quarantine,
                submitted_on=submitted_on.date() if submitted_on else None,
                progress=show,
                on_loaded=lambda r: typer.echo(loaded_line(r)),
            )
    finally:
        con.close()
    typer.echo(f"store: {db.expanduser()}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("load")(load)
