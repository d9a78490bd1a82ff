"""The columnar roll-up: tables give the object path's roll-up; plain counts as oracles."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.backup.compliance import Attestation, ProviderRef, period_compliance
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import BackupReport, BackupStatus, ReportStatus
from carecover.backup.rollup import (
    COUNTED_STATUSES,
    RollupKind,
    build_rollup,
    monthly_snapshot,
    rollup_from_table,
    rollups_from_table,
)
from carecover.backup.rollup_columns import REPORT_SCHEMA, report_table
from tests.backup.factories import report

AS_OF = date(2026, 12, 10)
PROVIDERS = [ProviderRef("P001", "One"), ProviderRef("P002", "Two"), ProviderRef("P003", "Three")]


@st.composite
def reports(draw: st.DrawFn) -> BackupReport:
    """A report of one of three providers and four members, Sep–Nov 2026, filed or not."""
    day = date(2026, 9, 1) + timedelta(days=draw(st.integers(0, 90)))
    status = draw(st.sampled_from(list(ReportStatus)))
    delay = draw(st.one_of(st.none(), st.integers(0, 40)))
    filed = None if delay is None else datetime.combine(day + timedelta(days=delay), time(9))
    declined = draw(st.booleans())
    return report(
        provider_id=draw(st.sampled_from(["P001", "P002", "P003"])),
        incident_date=day,
        status=status,
        submitted_at=filed if status is not ReportStatus.DRAFT else None,
        medicaid_id=draw(st.sampled_from(["900000001A", "900000002B", "900000003C", "9000004D"])),
        hours=draw(st.integers(1, 40)) / 4,
        backup_status=BackupStatus.OFFERED_DECLINED if declined else BackupStatus.NOT_AVAILABLE,
        **({} if declined else {"reason": draw(st.sampled_from(["short_notice", "", None]))}),
    )


@st.composite
def attestations(draw: st.DrawFn) -> Attestation:
    """An attestation of one of the providers for a half-month, filed up to 20 days late."""
    period = draw(st.sampled_from(PeriodScheme.semi_monthly().periods_between(
        date(2026, 9, 1), date(2026, 11, 30))))  # fmt: skip
    at = datetime.combine(period.due + timedelta(days=draw(st.integers(-5, 20))), time(9))
    return Attestation(draw(st.sampled_from(["P001", "P002", "P003"])), period.start, at)


@settings(max_examples=20, deadline=None)
@given(st.lists(reports(), max_size=30), st.lists(attestations(), max_size=6))
def test_compliance_from_distinct_filings_gives_the_rollup_full_compliance_gives(
    items: list[BackupReport], attested: list[Attestation]
) -> None:
    # build_rollup checks compliance on one placeholder per provider, period and
    # filing day; the roll-up must equal one fed the full check's rows.
    rows = period_compliance(
        items, attested, [p.provider_id for p in PROVIDERS],
        date(2026, 10, 1), date(2026, 11, 30), as_of=AS_OF,
        provider_names={p.provider_id: p.provider_name for p in PROVIDERS},
    )  # fmt: skip
    fast = build_rollup(
        RollupKind.MONTHLY, items, "2026-11", as_of=AS_OF, attestations=attested,
        providers=PROVIDERS,
    )  # fmt: skip
    assert fast == monthly_snapshot(items, date(2026, 11, 1), compliance_rows=rows)


@settings(max_examples=20, deadline=None)
@given(st.lists(reports(), max_size=30))
def test_the_headline_figures_match_a_plain_count(items: list[BackupReport]) -> None:
    rollup = build_rollup(RollupKind.QUARTERLY_HRC, items, "2026Q4", as_of=AS_OF)
    first, last = date(2026, 10, 1), date(2026, 12, 31)
    counted = [
        r for r in items if r.status in COUNTED_STATUSES and first <= r.incident_date <= last
    ]
    per_member: dict[str, int] = {}
    for r in counted:
        per_member[r.member.medicaid_id] = per_member.get(r.member.medicaid_id, 0) + 1
    hours = [r.hours_without_staff for r in counted]
    figure = {f.name: f.value for f in rollup.figures}
    assert figure["reports"] == len(counted)
    assert figure["members_affected"] == len(per_member)
    assert figure["highest_reports_one_member"] == max(per_member.values(), default=0)
    assert figure["hours_without_staff_total"] == round(sum(hours), 2)
    assert figure["hours_without_staff_median"] == (
        round(statistics.median(hours), 2) if hours else None
    )


def test_a_table_gives_the_same_rollup_as_the_reports_it_holds() -> None:
    items = [
        report(incident_date=date(2026, 10, 3)),
        report(incident_date=date(2026, 10, 20), medicaid_id="900000002B", hours=2.5),
        report(incident_date=date(2026, 9, 20), backup_status=BackupStatus.OFFERED_DECLINED),
        report(incident_date=date(2026, 10, 5), status=ReportStatus.DRAFT),
    ]
    table = report_table(items)
    assert table.schema == REPORT_SCHEMA
    for kind in RollupKind:
        period = "2026Q4" if kind is not RollupKind.MONTHLY else "2026-10"
        expected = build_rollup(kind, items, period, as_of=AS_OF, providers=PROVIDERS)
        assert rollup_from_table(kind, table, period, as_of=AS_OF, providers=PROVIDERS) == expected


def test_several_periods_from_one_table_equal_each_period_alone() -> None:
    items = [report(incident_date=date(2026, 9, 3)), report(incident_date=date(2026, 10, 20))]
    table = report_table(items)
    both = rollups_from_table(
        RollupKind.MONTHLY, table, ["2026-10", "2026-09"], as_of=AS_OF, providers=PROVIDERS
    )
    alone = [
        rollup_from_table(RollupKind.MONTHLY, table, p, as_of=AS_OF, providers=PROVIDERS)
        for p in ("2026-10", "2026-09")
    ]
    assert list(both) == alone


def test_an_empty_table_rolls_up_to_zeros() -> None:
    rollup = rollup_from_table(
        RollupKind.QUARTERLY_STATE, REPORT_SCHEMA.empty_table(), "2026Q4", as_of=AS_OF
    )
    assert rollup.figure("reports").value == 0
    assert rollup.figure("hours_without_staff_median").value is None


def test_a_trend_keeps_every_periods_figures_and_only_the_last_periods_tables() -> None:
    items = [report(incident_date=date(2026, 9, 3)), report(incident_date=date(2026, 10, 20))]
    table = report_table(items)
    periods = ["2026-08", "2026-09", "2026-10"]
    full = rollups_from_table(RollupKind.MONTHLY, table, periods, as_of=AS_OF, providers=PROVIDERS)
    trend = rollups_from_table(
        RollupKind.MONTHLY, table, periods, as_of=AS_OF, providers=PROVIDERS,
        tables_for_last_only=True,
    )  # fmt: skip
    assert [r.figures for r in trend] == [r.figures for r in full]
    assert trend[-1] == full[-1]
    assert all(r.tables == () for r in trend[:-1])
    assert all(r.tables for r in full[:-1])
