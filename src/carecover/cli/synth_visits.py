"""CLI command: ``carecover synth visits`` (a month of EVV visits for the demo's members)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer


def _month(value: str | None) -> tuple[date, date]:
    if value is None:
        today = date.today()
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a month like 2026-10", param_hint="--month"
        ) from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def register(app: typer.Typer) -> None:
    """Add ``synth visits`` to ``app``."""

    @app.command("visits")
    def synth_visits_command(
        output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
        month: Annotated[
            str | None, typer.Option(help="Month of visits (YYYY-MM); default last month.")
        ] = None,
        members: Annotated[int, typer.Option(min=1, max=5000, help="Members served.")] = 40,
        agencies: Annotated[int, typer.Option(min=1, max=1_000, help="Provider agencies.")] = 2,
        eors: Annotated[int, typer.Option(min=0, max=5_000, help="Employers of Record.")] = 2,
        seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 2026,
    ) -> None:
        """Write a month of visits in the generic layout: missed, partial, covered, cancelled."""
        from carecover.backup.synth_visits import synth_visits
        from carecover.backup.visit_layout import FIELDS
        from carecover.outputs import written

        first, last = _month(month)
        rows = synth_visits(
            first=first, last=last, members=members, agencies=agencies, eors=eors, seed=seed
        )
        with written(output) as partial, partial.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        typer.echo(f"wrote {len(rows)} visits ({first} to {last}) to {output}")
