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

The counting runs in DuckDB over a table of report columns
(``rollup_columns``): ``build_rollup`` and the per-kind functions build that
table from ``BackupReport`` objects; ``rollup_from_table`` and
``rollups_from_table`` take one directly (the portal reads it from its
database), so both ways share every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

import pyarrow as pa  # type: ignore[import-untyped]

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
)
from carecover.backup.report import BackupReport
from carecover.backup.rollup_columns import GroupCounts, ReportFrame, report_table
from carecover.backup.rollup_model import (
    COUNTED_STATUSES,
    KINDS,
    LABELS,
    Cell,
    Figure,
    KindSpec,
    Rollup,
    RollupKind,
    Table,
)

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
    "rollup_from_table",
    "rollups_from_table",
]


def _in(rows: Sequence[ProviderPeriod] | None, start: date, end: date) -> list[ProviderPeriod]:
    return [r for r in rows or () if start <= r.period.start <= end]


def _figures(
    frame: ReportFrame, rows: Sequence[ProviderPeriod] | None, start: date, end: date
) -> dict[str, int | float | None]:
    counts = frame.figures(start, end)
    median = counts["hours_median"]
    statuses = [r.status for r in _in(rows, start, end)]
    return {
        "reports": counts["reports"],
        "members_affected": counts["members_affected"],
        "members_with_repeated_failures": counts["members_with_repeated_failures"],
        "highest_reports_one_member": counts["highest_reports_one_member"],
        "hours_without_staff_total": round(float(counts["hours_total"]), 2),
        "hours_without_staff_median": None if median is None else round(float(median), 2),
        "not_available": counts["not_available"],
        "offered_declined": counts["offered_declined"],
        "late_reports": counts["late_reports"],
        "late_submissions": None if rows is None else statuses.count(ProviderPeriodStatus.LATE),
        "missing_submissions": (
            None if rows is None else statuses.count(ProviderPeriodStatus.MISSING)
        ),
    }


_COUNT_COLUMNS = ("reports", "not_available", "offered_declined", "hours_without_staff",
                  "members_affected")  # fmt: skip
_PROVIDER_COLUMNS = ("provider_id", "provider_name", "reporter_kind", *_COUNT_COLUMNS,
                     "late_reports", "late_periods", "missing_periods")  # fmt: skip


def _counts(group: GroupCounts) -> tuple[int, int, int, float, int]:
    """Reports, not available, declined, hours (rounded), members of one group."""
    _, n, na, hours, members, _ = group
    return n, na, n - na, round(hours, 2), members


def _by_provider(
    frame: ReportFrame, start: date, end: date, rows: list[ProviderPeriod] | None
) -> Table:
    groups = {g[0]: g for g in frame.groups("provider_id", start, end)}
    names = frame.provider_names(start, end)
    for row in rows or ():
        names.setdefault(row.provider_id, (row.provider_name, ""))
    out = []
    for pid in sorted(names):
        group = groups.get(pid, (pid, 0, 0, 0.0, 0, 0))
        mine = [r.status for r in rows or () if r.provider_id == pid]
        late = None if rows is None else mine.count(ProviderPeriodStatus.LATE)
        missing = None if rows is None else mine.count(ProviderPeriodStatus.MISSING)
        out.append((pid, *names[pid], *_counts(group), group[5], late, missing))
    return Table("by_provider", "By provider / EOR", _PROVIDER_COLUMNS, tuple(out))


def _by_reason(frame: ReportFrame, start: date, end: date) -> Table:
    groups = frame.groups("reason", start, end)
    total = sum(g[1] for g in groups) or 1
    out = []
    for key, n, _, hours, _, _ in groups:
        status, reason = key.split("|", 1)
        out.append((status, reason, n, round(hours, 2), round(100 * n / total, 1)))
    columns = ("backup_status", "reason", "reports", "hours_without_staff", "share_pct")
    return Table("by_reason", "By reason backup staff was not provided", columns, tuple(out))


def _by_service(frame: ReportFrame, start: date, end: date) -> Table:
    out = [(g[0], *_counts(g)) for g in frame.groups("service_code", start, end)]
    return Table("by_service", "By service", ("service_code", *_COUNT_COLUMNS), tuple(out))


def _trend(
    frame: ReportFrame, buckets: list[tuple[str, date, date]], name: str, title: str
) -> Table:
    out = [(label, *_counts(frame.totals(lo, hi))) for label, lo, hi in buckets]
    return Table(name, title, ("period", *_COUNT_COLUMNS), tuple(out))


def _repeated(frame: ReportFrame, start: date, end: date) -> Table:
    # Medicaid id only: committee papers never carry names, DOB or SSN digits.
    out = [(m, n, round(h, 2), p, lo, hi) for m, n, h, p, lo, hi in frame.repeated(start, end)]
    out.sort(key=lambda row: (-row[1], row[0]))
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


def _frame(table: pa.Table, scheme: PeriodScheme) -> ReportFrame:
    return ReportFrame(table, scheme, [s.value for s in COUNTED_STATUSES])


