"""The MCO's roll-ups of backup-staffing reports: pure functions over reports.

Partners states that report data feed a monthly snapshot for its Quality of
Care Committee, a quarterly report to its Human Rights Committee and a
quarterly report to the Division (seed 000). The metric definitions are not
published (reference §4, UNCONFIRMED); these follow the QM11 Level I
quarterly report where it has an equivalent (count of reports, unduplicated
members, highest count for one member).

Rules shared by the three kinds:

* Every *filed* report counts (``submitted``, ``accepted`` and ``returned``),
  as in ``compliance``: a returned report is an incident reported to the MCO,
  whose details are being corrected. Drafts were never filed.
* A report belongs to the period of its incident date; it is late when first
  filed after its deadline (``compliance.deadline``).
* Codes are shown with their labels (``catalogue.label_of``), the code in its
  own column.
* Members are counted by Medicaid id. No roll-up carries names, dates of
  birth or SSN digits. The State report carries no member identifier at all
  (members appear only as counts), names no Employer of Record (an EOR is
  usually a family member) and suppresses every cell counting fewer members
  than the MCO profile's ``min_cell_members`` (11: public-health practice).
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

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

import pyarrow as pa  # type: ignore[import-untyped]

from carecover.backup.catalogue import label_of
from carecover.backup.compliance import (
    Attestation,
    ProviderPeriod,
    ProviderPeriodStatus,
    ProviderRef,
    period_compliance,
    provider_rates,
)
from carecover.backup.mco import load_mco_profile
from carecover.backup.periods import (
    PeriodScheme,
    month_bounds,
    parse_month,
    parse_quarter,
)
from carecover.backup.report import BackupReport, ReporterKind
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
        "discovered_late": counts["discovered_late"],
        "returned": counts["returned"],
        "harm": counts["harm"],
        "on_time_pct": _pct(counts["reports"] - counts["late_reports"], counts["reports"]),
        "late_submissions": None if rows is None else statuses.count(ProviderPeriodStatus.LATE),
        "missing_submissions": (
            None if rows is None else statuses.count(ProviderPeriodStatus.MISSING)
        ),
    }


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


_COUNT_COLUMNS = ("reports", "not_available", "offered_declined", "hours_without_staff",
                  "members_affected")  # fmt: skip
_PROVIDER_COLUMNS = ("provider_id", "provider_name", "reporter_kind", "reporter_kind_label",
                     *_COUNT_COLUMNS, "late_reports", "late_periods", "missing_periods",
                     "periods_due", "periods_on_time", "attested_none_periods",
                     "compliance_rate_pct")  # fmt: skip
#: Where the members count sits in a row of each table the State report suppresses.
_MEMBERS = "members_affected"


def _counts(group: GroupCounts) -> tuple[int, int, int, float, int]:
    """Reports, not available, declined, hours (rounded), members of one group."""
    _, n, na, hours, members, _ = group
    return n, na, n - na, round(hours, 2), members


def _by_provider(
    frame: ReportFrame,
    start: date,
    end: date,
    rows: list[ProviderPeriod] | None,
    kinds: Mapping[str, str],
) -> Table:
    groups = {g[0]: g for g in frame.groups("provider_id", start, end)}
    names = frame.provider_names(start, end)
    for row in rows or ():
        # A provider with no reports still has a kind: the provider list's.
        names.setdefault(row.provider_id, (row.provider_name, kinds.get(row.provider_id, "")))
    rates = {r.provider_id: r for r in provider_rates(rows or ())}
    out = []
    for pid in sorted(names):
        group = groups.get(pid, (pid, 0, 0, 0.0, 0, 0))
        name, kind = names[pid]
        kind = kind or kinds.get(pid, "")
        rate = rates.get(pid)
        compliance: tuple[Cell, ...] = (None,) * 6
        if rows is not None:
            pct = None if rate is None or rate.rate is None else round(100 * rate.rate, 1)
            compliance = (
                (rate.late, rate.missing, rate.periods_due, rate.on_time, rate.attested_none, pct)
                if rate
                else (0, 0, 0, 0, 0, None)
            )
        out.append(
            (pid, name, kind, label_of("reporter_kind", kind), *_counts(group), group[5],
             *compliance)
        )  # fmt: skip
    return Table("by_provider", "By provider / EOR", _PROVIDER_COLUMNS, tuple(out))


def _by_reason(frame: ReportFrame, start: date, end: date) -> Table:
    groups = frame.groups("reason", start, end)
    total = sum(g[1] for g in groups) or 1
    out = []
    for key, n, _, hours, members, _ in groups:
        status, reason = key.split("|", 1)
        out.append(
            (status, label_of("backup_status", status), reason, label_of("reason", reason), n,
             round(hours, 2), round(100 * n / total, 1), members)
        )  # fmt: skip
    columns = ("backup_status", "backup_status_label", "reason", "reason_label", "reports",
               "hours_without_staff", "share_pct", _MEMBERS)  # fmt: skip
    return Table("by_reason", "By reason backup staff was not provided", columns, tuple(out))


def _by_service(frame: ReportFrame, start: date, end: date) -> Table:
    out = [
        (g[0], label_of("service_code", g[0]), *_counts(g))
        for g in frame.groups("service_code", start, end)
    ]
    columns = ("service_code", "service_name", *_COUNT_COLUMNS)
    return Table("by_service", "By service", columns, tuple(out))


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


def _member_trend(frame: ReportFrame, start: date, end: date) -> Table:
    months = _months(start, end)
    out = tuple(frame.monthly_by_member(start, end, [lo for _, lo, _ in months]))
    columns = ("medicaid_id", *(label for label, _, _ in months), "reports")
    title = "Reports per month for members with repeated failures"
    return Table("member_trend", title, columns, out)


def _repeated_declines(frame: ReportFrame, start: date, end: date) -> Table:
    out = [(m, n, round(h, 2), lo, hi) for m, n, h, lo, hi in frame.repeated_declines(start, end)]
    out.sort(key=lambda row: (-row[1], row[0]))
    columns = ("medicaid_id", "declines", "hours_without_staff", "first_incident",
               "last_incident")  # fmt: skip
    title = "Members whose legally responsible person declined backup staff 2+ times"
    return Table("repeated_declines", title, columns, tuple(out))


def _details(frame: ReportFrame, start: date, end: date) -> Table:
    out = [
        (rid, pid, name, service, label_of("service_code", service), day, round(hours, 2),
         status, label_of("status", status), label_of("backup_status", backup), reason,
         label_of("reason", reason), learned)
        for rid, pid, name, service, day, hours, status, backup, reason, learned
        in frame.details(start, end)
    ]  # fmt: skip
    columns = ("report_id", "provider_id", "provider_name", "service_code", "service_name",
               "incident_date", "hours_without_staff", "status", "status_label",
               "backup_status_label", "reason", "reason_label", "learned_on")  # fmt: skip
    return Table("details", "Every report of the month", columns, tuple(out))


def _harm(frame: ReportFrame, start: date, end: date) -> Table:
    # Rights and safety: the incidents the filer said harmed the member or put them
    # at risk (the escalation). Medicaid id only, as the other member tables.
    out = [
        (rid, pid, name, service, label_of("service_code", service), day, round(hours, 2),
         status, label_of("status", status), label_of("backup_status", backup), reason,
         label_of("reason", reason), member)
        for rid, pid, name, service, day, hours, status, backup, reason, member
        in frame.harmed(start, end)
    ]  # fmt: skip
    columns = ("report_id", "provider_id", "provider_name", "service_code", "service_name",
               "incident_date", "hours_without_staff", "status", "status_label",
               "backup_status_label", "reason", "reason_label", "medicaid_id")  # fmt: skip
    return Table("harm", "Incidents with harm or escalation", columns, tuple(out))


_TIMELINESS_COLUMNS = ("provider_id", "provider_name", "reporter_kind", "reporter_kind_label",
                       "reports", "on_time_reports", "on_time_pct", "standard_pct",
                       "meets_standard", _MEMBERS)  # fmt: skip


def _meets(pct: Cell, standard: float | None) -> Cell:
    if standard is None or not isinstance(pct, int | float):
        return None
    return "yes" if pct >= standard else "no"


def _timeliness(frame: ReportFrame, start: date, end: date, standard: float | None) -> Table:
    """Reports first filed within their deadline (``compliance.deadline``), by provider,
    against the MCO profile's standard; the last row is every provider together."""
    names = frame.provider_names(start, end)
    out: list[tuple[Cell, ...]] = []
    for pid, n, _, _, members, late in frame.groups("provider_id", start, end):
        name, kind = names.get(pid, (pid, ""))
        pct = _pct(n - late, n)
        out.append((pid, name, kind, label_of("reporter_kind", kind), n, n - late, pct,
                    standard, _meets(pct, standard), members))  # fmt: skip
    _, n, _, _, members, late = frame.totals(start, end)
    pct = _pct(n - late, n)
    out.append(("", "All providers and Employers of Record", "", "", n, n - late, pct, standard,
                _meets(pct, standard), members))  # fmt: skip
    return Table("timeliness", "Incident timeliness", _TIMELINESS_COLUMNS, tuple(out))


