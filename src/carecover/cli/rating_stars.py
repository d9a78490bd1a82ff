"""CLI: ``rating stars``, ``rating explain`` and ``rating methods``.

Each is one call into ``carecover.rating`` (``recompute``, ``Recomputed.card``,
``methods``) and renders the result.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

ProviderInfoOption = Annotated[
    Path,
    typer.Option(
        "--provider-info", help="CMS NH_ProviderInfo CSV (any release since 2018).", exists=True
    ),
]
MethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        help="2018-04, 2019-04, 2022-07 or 2024-07 (default: the method of the Care Compare "
        "release in force on the file's Processing Date).",
    ),
]


class TableFormat(StrEnum):
    """Output formats of ``rating stars``."""

    CSV = "csv"
    JSON = "json"


class CardFormat(StrEnum):
    """Output formats of ``rating explain`` and ``rating methods``."""

    TEXT = "text"
    JSON = "json"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stars(
    provider_info: ProviderInfoOption,
    method: MethodOption = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="csv or json.")] = TableFormat.CSV,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Add what decided each rating, the gap to the next star and the published stars.",
        ),
    ] = False,
) -> None:
    """Recompute each facility's staffing rating from the published measures."""
    from carecover.rating.recompute import EXPLAIN_COLUMNS, STARS_COLUMNS, recompute

    result = recompute(provider_info, method)
    rows = result.rows(explain=explain)
    columns = list(STARS_COLUMNS) + (list(EXPLAIN_COLUMNS) if explain else [])
    if fmt is TableFormat.JSON:
        typer.echo(json.dumps([{c: r[c] for c in columns} for r in rows], indent=2))
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(r[c]) for c in columns] for r in rows)


def explain_card(
    facility: Annotated[str, typer.Option("--facility", help="CCN of the facility.")],
    provider_info: ProviderInfoOption,
    method: MethodOption = None,
    fmt: Annotated[CardFormat, typer.Option("--format", help="text or json.")] = CardFormat.TEXT,
) -> None:
    """The star card of one facility: each measure, its points or level, the rule that decided."""
    from carecover.rating.overall import overall_steps
    from carecover.rating.recompute import recompute

    result = recompute(provider_info, method)
    card = result.card(facility.strip().upper())
    pf = result.provider_file
    i = pf.index_of(card.provnum)

    def stars_of(field: str) -> int | None:
        value = pf.number(field)[i]
        return None if value != value else int(value)

    steps = overall_steps(
        stars_of("health_inspection_rating"),
        card.staffing_rating,
        stars_of("qm_rating"),
        result.method,
    )
    if fmt is CardFormat.JSON:
        data = card.to_dict() | {
            "published_staffing_rating": stars_of("staffing_rating"),
            "overall_steps": steps,
            "published_overall_rating": stars_of("overall_rating"),
        }
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(card.to_text())
    published = stars_of("staffing_rating")
    typer.echo(f"CMS published staffing rating: {'none' if published is None else published}")
    typer.echo("overall rating:")
    for step in steps:
        typer.echo(f"  {step}")
    typer.echo(f"CMS published overall rating: {stars_of('overall_rating') or 'none'}")


def list_methods(
    fmt: Annotated[CardFormat, typer.Option("--format", help="text or json.")] = CardFormat.TEXT,
    unconfirmed: Annotated[
        bool,
        typer.Option(
            "--unconfirmed",
            help="Only every UNCONFIRMED value (methods, weight tables, footnotes, "
            "release calendar, rules), one per row.",
        ),
    ] = False,
) -> None:
    """The rating methods shipped, their dates and every UNCONFIRMED value the rating uses."""
    from dataclasses import asdict

    from carecover.rating.methods import methods
    from carecover.rating.unconfirmed import unconfirmed_values

    values = unconfirmed_values()
    if unconfirmed:
        if fmt is CardFormat.JSON:
            typer.echo(json.dumps([asdict(v) for v in values], indent=2))
            return
        for v in values:
            typer.echo(f"UNCONFIRMED {v.where}  {v.key} = {v.value}  ({v.source})")
        return
    items: list[dict[str, Any]] = [
        {
            "name": m.name,
            "title": m.title,
            "effective_from": m.effective_from.isoformat(),
            "effective_until": m.effective_until.isoformat() if m.effective_until else None,
            "kind": m.kind,
            "casemix": m.casemix.system,
            "unconfirmed": [
                {"key": f.key, "value": f.value, "source": f.source} for f in m.unconfirmed
            ],
            "revisions": [f"{r.effective_from}: {r.title}" for r in m.revisions],
        }
        for m in methods()
    ]
    if fmt is CardFormat.JSON:
        typer.echo(json.dumps(items, indent=2, default=str))
        return
    for item in items:
        until = item["effective_until"] or "today"
        typer.echo(f"{item['name']}  {item['effective_from']} to {until}  {item['title']}")
        for revision in item["revisions"]:
            typer.echo(f"    revised {revision}")
        for fact in item["unconfirmed"]:
            typer.echo(f"    UNCONFIRMED {fact['key']} = {fact['value']}")
    names = {m.name for m in methods()}
    typer.echo("reference data and rules:")
    for v in values:
        if v.where not in names:
            typer.echo(f"    UNCONFIRMED {v.where}  {v.key} = {v.value}")


def register(app: typer.Typer) -> None:
    """Add ``stars``, ``explain`` and ``methods`` to the ``rating`` group."""
    app.command("stars")(stars)
    app.command("explain")(explain_card)
    app.command("methods")(list_methods)
