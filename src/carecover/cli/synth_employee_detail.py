"""CLI command: ``carecover synth employee-detail`` (a synthetic PBJ Employee Detail quarter)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["employee_detail", "register"]


def employee_detail(
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2024Q2.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
    facilities: Annotated[
        int,
        typer.Option(
            "--facilities", min=1, max=99_999, help="How many facilities (national: 15000)."
        ),
    ] = 15_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
) -> None:
    """Write a synthetic PBJ Employee Detail public file for one quarter.

    Quarters written with the same seed and facility count are one staffing
    history (an id carries on until its term ends): six of them give the
    turnover rule realistic departures.
    """
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.employees.synth import synthesize_employee_detail

    result = synthesize_employee_detail(
        out, facilities=facilities, quarter=Quarter.parse(quarter), seed=seed
    )
    typer.echo(
        f"wrote {result.path}: {result.rows} rows, {result.facilities} facilities, {result.quarter}"
    )


def register(app: typer.Typer) -> None:
    """Add this module's command to ``app``."""
    app.command("employee-detail")(employee_detail)
