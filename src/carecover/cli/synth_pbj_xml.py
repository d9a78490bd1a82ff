"""CLI command: ``carecover synth pbj-xml`` (synthetic PBJ 4.10.0 files)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.synth import synth_pbj_xml


def pbj_xml(
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3.")],
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="An .xml file (one facility) or a folder (one file each)."
        ),
    ],
    facilities: Annotated[
        int, typer.Option("--facilities", min=1, help="How many facilities (files).")
    ] = 1,
    employees_per_facility: Annotated[
        int | None,
        typer.Option(
            "--employees-per-facility", min=1, help="Roster size (default: sized from census)."
        ),
    ] = None,
    entries: Annotated[
        int | None,
        typer.Option("--entries", min=1, help="Exactly this many hour entries in every file."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference",
            help="National facility-quarter summary CSV to draw facility profiles from "
            "(default: its deciles, built in).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Write synthetic, XSD-valid PBJ 4.10.0 submission files with realistic staffing."""
    written = synth_pbj_xml(
        out,
        facilities=facilities,
        quarter=Quarter.parse(quarter),
        employees_per_facility=employees_per_facility,
        seed=seed,
        entries=entries,
        reference=reference,
    )
    for s in written:
        typer.echo(
            f"wrote {s.path}: {s.employees} employees, {s.hour_entries} hour entries, "
            f"{s.total_hours} hours"
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("pbj-xml")(pbj_xml)