def _build(
    kind: RollupKind,
    frame: ReportFrame,
    day: date,
    rows: Sequence[ProviderPeriod] | None,
    scheme: PeriodScheme,
    *,
    with_tables: bool = True,
) -> Rollup:
    spec = KINDS[kind]
    start, end = spec.bounds(day)
    p_start, p_end = spec.bounds(start - timedelta(days=1))
    current = _figures(frame, rows, start, end)
    before = _figures(frame, rows, p_start, p_end)
    figures = tuple(Figure(n, LABELS[n], current[n], before[n]) for n in LABELS)
    rows_now = None if rows is None else _in(rows, start, end)
    builders: dict[str, Callable[[], Table]] = {
        "by_provider": lambda: _by_provider(frame, start, end, rows_now),
        "by_reason": lambda: _by_reason(frame, start, end),
        "by_service": lambda: _by_service(frame, start, end),
        "by_period": lambda: _trend(
            frame,
            [(p.label, p.start, p.end) for p in scheme.periods_between(start, end)],
            "by_period",
            "By reporting period",
        ),
        "by_month": lambda: _trend(frame, _months(start, end), "by_month", "By month"),
        "repeated_members": lambda: _repeated(frame, start, end),
    }
    tables = tuple(builders[name]() for name in spec.tables) if with_tables else ()
    return Rollup(kind, spec.title, start, end, p_start, p_end, figures, tables)


def _kind_rollup(
    kind: RollupKind,
    reports: Iterable[BackupReport],
    day: date,
    rows: Sequence[ProviderPeriod] | None,
    scheme: PeriodScheme | None,
) -> Rollup:
    scheme = scheme or PeriodScheme.semi_monthly()
    return _build(kind, _frame(report_table(reports), scheme), day, rows, scheme)


def monthly_snapshot(
    reports: Iterable[BackupReport],
    month: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The Quality of Care Committee snapshot for the month containing ``month``."""
    return _kind_rollup(RollupKind.MONTHLY, reports, month, compliance_rows, scheme)


def quarterly_hrc(
    reports: Iterable[BackupReport],
    quarter_start: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The Human Rights Committee report for the calendar quarter containing ``quarter_start``."""
    return _kind_rollup(RollupKind.QUARTERLY_HRC, reports, quarter_start, compliance_rows, scheme)


def quarterly_state(
    reports: Iterable[BackupReport],
    quarter_start: date,
    *,
    compliance_rows: Sequence[ProviderPeriod] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """The aggregated quarterly report to the State; it holds no member identifiers."""
    return _kind_rollup(RollupKind.QUARTERLY_STATE, reports, quarter_start, compliance_rows, scheme)


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
    return rollup_from_table(
        kind,
        report_table(reports),
        period,
        as_of=as_of,
        attestations=attestations,
        providers=providers,
        scheme=scheme,
    )


def rollup_from_table(
    kind: RollupKind,
    table: pa.Table,
    period: str,
    *,
    as_of: date,
    attestations: Sequence[Attestation] | None = None,
    providers: Sequence[ProviderRef] | None = None,
    scheme: PeriodScheme | None = None,
) -> Rollup:
    """``build_rollup`` over a table of report columns (``rollup_columns.REPORT_SCHEMA``).

    The columnar entry point: a caller holding many reports (the portal reads
    them from its database cursor) skips building ``BackupReport`` objects.
    ``build_rollup`` itself comes here, so both give the same roll-up.
    """
    (rollup,) = rollups_from_table(
        kind,
        table,
        [period],
        as_of=as_of,
        attestations=attestations,
        providers=providers,
        scheme=scheme,
    )
    return rollup


def rollups_from_table(
    kind: RollupKind,
    table: pa.Table,
    periods: Sequence[str],
    *,
    as_of: date,
    attestations: Sequence[Attestation] | None = None,
    providers: Sequence[ProviderRef] | None = None,
    scheme: PeriodScheme | None = None,
    tables_for_last_only: bool = False,
) -> tuple[Rollup, ...]:
    """``rollup_from_table`` for several periods, loading the table and compliance once.

    Each roll-up equals ``rollup_from_table`` for its period: compliance rows
    are per provider and reporting period, so one check over all the periods
    gives each roll-up the rows it would have had alone. With
    ``tables_for_last_only`` the earlier roll-ups keep their headline figures but
    no tables (a trend needs only the figures; the tables are most of the cost).
    """
    scheme = scheme or PeriodScheme.semi_monthly()
    starts = [period_start_for(kind, text) for text in periods]
    frame = _frame(table, scheme)
    rows = None
    if starts and (attestations is not None or providers is not None):
        ids = [p.provider_id for p in providers] if providers else frame.provider_ids()
        names = {p.provider_id: p.provider_name for p in providers or () if p.provider_name}
        spec = KINDS[kind]
        first = min(spec.bounds(spec.bounds(s)[0] - timedelta(days=1))[0] for s in starts)
        last = max(spec.bounds(s)[1] for s in starts)  # each period and the one before it
        rows = period_compliance(
            frame.filing_reports(attestations or ()), attestations or (), ids, first, last,
            as_of=as_of, scheme=scheme, provider_names=names,
        )  # fmt: skip
    final = len(starts) - 1
    return tuple(
        _build(kind, frame, start, rows, scheme, with_tables=i == final or not tables_for_last_only)
        for i, start in enumerate(starts)
    )
