"""CLI commands: ``pbj history load``, ``pbj state`` and ``pbj chain``.

``pbj history load FILE... --db PATH`` loads the national history (daily
nurse and non-nurse files of every quarter, provider-information releases)
through ``carecover.pbj.history.table.load_history`` with a Rich progress bar on
stderr; running it again after a kill resumes with the first file not yet
committed. ``pbj state`` and ``pbj chain`` print the views of
``carecover.pbj.history.views``. DuckDB is imported inside the commands so
that ``carecover --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carecover.cli.options import WaitOption, wait_for_stores
from carecover.cli.pbj_measures import DEFAULT_DB, FormatOption, QuarterOption
from carecover.cli.pbj_render import Format, render

if TYPE_CHECKING:
    from carecover.pbj.history.table import HistoryFile

__all__ = ["chain", "history_load", "register", "state"]

HistoryDb = Annotated[
    Path, typer.Option("--db", help="DuckDB history store (created by `pbj history load`).")
]
SECTIONS = ("distribution", "below_minimum", "weekend_gap", "zero_rn", "facility", "trend")
SectionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        help=f"Only these sections (repeatable): {', '.join(SECTIONS)}.",
    ),
]


def _line(r: HistoryFile) -> str:
    if r.skipped:
        return f"{r.file}: already loaded (same content), nothing changed"
    what = "provider rows (release " if r.kind == "provider_info" else f"{r.kind} rows ("
    return f"{r.file}: {r.rows_loaded} {what}{', '.join(r.periods) or '-'})"


def history_load(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Daily Nurse / Non-Nurse Staffing CSV files and NH_ProviderInfo CSV files.",
            exists=True,
            dir_okay=False,
        ),
    ],
    db: HistoryDb = Path(DEFAULT_DB),
    quarantine: Annotated[
        bool,
        typer.Option("--quarantine", help="Put unreadable rows in the quarantine table and go on."),
    ] = False,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit", help="DuckDB's memory cap while loading (spills beyond it)."
        ),
    ] = "1.5GB",
    wait: WaitOption = 0.0,
) -> None:
    """Load the national history (every quarter, every provider release), restartable."""
    wait_for_stores(wait)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from carecover.pbj.history.table import load_history
    from carecover.pbj.store import connect

    con = connect(db)
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("loading", total=None)

            def show(done: int, total: int, name: str) -> None:
                bar.update(task, completed=done, total=total, description=name)

            load_history(
                con,
                files,
                quarantine=quarantine,
                memory_limit=memory_limit,
                progress=show,
                on_loaded=lambda r: typer.echo(_line(r)),
            )
    finally:
        con.close()
    typer.echo(f"store: {db.expanduser()}")


def _filtered(rows: list[dict[str, object]], sections: list[str] | None) -> list[dict[str, object]]:
    if not sections:
        return rows
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise typer.BadParameter(
            f"unknown section {unknown[0]!r} (one of {', '.join(SECTIONS)})",
            param_hint="--section",
        )
    return [r for r in rows if r["section"] in sections]


def state(
    code: Annotated[str, typer.Option("--state", help="Two-letter state code, e.g. NY.")] = ...,  # type: ignore[assignment]
    db: HistoryDb = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    section: SectionOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A state: distributions, facilities below its minimum, weekend gaps, zero-RN days, trend."""
    from carecover.pbj.history.table import history_table, minimums_of
    from carecover.pbj.history.views import VIEW_COLUMNS, state_view
    from carecover.pbj.store import connect

    con = connect(db.expanduser(), read_only=True)
    try:
        table = history_table(con)
        rows = state_view(
            con,
            table,
            state=code,
            quarter=quarter,
            minimum_rows_of=lambda **kw: minimums_of(con, table, **kw),
        )
    finally:
        con.close()
    render(_filtered(rows, section), VIEW_COLUMNS, fmt)


def chain(
    name: Annotated[
        str, typer.Option("--chain", help="Chain name as in the provider file (any case).")
    ] = ...,  # type: ignore[assignment]
    db: HistoryDb = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    section: SectionOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A chain: its facilities' measures, their distribution, weekend gaps, zero-RN days, trend."""
    from carecover.pbj.history.table import history_table
    from carecover.pbj.history.views import VIEW_COLUMNS, chain_view
    from carecover.pbj.store import connect

    con = connect(db.expanduser(), read_only=True)
    try:
        rows = chain_view(con, history_table(con), chain=name, quarter=quarter)
    finally:
        con.close()
    render(_filtered(rows, section), VIEW_COLUMNS, fmt)


def register(app: typer.Typer) -> None:
    """Add ``pbj history load``, ``pbj state`` and ``pbj chain`` to ``app``."""
    history = typer.Typer(
        help="The national history store: every quarter and provider release.",
        no_args_is_help=True,
    )
    history.command("load")(history_load)
    app.add_typer(history, name="history")
    app.command("state")(state)
    app.command("chain")(chain)
