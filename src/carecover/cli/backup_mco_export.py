"""CLI command: ``carecover backup export``, a provider's reports of a period in an MCO's layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from carecover.backup.correction import load_compliance_rules
from carecover.backup.mco import ExportFormat, resolve_mco_profile
from carecover.backup.mco_export import export_period, load_layout
from carecover.backup.reading import load_reports
from carecover.outputs import written


def export(
    file: Annotated[Path, typer.Argument(help="Backup staffing reports: .csv, .jsonl or .ndjson.")],
    mco: Annotated[str, typer.Option("--mco", help="partners, alliance or vaya.")],
    period: Annotated[str, typer.Option("--period", help="A day inside the period (YYYY-MM-DD).")],
    provider: Annotated[str, typer.Option("--provider", help="The provider's id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Write here.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="Default: the MCO's own (csv, xlsx, html)."),
    ] = None,
) -> None:
    """Export a provider's filed reports of one period in the MCO's own layout."""
    name = mco.strip().lower()
    try:
        day = date.fromisoformat(period.split("..")[0])
    except ValueError:
        raise typer.BadParameter(
            f"{period!r} is not a date like 2026-10-01", param_hint="--period"
        ) from None
    load_layout(name)  # an unknown MCO is refused with the names of the known ones
    profile = resolve_mco_profile(name)
    window = profile.scheme(load_compliance_rules().grace_days).period_for(day)
    made = export_period(load_reports(file, today=date.today()), profile, window, provider, fmt)
    with written(output) as partial:
        partial.write_bytes(made.content)
    typer.echo(f"wrote {output} ({made.count} reports, {window.label})", err=True)


def register(app: typer.Typer) -> None:
    """Add this module's command to ``app``."""
    app.command("export")(export)
