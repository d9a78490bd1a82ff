"""Did each provider report (or attest to no incidents) for each period, on time?

Partners requires a Failure to Provide Backup Staffing report for every
incident, or an *Attestation of No Backup Staffing Incidents* for a period
without any, by 5 days after the period ends (Nov 2022 notice). A provider
with neither is out of compliance and gets a Plan of Correction (``correction``).

A report belongs to the period of its *incident date*; an attestation names
its period by the period's first day (any day inside the period is accepted).

The clock is fair (issue 13 §3):

* A report's timeliness is its **first** submission's: a report filed on time,
  returned by the MCO and corrected after the due date is not late.
* A report whose provider learned of the incident later (``learned_on``: the
  family told the supervisor days later) is due by the due date of the period
  containing that day, if that is later than its incident period's.
* Periods that ended before the requirement's effective date (``required_from``,
  reporting resumed 1 July 2022) are not due at all: they get no row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from carecover.backup.periods import PeriodScheme, ReportingPeriod
from carecover.backup.report import BackupReport, ReportStatus
from carecover.errors import InputError

__all__ = [
    "FILED_STATUSES",
    "Attestation",
    "ProviderPeriod",
    "ProviderPeriodStatus",
    "ProviderRate",
    "ProviderRef",
    "deadline",
    "filed_on",
    "period_compliance",
    "provider_rates",
    "read_attestations",
    "read_providers",
]

#: Statuses that mean the provider sent the report to the MCO. A returned
#: report was filed (the MCO sent it back for changes); a draft never was.
FILED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED})


class ProviderPeriodStatus(StrEnum):
    """Compliance of one provider for one reporting period."""

    REPORTED = "reported"
    ATTESTED_NONE = "attested_none"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"


@dataclass(frozen=True)
class Attestation:
    """An Attestation of No Backup Staffing Incidents for one provider and period."""

    provider_id: str
    period_start: date
    attested_at: datetime


@dataclass(frozen=True)
class ProviderRef:
    """A provider or Employer of Record expected to report."""

    provider_id: str
    provider_name: str = ""
    reporter_kind: str = ""
    #: The first day it reports to the MCO (its contract start); earlier periods are
    #: not due from it. None: due from the requirement's effective date.
    reporting_from: date | None = None


@dataclass(frozen=True)
class ProviderPeriod:
    """One provider in one reporting period.

    ``days_late``: for ``late``, days between the due date and the latest late
    filing; for ``missing``, days the period is overdue as of the check; else 0.
    """

    provider_id: str
    provider_name: str
    period: ReportingPeriod
    status: ProviderPeriodStatus
    reports: int
    late_reports: int
    attested: bool
    first_submitted_at: datetime | None
    days_late: int

    @property
    def non_compliant(self) -> bool:
        """Late or missing: the provider owes a Plan of Correction for this period."""
        return self.status in (ProviderPeriodStatus.LATE, ProviderPeriodStatus.MISSING)


@dataclass(frozen=True)
class ProviderRate:
    """How often one provider met the clock over a run of periods.

    ``rate`` is periods reported or attested on time over periods due (those
    whose due date has passed); None when no period was due yet.
    """

    provider_id: str
    provider_name: str
    periods_due: int
    on_time: int
    attested_none: int
    late: int
    missing: int

    @property
    def rate(self) -> float | None:
        """On-time periods / periods due, 0..1 (None when nothing was due)."""
        return self.on_time / self.periods_due if self.periods_due else None


def filed_on(report: BackupReport) -> datetime | None:
    """When ``report`` was first filed with the MCO, or None if it never was (drafts).

    The first submission decides: a correction re-submitted after the MCO
    returned the report keeps the first filing time (``first_submitted_at``).
    """
    if report.status not in FILED_STATUSES:
        return None
    return report.first_submitted_at or report.submitted_at


def deadline(incident_date: date, learned_on: date | None, scheme: PeriodScheme) -> date:
    """The day a report is due: its incident period's due date, or, when the provider
    learned of the incident later, the due date of the period containing that day."""
    due = scheme.period_for(incident_date).due
    if learned_on is not None and learned_on > incident_date:
        return max(due, scheme.period_for(learned_on).due)
    return due


def period_compliance(
    reports: Iterable[BackupReport],
    attestations: Iterable[Attestation],
    providers: Iterable[str],
    first: date,
    last: date,
    *,
    as_of: date,
    scheme: PeriodScheme | None = None,
    provider_names: Mapping[str, str] | None = None,
    required_from: date | None = None,
    reporting_from: Mapping[str, date] | None = None,
) -> list[ProviderPeriod]:
    """One row per provider × period overlapping ``first``..``last``, as known on ``as_of``.

    Only filings (reports submitted/accepted/returned with a ``submitted_at``,
    and attestations) made on or before ``as_of`` count, each at its *first*
    submission (``filed_on``). A report is on time when that date is on or
    before its ``deadline`` (its period's due date, later when the provider
    learned of the incident later); an attestation when it is on or before the
    period's due date. Periods ending before ``required_from`` (the
    requirement's effective date) are left out, and for a provider in
    ``reporting_from`` the periods ending before its first reporting day (a
    provider that joined the network later owed nothing before). Precedence:

    1. ``late``          — any report for the period was filed after its deadline,
                           or the only filing is an attestation filed after it;
    2. ``reported``      — at least one report filed on time (an attestation for
                           the same period is then simply contradicted);
    3. ``attested_none`` — an attestation filed on time and no reports;
    4. ``missing``       — nothing filed by the due date and ``as_of`` is past it;
    5. ``due``           — nothing filed yet and the due date has not passed.
    """
    scheme = scheme or PeriodScheme.semi_monthly()
    periods = [
        p
        for p in scheme.periods_between(first, last)
        if required_from is None or p.end >= required_from
    ]
    names = dict(provider_names or {})
    by_key: dict[tuple[str, date], list[tuple[datetime, date]]] = {}
    for report in reports:
        when = filed_on(report)
        names.setdefault(report.provider_id, report.provider_name)
        if when is None or when.date() > as_of:
            continue
        period = scheme.period_for(report.incident_date)
        due = (
            deadline(report.incident_date, report.learned_on, scheme)
            if report.learned_on
            else period.due
        )
        by_key.setdefault((report.provider_id, period.start), []).append((when, due))
    attested: dict[tuple[str, date], datetime] = {}
    for item in attestations:
        if item.attested_at.date() > as_of:
            continue
        # Any day of the period names it (normally its first day).
        key = (item.provider_id, scheme.period_for(item.period_start).start)
        attested[key] = min(item.attested_at, attested.get(key, item.attested_at))
    rows: list[ProviderPeriod] = []
    since = dict(reporting_from or {})
    for provider_id in sorted(set(providers)):
        joined = since.get(provider_id)
        for period in periods:
            if joined is not None and period.end < joined:
                continue
            key = (provider_id, period.start)
            rows.append(
                _row(
                    provider_id,
                    names.get(provider_id, ""),
                    period,
                    by_key.get(key, []),
                    attested.get(key),
                    as_of,
                )
            )
    return rows


def _row(
    provider_id: str,
    name: str,
    period: ReportingPeriod,
    filings: list[tuple[datetime, date]],
    attestation: datetime | None,
    as_of: date,
) -> ProviderPeriod:
    late = [(f.date() - due).days for f, due in filings if f.date() > due]
    everything = [*(f for f, _ in filings), *([attestation] if attestation else [])]
    first = min(everything) if everything else None
    days_late = 0
    if late:
        status = ProviderPeriodStatus.LATE
        days_late = max(late)
    elif filings:
        status = ProviderPeriodStatus.REPORTED
    elif attestation is not None and attestation.date() <= period.due:
        status = ProviderPeriodStatus.ATTESTED_NONE
    elif attestation is not None:
        status = ProviderPeriodStatus.LATE
        days_late = (attestation.date() - period.due).days
    elif as_of > period.due:
        status = ProviderPeriodStatus.MISSING
        days_late = (as_of - period.due).days
    else:
        status = ProviderPeriodStatus.DUE
    return ProviderPeriod(
        provider_id=provider_id,
        provider_name=name,
        period=period,
        status=status,
        reports=len(filings),
        late_reports=len(late),
        attested=attestation is not None,
        first_submitted_at=first,
        days_late=days_late,
    )


def provider_rates(rows: Iterable[ProviderPeriod]) -> list[ProviderRate]:
    """Each provider's compliance rate over ``rows`` (``period_compliance``), by provider id.

    A period is *due* once its due date has passed (every status but ``due``);
    it counts as on time when ``reported`` or ``attested_none``.
    """
    by_provider: dict[str, list[ProviderPeriod]] = {}
    for row in rows:
        by_provider.setdefault(row.provider_id, []).append(row)
    out = []
    for pid in sorted(by_provider):
        mine = [r.status for r in by_provider[pid]]
        attested = mine.count(ProviderPeriodStatus.ATTESTED_NONE)
        out.append(
            ProviderRate(
                provider_id=pid,
                provider_name=by_provider[pid][0].provider_name,
                periods_due=len(mine) - mine.count(ProviderPeriodStatus.DUE),
                on_time=mine.count(ProviderPeriodStatus.REPORTED) + attested,
                attested_none=attested,
                late=mine.count(ProviderPeriodStatus.LATE),
                missing=mine.count(ProviderPeriodStatus.MISSING),
            )
        )
    return out


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", file=str(path), line=1)
        return [
            (n, {k: (v or "").strip() for k, v in row.items() if k})
            for n, row in enumerate(reader, start=2)
        ]


def read_attestations(path: Path) -> list[Attestation]:
    """Read a CSV of attestations: ``provider_id,period_start,attested_at`` (ISO dates)."""
    result: list[Attestation] = []
    for line, row in _rows(path, ("provider_id", "period_start", "attested_at")):
        field = "period_start"
        try:
            start = date.fromisoformat(row["period_start"])
            field = "attested_at"
            at = datetime.fromisoformat(row["attested_at"])
        except ValueError:
            raise InputError(
                f"not an ISO date: {row[field]!r}", file=str(path), line=line, field=field
            ) from None
        if not row["provider_id"]:
            raise InputError("is empty", file=str(path), line=line, field="provider_id")
        result.append(Attestation(row["provider_id"], start, at))
    return result


def read_providers(path: Path) -> list[ProviderRef]:
    """Read a CSV of providers expected to report: ``provider_id,provider_name,reporter_kind``
    and, optionally, ``reporting_from`` (YYYY-MM-DD: the first day it reports)."""
    result: list[ProviderRef] = []
    for line, row in _rows(path, ("provider_id",)):
        if not row["provider_id"]:
            raise InputError("is empty", file=str(path), line=line, field="provider_id")
        since = (row.get("reporting_from") or "").strip()
        try:
            joined = date.fromisoformat(since) if since else None
        except ValueError:
            raise InputError(
                f"{since!r} is not a date (YYYY-MM-DD)",
                file=str(path),
                line=line,
                field="reporting_from",
            ) from None
        result.append(
            ProviderRef(
                row["provider_id"],
                row.get("provider_name", ""),
                row.get("reporter_kind", ""),
                joined,
            )
        )
    return result
