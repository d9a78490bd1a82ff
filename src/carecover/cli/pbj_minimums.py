"""CLI command: ``carecover pbj minimums FILE...`` — state minimum staffing per facility-quarter.

One call into ``carecover.pbj.measures.minimums.minimum_rows``; Ibis and DuckDB are
imported inside the command so that ``carecover --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.pbj_measures import (
    DEFAULT_DB,
    DbOption,
    FacilityOption,
    FilesArg,
    FormatOption,
    QuarterOption,
)
from carecover.cli.pbj_render import Format, render

__all__ = ["minimums", "register"]

StateOption = Annotated[
    str | None, typer.Option("--state", help="Only facilities in this state, e.g. NY.")
]
RuleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rule",
        help="Apply this rule set (NY, CA, ..., federal-2024) or rule id to every facility "
        "instead of its own state's rules; repeatable.",
    ),
]
WhatIfOption = Annotated[
    bool,
    typer.Option("--what-if", help="Add the repealed federal rule of 2024 (federal-2024)."),
]


def minimums(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    state: StateOption = None,
    facility: FacilityOption = None,
    quarter: QuarterOption = None,
    rule: RuleOption = None,
    what_if: WhatIfOption = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """State minimum staffing per facility, quarter and rule (docs/minimums.md)."""
    from carecover.pbj.measures.minimums import COLUMNS, minimum_rows

    source = list(files) if files else db.expanduser()
    rows = minimum_rows(
        source, quarter=quarter, facility=facility, state=state, rules=rule, what_if=what_if
    )
    # The table shows the figures; the long text columns are in CSV and JSON.
    columns = COLUMNS[: COLUMNS.index("status")] if fmt is Format.TABLE else COLUMNS
    render(rows, columns, fmt)
    if not rows and fmt is Format.TABLE:
        typer.echo(
            "note: no minimum staffing rule applies to these facility-quarters (rule sets: "
            "docs/minimums.md; --rule NAME or --what-if to apply one anyway)",
            err=True,
        )


def register(app: typer.Typer) -> None:
    """Add this module's command to ``app``."""
    app.command("minimums")(minimums)
