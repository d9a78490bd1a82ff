"""The MCO's roll-ups of backup-staffing reports: pure functions over reports.

Partners states that report data feed a monthly snapshot for its Quality of
Care Committee, a quarterly report to its Human Rights Committee and a
quarterly report to the Division (seed 000). The metric definitions are not
published (reference §4, UNCONFIRMED); these follow the QM11 Level I
quarterly report where it has an equivalent (count of reports, unduplicated
members, highest count for one member).

Rules shared by the three kinds:

* Only ``submitted`` and ``accepted`` reports count. Drafts were never
  filed; ``returned`` reports were sent back for correction and are not
  final data until re-submitted.
* A report belongs to the period of its incident date.
* Members are counted by Medicaid id. No roll-up carries names, dates of
  birth or SSN digits. The State report carries no member identifier at all
  (members appear only as counts).
* Late/missing *submissions* are provider-periods (from ``compliance``)
  whose reporting period starts inside the roll-up period; without
  compliance rows they are unknown (None). ``late_reports`` counts reports
  filed after their period's due date and needs no compliance rows.

The kinds differ only in their title and which tables they include: see ``KINDS``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from carecover.backup.compliance import (
    Attestation,
    ProviderPeriod,
    ProviderPeriodStatus,
    ProviderRef,
    period_compliance,
)
from carecover.backup.periods import (
    PeriodScheme,
    month_bounds,
    parse_month,
    parse_quarter,
    quarter_bounds,
)
from carecover.backup.report import BackupReport, BackupStatus, ReportStatus

__all__ = [
    "COUNTED_STATUSES",
    "KINDS",
    "Cell",
    "Figure",
    "KindSpec",
    "Rollup",
    "RollupKind",
    "Table",
    "build_rollup",
    "monthly_snapshot",
    "period_start_for",
    "quarterly_hrc",
    "quarterly_state",
]

Cell = str | int | float | date | None

#: Statuses whose reports enter a roll-up (returned reports are not final).
COUNTED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})


class RollupKind(StrEnum):
    """The three audiences."""

    MONTHLY = "monthly"
    QUARTERLY_HRC = "quarterly-hrc"
    QUARTERLY_STATE = "quarterly-state"


@dataclass(frozen=True)
class KindSpec:
    """What one kind of roll-up shows."""

    title: str
    quarterly: bool
    tables: tuple[str, ...]

    def bounds(self, day: date) -> tuple[date, date]:
        """First and last day of the month or quarter containing ``day``."""
        return quarter_bounds(day) if self.quarterly else month_bounds(day)


KINDS: dict[RollupKind, KindSpec] = {
    RollupKind.MONTHLY: KindSpec(
        "Monthly Quality of Care Committee snapshot",
        quarterly=False,
        tables=("by_provider", "by_reason", "by_service", "by_period", "repeated_members"),
    ),
    RollupKind.QUARTERLY_HRC: KindSpec(
        "Quarterly Human Rights Committee report",
        quarterly=True,
        tables=("by_provider", "by_reason", "by_service", "by_month", "repeated_members"),
    ),
    # The State report is aggregated: no member table, no member identifiers.
    RollupKind.QUARTERLY_STATE: KindSpec(
        "Quarterly report to the State (Division)",
        quarterly=True,
        tables=("by_provider", "by_reason", "by_service", "by_month"),
    ),
}


@dataclass(frozen=True)
class Table:
    """A titled table of plain cells, ready for any export format."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Figure:
    """One headline number with its previous-period value."""

    name: str
    label: str
    value: int | float | None
    previous: int | float | None

    @property
    def change(self) -> int | float | None:
        """Current minus previous, or None when either is unknown."""
        if self.value is None or self.previous is None:
            return None
        diff = self.value - self.previous
        return round(diff, 2) if isinstance(diff, float) else diff