def _whole(cell: Cell) -> int:
    """A count cell as an int (blank and text count 0)."""
    return int(cell) if isinstance(cell, int | float) else 0


def _suppressed(count: Cell, members: int, minimum: int) -> Cell:
    return count if members >= minimum else f"<{minimum}"


def _deidentify(table: Table, minimum: int) -> Table:
    """The State's copy of a table: cells of fewer than ``minimum`` members suppressed.

    By provider, Employers of Record are never named (an EOR is usually a
    family member) and providers serving fewer than ``minimum`` members are
    folded into one row each for EORs and for other providers; members of a
    folded row are summed over its providers.
    """
    at = table.columns.index(_MEMBERS)
    shares = ("share_pct", "late_reports", "on_time_reports", "on_time_pct", "meets_standard")
    counted = {c for c in (*_COUNT_COLUMNS, *shares) if c in table.columns}
    keep = [i for i, c in enumerate(table.columns) if c in counted]
    rows = list(table.rows)
    if "reporter_kind" in table.columns:
        rows = _fold_providers(table, minimum)
    out: list[tuple[Cell, ...]] = []
    for row in rows:
        members = _whole(row[at])
        out.append(
            tuple(_suppressed(c, members, minimum) if i in keep else c for i, c in enumerate(row))
        )
    return Table(table.name, table.title, table.columns, tuple(out))


