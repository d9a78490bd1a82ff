"""CLI command: ``carecover synth puf`` (synthetic PBJ Daily Nurse Staffing rows)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def puf(
    facilities: Annotated[
        int, typer.Option("--facilities", min=1, max=99_999, help="How many facilities.")
    ],
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2024Q2.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference",
            help="National facility-quarter summary CSV to draw facility profiles from "
            "(default: a built-in sample of it).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Write a synthetic PBJ Daily Nurse Staffing public-use file."""
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.publicfile.synth import synthesize_puf

    result = synthesize_puf(
        out, facilities=facilities, quarter=Quarter.parse(quarter), summary=reference, seed=seed
    )
    typer.echo(
        f"wrote {result.path}: {result.rows} rows, {result.facilities} facilities, {result.quarter}"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("puf")(puf)