@dataclass(frozen=True)
class Rollup:
    """A finished roll-up: headline figures and tables for one period."""

    kind: RollupKind
    title: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]

    def figure(self, name: str) -> Figure:
        """The headline figure called ``name``."""
        return next(f for f in self.figures if f.name == name)

    def table(self, name: str) -> Table:
        """The table called ``name`` (KeyError if this kind does not include it)."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


_LABELS = {
    "reports": "Reports",
    "members_affected": "Members affected (unduplicated)",
    "members_with_repeated_failures": "Members with 2+ reports",
    "highest_reports_one_member": "Highest number of reports for one member",
    "hours_without_staff_total": "Hours without staff (total)",
    "hours_without_staff_median": "Hours without staff (median per report)",
    "not_available": "Backup not available",
    "offered_declined": "Backup offered but declined",
    "late_reports": "Reports filed after the due date",
    "late_submissions": "Late provider-periods",
    "missing_submissions": "Missing provider-periods",
}


def _counted(reports: Iterable[BackupReport], start: date, end: date) -> list[BackupReport]:
    return [r for r in reports if r.status in COUNTED_STATUSES and start <= r.incident_date <= end]


def _in(rows: Sequence[ProviderPeriod] | None, start: date, end: date) -> list[ProviderPeriod]:
    return [r for r in rows or () if start <= r.period.start <= end]


def _is_late(report: BackupReport, scheme: PeriodScheme) -> bool:
    due = scheme.period_for(report.incident_date).due
    return report.submitted_at is not None and report.submitted_at.date() > due


def _figures(
    reports: list[BackupReport],
    rows: Sequence[ProviderPeriod] | None,
    start: date,
    end: date,
    scheme: PeriodScheme,
) -> dict[str, int | float | None]:
    per_member: dict[str, int] = defaultdict(int)
    for report in reports:
        per_member[report.member.medicaid_id] += 1
    hours = [r.hours_without_staff for r in reports]
    in_range = _in(rows, start, end)
    statuses = [r.status for r in in_range]
    return {
        "reports": len(reports),
        "members_affected": len(per_member),
        "members_with_repeated_failures": sum(1 for n in per_member.values() if n >= 2),
        "highest_reports_one_member": max(per_member.values(), default=0),
        "hours_without_staff_total": round(float(sum(hours)), 2),
        "hours_without_staff_median": round(statistics.median(hours), 2) if hours else None,
        "not_available": sum(r.backup_status is BackupStatus.NOT_AVAILABLE for r in reports),
        "offered_declined": sum(r.backup_status is BackupStatus.OFFERED_DECLINED for r in reports),
        "late_reports": sum(_is_late(r, scheme) for r in reports),
        "late_submissions": None if rows is None else statuses.count(ProviderPeriodStatus.LATE),
        "missing_submissions": (
            None if rows is None else statuses.count(ProviderPeriodStatus.MISSING)
        ),
    }


def _group(
    reports: list[BackupReport], key: Callable[[BackupReport], str]
) -> dict[str, list[BackupReport]]:
    groups: dict[str, list[BackupReport]] = defaultdict(list)
    for report in reports:
        groups[key(report)].append(report)
    return dict(sorted(groups.items()))


_COUNT_COLUMNS = ("reports", "not_available", "offered_declined", "hours_without_staff",
                  "members_affected")  # fmt: skip
_PROVIDER_COLUMNS = ("provider_id", "provider_name", "reporter_kind", *_COUNT_COLUMNS,
                     "late_reports", "late_periods", "missing_periods")  # fmt: skip


def _hours(reports: list[BackupReport]) -> float:
    return round(float(sum(r.hours_without_staff for r in reports)), 2)


def _members(reports: list[BackupReport]) -> int:
    return len({r.member.medicaid_id for r in reports})


def _split(reports: list[BackupReport]) -> tuple[int, int]:
    na = sum(r.backup_status is BackupStatus.NOT_AVAILABLE for r in reports)
    return na, len(reports) - na


def _by_provider(
    reports: list[BackupReport], rows: list[ProviderPeriod] | None, scheme: PeriodScheme
) -> Table:
    groups = _group(reports, lambda r: r.provider_id)
    names = {r.provider_id: (r.provider_name, str(r.reporter_kind)) for r in reports}
    for row in rows or ():
        groups.setdefault(row.provider_id, [])
        names.setdefault(row.provider_id, (row.provider_name, ""))
    out = []
    for pid in sorted(groups):
        items = groups[pid]
        mine = [r.status for r in rows or () if r.provider_id == pid]
        late = None if rows is None else mine.count(ProviderPeriodStatus.LATE)
        missing = None if rows is None else mine.count(ProviderPeriodStatus.MISSING)
        na, declined = _split(items)
        late_reports = sum(_is_late(r, scheme) for r in items)
        counts = (len(items), na, declined, _hours(items), _members(items))
        out.append((pid, *names[pid], *counts, late_reports, late, missing))
    return Table("by_provider", "By provider / EOR", _PROVIDER_COLUMNS, tuple(out))


def _reason(report: BackupReport) -> str:
    # Declined reports have no reason code; who declined is their "why".
    if report.reason:
        return report.reason
    return f"declined_by_{report.declined_by}" if report.declined_by else "(not given)"


def _by_reason(reports: list[BackupReport]) -> Table:
    total = len(reports) or 1
    groups = _group(reports, lambda r: f"{r.backup_status}|{_reason(r)}")
    out = []
    for key, items in groups.items():
        status, reason = key.split("|", 1)
        out.append((status, reason, len(items), _hours(items), round(100 * len(items) / total, 1)))
    columns = ("backup_status", "reason", "reports", "hours_without_staff", "share_pct")
    return Table("by_reason", "By reason backup staff was not provided", columns, tuple(out))


def _by_service(reports: list[BackupReport]) -> Table:
    out = []
    for code, items in _group(reports, lambda r: r.service_code).items():
        out.append((code, len(items), *_split(items), _hours(items), _members(items)))
    return Table("by_service", "By service", ("service_code", *_COUNT_COLUMNS), tuple(out))


def _trend(
    reports: list[BackupReport], buckets: list[tuple[str, date, date]], name: str, title: str
) -> Table:
    out = []
    for label, lo, hi in buckets:
        items = [r for r in reports if lo <= r.incident_date <= hi]
        out.append((label, len(items), *_split(items), _hours(items), _members(items)))
    return Table(name, title, ("period", *_COUNT_COLUMNS), tuple(out))


def _repeated(reports: list[BackupReport]) -> Table:
    # Medicaid id only: committee papers never carry names, DOB or SSN digits.
    out = []
    for mid, items in _group(reports, lambda r: r.member.medicaid_id).items():
        if len(items) >= 2:
            days = sorted(r.incident_date for r in items)
            providers = len({r.provider_id for r in items})
            out.append((mid, len(items), _hours(items), providers, days[0], days[-1]))
    out.sort(key=lambda row: (-int(row[1]), str(row[0])))
    columns = ("medicaid_id", "reports", "hours_without_staff", "providers", "first_incident")
    title = "Members with repeated failures (2+ reports)"
    return Table("repeated_members", title, (*columns, "last_incident"), tuple(out))


def _months(start: date, end: date) -> list[tuple[str, date, date]]:
    out, day = [], start
    while day <= end:
        lo, hi = month_bounds(day)
        out.append((lo.strftime("%Y-%m"), lo, hi))
        day = hi + timedelta(days=1)
    return out


def _build(
    kind: RollupKind,
    reports: Iterable[BackupReport],
    day: date,
    rows: Sequence[ProviderPeriod] | None,
    scheme: PeriodScheme | None,
) -> Rollup:
    spec, scheme = KINDS[kind], scheme or PeriodScheme.semi_monthly()
    everything = list(reports)
    start, end = spec.bounds(day)
    p_start, p_end = spec.bounds(start - timedelta(days=1))
    now = _counted(everything, start, end)
    current = _figures(now, rows, start, end, scheme)
    before = _figures(_counted(everything, p_start, p_end), rows, p_start, p_end, scheme)
    figures = tuple(Figure(n, _LABELS[n], current[n], before[n]) for n in _LABELS)
    rows_now = None if rows is None else _in(rows, start, end)
    builders: dict[str, Callable[[], Table]] = {
        "by_provider": lambda: _by_provider(now, rows_now, scheme),
        "by_reason": lambda: _by_reason(now),
        "by_service": lambda: _by_service(now),
        "by_period": lambda: _trend(
            now,
            [(p.label, p.start, p.end) for p in scheme.periods_between(start, end)],
            "by_period",
            "By reporting period",
        ),
        "by_month": lambda: _trend(now, _months(start, end), "by_month", "By month"),
        "repeated_members": lambda: _repeated(now),
    }
    tables = tuple(builders[name]() for name in spec.tables)
    return Rollup(kind, spec.title, start, end, p_start, p_end, figures, tables)


def monthly_snapshot(
    reports: Iterable[BackupReport],
    month: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The Quality of Care Committee snapshot for the month containing ``month``."""
    return _build(RollupKind.MONTHLY, reports, month, compliance_rows, scheme)