def _fold_providers(table: Table, minimum: int) -> list[tuple[Cell, ...]]:
    col = {c: i for i, c in enumerate(table.columns)}
    shown: list[tuple[Cell, ...]] = []
    totals: list[tuple[Cell, ...]] = []
    folded: dict[str, list[tuple[Cell, ...]]] = {}
    for row in table.rows:
        if row[col["provider_id"]] == "":
            totals.append(row)  # a total row names no one: it stays, last
        elif row[col["reporter_kind"]] == ReporterKind.EOR:
            folded.setdefault(ReporterKind.EOR, []).append(row)
        elif _whole(row[col[_MEMBERS]]) < minimum:
            folded.setdefault(ReporterKind.PROVIDER, []).append(row)
        else:
            shown.append(row)
    names: dict[str, str] = {
        ReporterKind.EOR: "Employers of Record",
        ReporterKind.PROVIDER: f"Other providers (each under {minimum} members)",
    }
    for kind, group in folded.items():
        sums: list[Cell] = []
        for i, name in enumerate(table.columns):
            values = [r[i] for r in group]
            if name == "provider_name":
                sums.append(f"{names[kind]} ({len(group)})")
            elif name in ("reporter_kind", "reporter_kind_label", "provider_id"):
                sums.append(label_of("reporter_kind", kind) if name == "reporter_kind_label"
                            else (kind if name == "reporter_kind" else ""))  # fmt: skip
            elif name == "compliance_rate_pct":
                due = sum(_whole(r[col["periods_due"]]) for r in group)
                on_time = sum(_whole(r[col["periods_on_time"]]) for r in group)
                sums.append(round(100 * on_time / due, 1) if due else None)
            elif name == "on_time_pct":
                reports = sum(_whole(r[col["reports"]]) for r in group)
                filed = sum(_whole(r[col["on_time_reports"]]) for r in group)
                sums.append(_pct(filed, reports))
            elif name == "standard_pct":
                sums.append(values[0])
            elif name == "meets_standard":
                standard = group[0][col["standard_pct"]]
                sums.append(_meets(sums[col["on_time_pct"]],
                                   standard if isinstance(standard, float) else None))  # fmt: skip
            elif all(v is None for v in values):
                sums.append(None)
            else:
                total = sum(float(v) for v in values if isinstance(v, int | float))
                sums.append(round(total, 2) if name == "hours_without_staff" else int(total))
        shown.append(tuple(sums))
    return shown + totals


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
    kinds: Mapping[str, str] | None = None,
    min_cell_members: int | None = None,
    timeliness_standard_pct: float | None = None,
) -> Rollup:
    spec = KINDS[kind]
    start, end = spec.bounds(day)
    p_start, p_end = spec.bounds(start - timedelta(days=1))
    current = _figures(frame, rows, start, end)
    before = _figures(frame, rows, p_start, p_end)
    figures = tuple(Figure(n, LABELS[n], current[n], before[n]) for n in LABELS)
    rows_now = None if rows is None else _in(rows, start, end)
    builders: dict[str, Callable[[], Table]] = {
        "by_provider": lambda: _by_provider(frame, start, end, rows_now, kinds or {}),
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
        "member_trend": lambda: _member_trend(frame, start, end),
        "repeated_declines": lambda: _repeated_declines(frame, start, end),
        "details": lambda: _details(frame, start, end),
        "harm": lambda: _harm(frame, start, end),
        "timeliness": lambda: _timeliness(
            frame,
            start,
            end,
            timeliness_standard_pct
            if timeliness_standard_pct is not None
            else load_mco_profile().timeliness_standard_pct,
        ),
    }
    tables = tuple(builders[name]() for name in spec.tables) if with_tables else ()
    if kind is RollupKind.QUARTERLY_STATE:
        minimum = min_cell_members or load_mco_profile().min_cell_members
        tables = tuple(_deidentify(t, minimum) if _MEMBERS in t.columns else t for t in tables)
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
    min_cell_members: int | None = None,
    timeliness_standard_pct: float | None = None,
) -> Rollup:
    """The de-identified quarterly report to the State: no member identifiers, no EOR
    names, cells of fewer than ``min_cell_members`` (default: the MCO profile's) suppressed."""
    scheme = scheme or PeriodScheme.semi_monthly()
    frame = _frame(report_table(reports), scheme)
    return _build(
        RollupKind.QUARTERLY_STATE, frame, quarter_start, compliance_rows, scheme,
        min_cell_members=min_cell_members,
        timeliness_standard_pct=timeliness_standard_pct,
    )  # fmt: skip


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
    required_from: date | None = None,
    min_cell_members: int | None = None,
    timeliness_standard_pct: float | None = None,
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
        required_from=required_from,
        min_cell_members=min_cell_members,
        timeliness_standard_pct=timeliness_standard_pct,
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
    required_from: date | None = None,
    min_cell_members: int | None = None,
    timeliness_standard_pct: float | None = None,
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
        required_from=required_from,
        min_cell_members=min_cell_members,
        timeliness_standard_pct=timeliness_standard_pct,
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
    required_from: date | None = None,
    min_cell_members: int | None = None,
    timeliness_standard_pct: float | None = None,
) -> tuple[Rollup, ...]:
    """``rollup_from_table`` for several periods, loading the table and compliance once.

    Each roll-up equals ``rollup_from_table`` for its period: compliance rows
    are per provider and reporting period, so one check over all the periods
    gives each roll-up the rows it would have had alone. With
    ``tables_for_last_only`` the earlier roll-ups keep their headline figures but
    no tables (a trend needs only the figures; the tables are most of the cost).
    Periods ending before ``required_from`` (the requirement's effective date)
    are not due: they count as neither late nor missing.
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
            as_of=as_of, scheme=scheme, provider_names=names, required_from=required_from,
            reporting_from={p.provider_id: p.reporting_from for p in providers or ()
                            if p.reporting_from},
        )  # fmt: skip
    kinds = {p.provider_id: p.reporter_kind for p in providers or () if p.reporter_kind}
    final = len(starts) - 1
    return tuple(
        _build(
            kind,
            frame,
            start,
            rows,
            scheme,
            with_tables=i == final or not tables_for_last_only,
            kinds=kinds,
            min_cell_members=min_cell_members,
            timeliness_standard_pct=timeliness_standard_pct,
        )
        for i, start in enumerate(starts)
    )
