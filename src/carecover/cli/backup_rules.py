"""CLI commands: ``carecover backup classify``, ``backup services``, ``backup reasons``.

``classify`` tells a provider whether a missed service is a service break or
a failure to provide backup staffing; ``services`` and ``reasons`` list the
catalogues a backup staffing report draws its codes from.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import typer

from carecover.backup.catalogue import load_reasons, load_services, search_services
from carecover.backup.classify import Backup, Cause, Outcome, classify, parse_backup, parse_cause

_DATE = ["%Y-%m-%d"]

CauseOption = Annotated[
    str,
    typer.Option(
        "--cause",
        help="Why the service did not happen: " + ", ".join(c.value for c in Cause) + ".",
        show_default=False,
    ),
]
BackupOption = Annotated[
    str,
    typer.Option(
        "--backup",
        help="What happened with backup staff: " + ", ".join(b.value for b in Backup) + ".",
        show_default=False,
    ),
]
OnOption = Annotated[
    datetime | None,
    typer.Option("--on", formats=_DATE, help="Only codes in effect on this date (YYYY-MM-DD)."),
]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _summary(outcome: Outcome) -> str:
    headline = {
        "service_break": "SERVICE BREAK: document it in the member's record; no report.",
        "failure_to_provide_backup": (
            "FAILURE TO PROVIDE BACKUP STAFFING (Level I): submit a report to the LME-MCO."
        ),
        "no_interruption": "NO INTERRUPTION: backup staff covered the shift.",
    }[outcome.kind.value]
    rows = [
        ("Kind", outcome.kind.value),
        ("Report required", _yes(outcome.report_required)),
        ("Document in member record", _yes(outcome.document_in_member_record)),
        ("Incident level", outcome.incident_level or "-"),
        ("Escalate (IRIS, 72 h)", _yes(outcome.escalate)),
        ("Rule", outcome.rule),
    ]
    lines = [headline, ""] + [f"{k + ':':<27} {v}" for k, v in rows] + [""]
    lines += textwrap.wrap(outcome.explanation, width=88)
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # Plain aligned columns: readable in a terminal and easy to grep or paste.
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("classify")
    def classify_command(
        cause: CauseOption,
        backup: BackupOption,
        late_notice: Annotated[
            bool,
            typer.Option(
                "--late-notice", help="The family told the supervisor days after the fact."
            ),
        ] = False,
        harm: Annotated[
            bool,
            typer.Option("--harm", help="The member was harmed or health/safety was threatened."),
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the outcome as one JSON object.")
        ] = False,
    ) -> None:
        """Service break or failure to provide backup staffing? Say what to do and why."""
        outcome = classify(
            parse_cause(cause), parse_backup(backup), late_notice=late_notice, harm=harm
        )
        if as_json:
            typer.echo(json.dumps(outcome.to_dict(), indent=2))
        else:
            typer.echo(_summary(outcome))

    @app.command("services")
    def services_command(
        search: Annotated[
            str | None,
            typer.Option(
                "--search", help="Code prefix (e.g. T2013) or words of the name (e.g. community)."
            ),
        ] = None,
        limit: Annotated[
            int, typer.Option("--limit", min=1, help="Most matches shown with --search.")
        ] = 10,
        on: OnOption = None,
    ) -> None:
        """List the service codes a backup staffing report can name."""
        day = on.date() if on is not None else None
        found = (
            search_services(search, limit=limit, on=day)
            if search is not None
            else load_services(day)
        )
        if not found:
            typer.echo("no matching services")
            return
        rows = [(s.code, s.name, s.unit.value, _yes(s.verified)) for s in found]
        typer.echo(_table(("code", "name", "unit", "verified"), rows))

    @app.command("reasons")
    def reasons_command(on: OnOption = None) -> None:
        """List the reasons backup staff was not provided (values UNCONFIRMED)."""
        found = load_reasons(on.date() if on is not None else None)
        rows = [(r.code, r.label, _yes(r.requires_explanation), _yes(r.verified)) for r in found]
        typer.echo(_table(("code", "label", "explanation required", "verified"), rows))
