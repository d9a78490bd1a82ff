"""CLI command: ``carecover synth mds`` (synthetic MDS extract CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.options import parse_date
from carecover.mds.synth import synth_mds


def mds(
    start: Annotated[str, typer.Option("--from", help="First day of the period, e.g. 2026-01-01.")],
    end: Annotated[str, typer.Option("--to", help="Last day of the period.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="The CSV file to write.")],
    facilities: Annotated[
        int, typer.Option("--facilities", min=1, max=99_999, help="How many (national: 15000).")
    ] = 1,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Same seed, same bytes.")] = 0,
    duplicate_rate: Annotated[
        float,
        typer.Option(
            "--duplicate-rate", min=0.0, max=1.0, help="Share of records with an identity error."
        ),
    ] = 0.0,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference",
            help="National facility-quarter summary CSV to draw census sizes from "
            "(default: lognormal around 80).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Write a synthetic MDS extract: admissions, quarterlies, discharges, deaths, errors."""
    s = synth_mds(
        out,
        facilities=facilities,
        start=parse_date(start, "--from"),
        end=parse_date(end, "--to"),
        seed=seed,
        duplicate_rate=duplicate_rate,
        reference=reference,
    )
    typer.echo(
        f"wrote {s.path}: {s.facilities} facilities, {s.residents} residents, {s.records} records"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("mds")(mds)
