"""``carecover facility ...``: a facility's own figures from its own PBJ XML and MDS files.

``figures`` loads the files into a scratch store and prints what the
portal's facility page shows (``carecover.facility``): HPRD by category,
the day counts, the case-mix ratio and adjusted HPRD, days without an RN,
the stars and the overall-rating steps, and the projection.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.options import parse_date

HELP = "A facility's own figures from its own PBJ XML and MDS files."

app = typer.Typer(help=HELP, no_args_is_help=True)


class FiguresFormat(StrEnum):
    """How ``facility figures`` prints."""

    TABLE = "table"
    JSON = "json"


@app.command("figures")
def figures(
    pbj: Annotated[
        list[Path],
        typer.Option("--pbj", help="PBJ XML submission (or ZIP); repeat for more.", exists=True),
    ],
    mds: Annotated[
        list[Path],
        typer.Option("--mds", help="MDS extract CSV or assessment XML; repeat.", exists=True),
    ],
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3.")],
    release: Annotated[
        str | None,
        typer.Option(
            "--release",
            help="Care Compare release (YYYY-MM) that rates the quarter (default: the one "
            "that will rate it).",
        ),
    ] = None,
    ccn: Annotated[
        str | None,
        typer.Option("--ccn", help="The facility's CCN (default: the only one in the MDS files)."),
    ] = None,
    cmi_ratio: Annotated[
        float | None,
        typer.Option("--cmi-ratio", help="Case-mix ratio to use instead of the MDS one."),
    ] = None,
    inspection_stars: Annotated[
        int | None,
        typer.Option("--inspection-stars", min=1, max=5, help="Health-inspection stars."),
    ] = None,
    qm_stars: Annotated[
        int | None, typer.Option("--qm-stars", min=1, max=5, help="Quality-measure stars.")
    ] = None,
    submitted_on: Annotated[
        str | None,
        typer.Option("--submitted-on", help="Day the PBJ was submitted (ISO; default today)."),
    ] = None,
    fmt: Annotated[
        FiguresFormat, typer.Option("--format", help="table or json.")
    ] = FiguresFormat.TABLE,
) -> None:
    """HPRD, case-mix, adjusted HPRD, zero-RN days, stars and projection of one quarter."""
    from carecover.facility import load_own_files, own_figures
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.store import connect

    q = Quarter.parse(quarter)
    con = connect(":memory:")
    try:
        found = load_own_files(
            con,
            pbj,
            mds,
            q,
            ccn=ccn.strip().upper() if ccn else None,
            submitted_on=parse_date(submitted_on, "--submitted-on") if submitted_on else None,
        )
        result = own_figures(
            con,
            found,
            q,
            release=release,
            cmi_ratio=cmi_ratio,
            inspection_stars=inspection_stars,
            qm_stars=qm_stars,
        )
    finally:
        con.close()
    if fmt is FiguresFormat.JSON:
        typer.echo(json.dumps(result.to_dict(), indent=2, default=str))
        for line in result.warnings:
            print(f"warning: {line}", file=sys.stderr)
    else:
        typer.echo(result.to_text())
