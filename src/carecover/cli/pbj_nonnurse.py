"""CLI command: ``carecover pbj non-nurse``: non-nurse HPRD per facility-quarter.

Reads CMS's Daily Non-Nurse Staffing files (FILE) or the store (``--db``)
and prints ``carecover.pbj.measures.nonnurse.nonnurse_rows``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.options import WaitOption, wait_for_stores
from carecover.cli.pbj_render import Format, render

__all__ = ["non_nurse", "register"]

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


def non_nurse(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="PBJ Daily Non-Nurse Staffing CSV files; none = the store.", exists=True
        ),
    ] = None,
    db: Annotated[
        Path, typer.Option("--db", help="DuckDB staffing store (used when no FILE is given).")
    ] = Path(DEFAULT_DB),
    quarter: Annotated[
        str | None, typer.Option("--quarter", help="Only this calendar quarter, e.g. 2024Q2.")
    ] = None,
    facility: Annotated[
        str | None, typer.Option("--facility", help="Only this facility (6-character CCN).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    wait: WaitOption = 0.0,
) -> None:
    """Non-nurse HPRD per facility-quarter: PT, OT, administrator and the other categories."""
    wait_for_stores(wait)
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.measures.nonnurse import nonnurse_columns, nonnurse_rows

    source = list(files) if files else db.expanduser()
    rows = nonnurse_rows(
        source, quarter=Quarter.parse(quarter) if quarter else None, facility=facility
    )
    render(rows, nonnurse_columns(), fmt)


def register(app: typer.Typer) -> None:
    """Add ``non-nurse`` to the ``pbj`` group."""
    app.command("non-nurse")(non_nurse)
