"""CLI commands: synthetic backup-staffing data."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.options import parse_date


def register(app: typer.Typer) -> None:
    """Add ``synth backup`` to ``app``."""

    @app.command("backup")
    def synth_backup(
        output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write into.")],
        members: Annotated[int, typer.Option(min=1, max=20_000, help="Members served.")] = 200,
        agencies: Annotated[int, typer.Option(min=1, max=1_000, help="Provider agencies.")] = 4,
        eors: Annotated[int, typer.Option(min=0, max=5_000, help="Employers of Record.")] = 4,
        months: Annotated[int, typer.Option(min=1, max=36, help="Months of history.")] = 6,
        today: Annotated[
            str | None, typer.Option(help="Last incident date (YYYY-MM-DD); default today.")
        ] = None,
        seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 2026,
    ) -> None:
        """Write reports.csv, attestations.csv and providers.csv of synthetic backup data."""
        from carecover.backup.synth import synth_backup_data
        from carecover.backup.writing import write_attestations_csv, write_reports_csv

        last = parse_date(today, "--today") if today else date.today()
        first = (last.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
        data = synth_backup_data(
            first=first, last=last, agencies=agencies, eors=eors, members=members, seed=seed
        )
        output.mkdir(parents=True, exist_ok=True)
        n = write_reports_csv(data.reports, output / "reports.csv")
        a = write_attestations_csv(data.attestations, output / "attestations.csv")
        with (output / "providers.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["provider_id", "provider_name", "reporter_kind"])
            for p in data.providers:
                writer.writerow([p.provider_id, p.provider_name, p.reporter_kind])
        typer.echo(
            f"wrote {n} reports, {a} attestations and {len(data.providers)} providers "
            f"({first} to {last}) to {output}"
        )
