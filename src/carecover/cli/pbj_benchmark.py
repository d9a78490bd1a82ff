"""CLI command: ``carecover pbj benchmark`` — a facility's measures among its peers.

One call into ``carecover.pbj.measures.benchmark.benchmark_rows``; Ibis and DuckDB are
imported inside the command so that ``carecover --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.pbj_measures import DEFAULT_DB, DbOption, FilesArg, FormatOption, QuarterOption
from carecover.cli.pbj_render import Format, render

__all__ = ["benchmark", "register"]


def benchmark(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    facility: Annotated[
        str, typer.Option("--facility", help="The facility to benchmark (6-character CCN).")
    ] = ...,  # type: ignore[assignment]
    quarter: QuarterOption = None,
    peers: Annotated[
        str,
        typer.Option(
            "--peers",
            help="Peer group: state, county, national, chain, beds "
            "(chain and beds: a history store with provider files).",
        ),
    ] = "state",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Each staffing measure with its percentile and peer median, per quarter (the trend)."""
    from carecover.pbj.measures.benchmark import BENCHMARK_COLUMNS, benchmark_rows

    source = list(files) if files else db.expanduser()
    rows = benchmark_rows(source, facility=facility, quarter=quarter, peers=peers)
    render(rows, BENCHMARK_COLUMNS, fmt)


def register(app: typer.Typer) -> None:
    """Add this module's command to ``app``."""
    app.command("benchmark")(benchmark)