def quarterly_hrc(
    reports: Iterable[BackupReport],
    quarter_start: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The Human Rights Committee report for the calendar quarter containing ``quarter_start``."""
    return _build(RollupKind.QUARTERLY_HRC, reports, quarter_start, compliance_rows, scheme)


def quarterly_state(
    reports: Iterable[BackupReport],
    quarter_start: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The aggregated quarterly report to the State; it holds no member identifiers."""
    return _build(RollupKind.QUARTERLY_STATE, reports, quarter_start, compliance_rows, scheme)


def period_start_for(kind: RollupKind, text: str) -> date:
    """Parse ``--period``: a month for monthly; ``2026Q4`` or a month inside it for quarterly."""
    return parse_quarter(text) if KINDS[kind].quarterly else parse_month(text)


def build_rollup(
    kind: RollupKind,
    reports: Sequence[BackupReport],
    period: str,
    *,
    as_of: date,
    attestations: Sequence[Attestation] | None = None,
    providers: Sequence[ProviderRef] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """Everything ``backup summary`` needs: parse the period, check compliance, roll up.

    Compliance (late/missing provider-periods) is computed only when
    attestations or a provider list are given; the expected providers are
    then ``providers`` or, failing that, every provider in ``reports``.
    """
    start = period_start_for(kind, period)
    rows = None
    if attestations is not None or providers is not None:
        ids = [p.provider_id for p in providers] if providers else [r.provider_id for r in reports]
        names = {p.provider_id: p.provider_name for p in providers or () if p.provider_name}
        first, last = KINDS[kind].bounds(start)
        first = KINDS[kind].bounds(first - timedelta(days=1))[0]  # the previous period too
        rows = period_compliance(
            reports, attestations or (), ids, first, last,
            as_of=as_of, scheme=scheme, provider_names=names,
        )  # fmt: skip
    return _build(kind, reports, start, rows, scheme)
