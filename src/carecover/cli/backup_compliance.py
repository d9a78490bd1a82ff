"""CLI commands: ``carecover backup summary`` and ``carecover backup periods``.

``summary`` rolls reports up for the Quality of Care Committee (monthly), the
Human Rights Committee or the State (quarterly); ``periods`` shows, for each
provider and reporting period, whether it reported, attested to no
incidents, was late or is missing.

Both follow the MCO profile (``carecover.backup.mco``: period scheme, the
requirement's effective date, the State report's smallest cell): the shipped
one (Partners) or ``--mco-profile FILE``.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from carecover.backup.compliance import (
    Attestation,
    ProviderRef,
    period_compliance,
    read_attestations,
    read_providers,
)
from carecover.backup.correction import load_compliance_rules
from carecover.backup.export import (
    compliance_json,
    compliance_table,
    rollup_json,
    rollup_tables,
    to_csv,
    to_text,
    write_xlsx,
)
from carecover.backup.mco import McoProfile, resolve_mco_profile
from carecover.backup.periods import PeriodScheme
from carecover.backup.reading import load_reports
from carecover.backup.rollup import RollupKind, build_rollup
from carecover.outputs import written


class SummaryFormat(StrEnum):
    """Output formats of ``summary``."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


class PeriodsFormat(StrEnum):
    """Output formats of ``periods``."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class SchemeName(StrEnum):
    """How reporting periods are cut."""

    SEMI_MONTHLY = "semi-monthly"
    CYCLES = "14-day"


ReportsFile = Annotated[
    Path, typer.Argument(help="Backup staffing reports: .csv, .jsonl or .ndjson.")
]
AttestationsFile = Annotated[
    Path | None,
    typer.Option(
        "--attestations",
        help="CSV of no-incident attestations: provider_id,period_start,attested_at.",
    ),
]
ProvidersFile = Annotated[
    Path | None,
    typer.Option(
        "--providers",
        help="CSV of providers expected to report: provider_id,provider_name,reporter_kind. "
        "Default: the providers in the reports file.",
    ),
]
ProfileFile = Annotated[
    str | None,
    typer.Option(
        "--mco-profile",
        help="The MCO's profile (TOML, like carecover/data/backup/mco.toml): period scheme, "
        "when the requirement took effect, smallest cell of the State report. "
        "A shipped profile by name: partners, alliance, vaya. Default: partners.",
    ),
]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2026-11-23", param_hint=option
        ) from None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        with written(output) as partial:
            partial.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(
    file: ReportsFile,
    period: Annotated[
        str,
        typer.Option(
            "--period",
            help="Month (2026-10) for monthly; quarter (2026Q4) or a month inside it for "
            "quarterly kinds.",
        ),
    ],
    kind: Annotated[RollupKind, typer.Option("--kind", help="Which roll-up.")] = (
        RollupKind.MONTHLY
    ),
    fmt: Annotated[SummaryFormat, typer.Option("--format", help="Output format.")] = (
        SummaryFormat.TABLE
    ),
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (required for xlsx); default stdout."),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Today's date (YYYY-MM-DD); default: today.")
    ] = None,
    attestations: AttestationsFile = None,
    providers: ProvidersFile = None,
    mco_profile: ProfileFile = None,
) -> None:
    """Roll reports up for the QoC Committee, the Human Rights Committee or the State."""
    if fmt is SummaryFormat.XLSX and output is None:
        raise typer.BadParameter("xlsx needs a file to write to", param_hint="-o/--output")
    as_of = _date(today, "--today") or date.today()
    rules = load_compliance_rules()
    profile = resolve_mco_profile(mco_profile)
    rollup = build_rollup(
        kind,
        load_reports(file, today=as_of),
        period,
        as_of=as_of,
        attestations=read_attestations(attestations) if attestations else None,
        providers=read_providers(providers) if providers else None,
        scheme=profile.scheme(rules.grace_days),
        required_from=profile.required_from,
        min_cell_members=profile.min_cell_members,
        timeliness_standard_pct=profile.timeliness_standard_pct,
    )
    tables = rollup_tables(rollup)
    if fmt is SummaryFormat.XLSX:
        assert output is not None
        with written(output) as partial:
            write_xlsx(tables, partial)
        typer.echo(f"wrote {output}", err=True)
    elif fmt is SummaryFormat.CSV:
        _emit(to_csv(tables), output)
    elif fmt is SummaryFormat.JSON:
        _emit(_dump(rollup_json(rollup)), output)
    else:
        _emit(to_text(tables), output)


def periods(
    file: ReportsFile,
    first: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    last: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    attestations: AttestationsFile = None,
    providers: ProvidersFile = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Judge lateness as of this date; default: today."),
    ] = None,
    fmt: Annotated[PeriodsFormat, typer.Option("--format", help="Output format.")] = (
        PeriodsFormat.TABLE
    ),
    scheme: Annotated[
        SchemeName | None,
        typer.Option("--scheme", help="How periods are cut. Default: the MCO profile's."),
    ] = None,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="First day of any 14-day cycle (needed for 14-day)."),
    ] = None,
    mco_profile: ProfileFile = None,
) -> None:
    """Compliance per provider and reporting period: reported, attested_none, late, missing, due."""
    start, end = _date(first, "--from"), _date(last, "--to")
    assert start is not None
    assert end is not None
    anchor_day = _date(anchor, "--anchor")
    rules = load_compliance_rules()
    profile = resolve_mco_profile(mco_profile)
    cut = _scheme(scheme, anchor_day, profile, rules.grace_days)
    judged = _date(as_of, "--as-of") or date.today()
    reports = load_reports(file, today=max(judged, date.today()))
    refs: list[ProviderRef] = read_providers(providers) if providers else []
    filed: list[Attestation] = read_attestations(attestations) if attestations else []
    rows = period_compliance(
        reports,
        filed,
        [p.provider_id for p in refs] if refs else [r.provider_id for r in reports],
        start,
        end,
        as_of=judged,
        scheme=cut,
        provider_names={p.provider_id: p.provider_name for p in refs if p.provider_name},
        required_from=profile.required_from,
        reporting_from={p.provider_id: p.reporting_from for p in refs if p.reporting_from},
    )
    if fmt is PeriodsFormat.CSV:
        typer.echo(to_csv([compliance_table(rows)], codes=True), nl=False)
    elif fmt is PeriodsFormat.JSON:
        typer.echo(_dump(compliance_json(rows)), nl=False)
    else:
        typer.echo(to_text([compliance_table(rows)]), nl=False)


def _scheme(
    chosen: SchemeName | None, anchor: date | None, profile: McoProfile, grace_days: int
) -> PeriodScheme:
    """``--scheme``/``--anchor`` when given, else the MCO profile's scheme."""
    if chosen is SchemeName.CYCLES:
        if anchor is None:
            raise typer.BadParameter("14-day cycles need an anchor date", param_hint="--anchor")
        return PeriodScheme.cycles(anchor, grace_days=grace_days)
    if chosen is SchemeName.SEMI_MONTHLY:
        return PeriodScheme.semi_monthly(grace_days)
    return profile.scheme(grace_days)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("summary")(summary)
    app.command("periods")(periods)
