"""Synthetic backup-staffing data for the demo, the tests and the benchmarks.

Realistic in shape, not in names: a few provider agencies and Employers of
Record, a couple of hundred members, and months of Failure to Provide Backup
Staffing reports with drafts, returns, late filings, attestations of no
incidents and periods where nothing was filed at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from carecover.backup.catalogue import load_reasons, load_services
from carecover.backup.compliance import Attestation
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    Member,
    ReporterKind,
    ReportStatus,
)
from carecover.backup.validation import EOR_REASON_PREFIX
from carecover.errors import InputError

__all__ = ["SynthBackupData", "SynthProvider", "synth_backup_data"]

_FIRST = (
    "Avery Blake Casey Dana Elliot Frances Gray Harper Indigo Jordan Kendall Logan Morgan "
    "Noel Oakley Parker Quinn Riley Sawyer Taylor Umber Vesper Wren Xiomara Yael Zion"
).split()
_LAST = (
    "Allen Barnes Carter Dixon Ellis Foster Graham Hughes Irving Jenkins Keller Lambert "
    "Mercer Nolan Owens Perry Quincy Reyes Sutton Tucker Underwood Vance Walsh Young"
).split()
_AGENCIES = (
    "Piedmont Community Supports",
    "Blue Ridge Family Services",
    "Catawba Valley Living",
    "Foothills In-Home Care",
    "Sandhills Supported Living",
    "Yadkin River Respite",
)
_DECLINED_WHY = (
    "Member did not want an unfamiliar worker in the home",
    "Guardian preferred to cover the shift as a family",
    "Member was anxious about a new staff person",
)
_WINDOWS = ((time(8), time(14)), (time(9), time(17)), (time(15), time(21)), (time(22), time(6)))


@dataclass(frozen=True)
class SynthProvider:
    """A provider agency or an Employer of Record in the synthetic world."""

    provider_id: str
    provider_name: str
    reporter_kind: ReporterKind
    diligence: float  # probability of filing on time; the rest are late or missing


@dataclass(frozen=True)
class SynthBackupData:
    """Everything the demo needs: providers, members, reports and attestations."""

    providers: list[SynthProvider]
    members: list[Member]
    reports: list[BackupReport]
    attestations: list[Attestation]


#: How many members, agencies and EORs one synthetic world may hold (least, most):
#: more than any LME-MCO serves is a typing error, and would run for minutes.
WORLD_LIMITS = {"members": (1, 20_000), "agencies": (1, 1_000), "eors": (0, 5_000)}


def synth_backup_data(
    *,
    first: date,
    last: date,
    agencies: int = 4,
    eors: int = 4,
    members: int = 200,
    seed: int = 2026,
    scheme: PeriodScheme | None = None,
) -> SynthBackupData:
    """Generate reports for incidents between ``first`` and ``last`` (inclusive)."""
    for name, value in (("members", members), ("agencies", agencies), ("eors", eors)):
        least, most = WORLD_LIMITS[name]
        if not least <= value <= most:
            raise InputError(f"{name} must be between {least} and {most}", field=f"--{name}")
    rng = random.Random(seed)
    scheme = scheme or PeriodScheme.semi_monthly()
    providers = _providers(rng, agencies, eors)
    people = [_member(rng, i) for i in range(members)]
    # Members are served by one provider each; EORs serve one member each.
    served: dict[str, list[Member]] = {p.provider_id: [] for p in providers}
    agency_ids = [p.provider_id for p in providers if p.reporter_kind is ReporterKind.PROVIDER]
    eor_ids = [p.provider_id for p in providers if p.reporter_kind is ReporterKind.EOR]
    for i, person in enumerate(people):
        owner = eor_ids[i] if i < len(eor_ids) else rng.choice(agency_ids)
        served[owner].append(person)

    services = [s.code for s in load_services(on=last)]
    reasons = [r.code for r in load_reasons() if r.code != "other"]
    reports: list[BackupReport] = []
    attestations: list[Attestation] = []
    number = 0
    for period in scheme.periods_between(first, last):
        for provider in providers:
            clients = served[provider.provider_id]
            rate = 0.6 if provider.reporter_kind is ReporterKind.EOR else 0.05 * len(clients)
            if not clients:
                rate = 0.0  # with few members an Employer of Record may serve nobody
            count = _poisson(rng, rate)
            on_time = rng.random() < provider.diligence
            filed_at = _filing_time(rng, period.end, period.due, on_time=on_time)
            if count == 0:
                if filed_at is not None:
                    attestations.append(Attestation(provider.provider_id, period.start, filed_at))
                continue
            for _ in range(count):
                number += 1
                day = period.start + timedelta(
                    days=rng.randrange((period.end - period.start).days + 1)
                )
                day = min(day, last)
                report = _report(rng, number, provider, rng.choice(clients), day, services, reasons)
                reports.append(_with_status(rng, report, filed_at, last))
    return SynthBackupData(providers, people, reports, attestations)


def _providers(rng: random.Random, agencies: int, eors: int) -> list[SynthProvider]:
    out = [
        SynthProvider(
            f"PRV{i + 1:03d}",
            _AGENCIES[i % len(_AGENCIES)],
            ReporterKind.PROVIDER,
            rng.choice((0.97, 0.9, 0.8, 0.6)),
        )
        for i in range(agencies)
    ]
    for i in range(eors):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} (Employer of Record)"
        out.append(SynthProvider(f"EOR{i + 1:03d}", name, ReporterKind.EOR, rng.choice((0.9, 0.7))))
    return out


def _member(rng: random.Random, i: int) -> Member:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return Member(
        first_name=rng.choice(_FIRST),
        last_name=rng.choice(_LAST),
        date_of_birth=born,
        medicaid_id=f"{900000000 + i * 7919 % 99999999:09d}{chr(65 + i % 26)}",
        ssn_last4=f"{rng.randrange(10000):04d}",
    )


def _reasons_for(provider: SynthProvider, reasons: list[str]) -> list[str]:
    """The reasons this kind of filer may give (EOR reasons are for Employers of Record only)."""
    if provider.reporter_kind is ReporterKind.EOR:
        return reasons
    return [code for code in reasons if not code.startswith(EOR_REASON_PREFIX)]


def _poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: small rates only, which is all we need here.
    limit, k, p = pow(2.718281828459045, -rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _filing_time(rng: random.Random, end: date, due: date, *, on_time: bool) -> datetime | None:
    if on_time:
        day = end + timedelta(days=rng.randrange((due - end).days + 1))
    elif rng.random() < 0.5:
        day = due + timedelta(days=rng.randrange(1, 10))
    else:
        return None  # nothing filed: the period will show as missing
    return datetime.combine(day, time(rng.randrange(8, 18), rng.randrange(60)))


def _report(
    rng: random.Random,
    number: int,
    provider: SynthProvider,
    member: Member,
    day: date,
    services: list[str],
    reasons: list[str],
) -> BackupReport:
    start, end = rng.choice(_WINDOWS)
    window = ((end.hour - start.hour) % 24) or 24
    hours = round(rng.uniform(1.0, window), 2) if rng.random() < 0.4 else float(window)
    declined = rng.random() < 0.25
    other = not declined and rng.random() < 0.08
    return BackupReport(
        report_id=f"BUS-{day.year}-{number:06d}",
        reporter_kind=provider.reporter_kind,
        provider_id=provider.provider_id,
        provider_name=provider.provider_name,
        contact=Contact(
            "Jordan Reyes", "919-555-0142", f"quality@{provider.provider_id.lower()}.example"
        ),
        member=member,
        incident_date=day,
        service_code=rng.choice(services),
        scheduled_start=start,
        scheduled_end=end,
        hours_without_staff=hours,
        backup_status=BackupStatus.OFFERED_DECLINED if declined else BackupStatus.NOT_AVAILABLE,
        reason=None
        if declined
        else ("other" if other else rng.choice(_reasons_for(provider, reasons))),
        reason_other="Backup worker's car broke down on the way" if other else None,
        declined_by=rng.choice(list(DeclinedBy)) if declined else None,
        declined_reason=rng.choice(_DECLINED_WHY) if declined else None,
    )


def _with_status(
    rng: random.Random, report: BackupReport, filed_at: datetime | None, last: date
) -> BackupReport:
    if filed_at is None or filed_at.date() > last:
        return report  # still a draft: written but never sent
    roll = rng.random()
    status = ReportStatus.ACCEPTED if roll < 0.8 else ReportStatus.SUBMITTED
    comment = None
    if roll > 0.95:
        status = ReportStatus.RETURNED
        comment = "Please give the reason backup staff was unavailable, not why the worker was out."
    return replace(report, status=status, submitted_at=filed_at, mco_comment=comment)
