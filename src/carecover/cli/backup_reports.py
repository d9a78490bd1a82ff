"""CLI commands: backup reports (``carecover backup validate``)."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carecover.backup.reading import ReadResult, check_reports


class OutputFormat(StrEnum):
    """How ``validate`` prints its findings."""

    TEXT = "text"
    JSON = "json"


def _parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-11-23") from exc


def _summary(result: ReadResult) -> str:
    return f"{result.records} records, {result.valid} valid, {result.invalid} invalid"


def _render_text(result: ReadResult) -> str:
    lines = [f"{result.file}:{line}: {problem}" for line, problem in result.problems]
    return "\n".join([*lines, _summary(result)])


def _render_json(result: ReadResult) -> str:
    return json.dumps(
        {
            "file": result.file,
            "records": result.records,
            "valid": result.valid,
            "invalid": result.invalid,
            "problems": [
                {"line": line, "field": p.field, "message": p.message}
                for line, p in result.problems
            ],
        },
        indent=2,
    )


def validate(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A report file: .csv, .jsonl or .ndjson.")
    ],
    today: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="The date to check against (YYYY-MM-DD); default: the real today."
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (one line per problem) or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """Check a file of Failure to Provide Backup Staffing reports; exit 1 if any is invalid."""
    result = check_reports(file, today=_parse_today(today) or date.today())
    render = _render_json if output is OutputFormat.JSON else _render_text
    typer.echo(render(result))
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("validate")(validate)
