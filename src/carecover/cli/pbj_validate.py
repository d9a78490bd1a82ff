"""CLI command: ``carecover pbj validate FILE.xml|FILE.zip``.

Runs CMS's PBJ edits over a submission file (``validate_submission``) and
prints a Final-Validation-Report-style report as text, JSON or HTML. Exit
status 0 when the file would be accepted (warnings allowed), 1 when it would
be rejected or cannot be read.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ReportFormat(StrEnum):
    """Output formats of ``pbj validate``."""

    text = "text"
    json = "json"
    html = "html"


def validate(
    file: Annotated[
        Path,
        typer.Argument(help="A PBJ submission: an .xml file (spec 4.10.0) or a .zip of them."),
    ],
    report_format: Annotated[
        ReportFormat, typer.Option("--format", help="Report format.")
    ] = ReportFormat.text,
    submitted_on: Annotated[
        datetime | None,
        typer.Option(
            "--submitted-on",
            formats=["%Y-%m-%d"],
            help="Day the file goes to CMS (default today): decides the version cut-over,"
            " future dates and the deadline.",
        ),
    ] = None,
    facility_name: Annotated[
        str | None,
        typer.Option("--facility-name", help="Facility name for the report (not in a PBJ file)."),
    ] = None,
) -> None:
    """Validate a PBJ submission file against CMS's edits; exit 1 if it would be rejected."""
    # Imported here: lxml and the edit tables stay off the start-up path.
    from carecover.pbj.submission.fvr import render_html, render_json, render_text
    from carecover.pbj.submission.validation import validate_submission

    report = validate_submission(file, submitted_on=submitted_on.date() if submitted_on else None)
    if facility_name:
        from dataclasses import replace

        report = replace(report, facility_name=facility_name.strip()[:200])
    render = {"text": render_text, "json": render_json, "html": render_html}
    text = render[report_format.value](report)
    typer.echo(text, nl=not text.endswith("\n"))
    if report.status == "rejected":
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("validate")(validate)
