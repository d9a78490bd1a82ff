"""The fair compliance clock (issue 13 §3): first submission, learned-on date, effective date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from carecover.backup import lifecycle
from carecover.backup.compliance import (
    Attestation,
    ProviderPeriod,
    ProviderPeriodStatus,
    deadline,
    period_compliance,
    provider_rates,
)
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import BackupReport, ReportStatus
from carecover.backup.rollup import monthly_snapshot
from tests.backup.factories import report

S = ProviderPeriodStatus
OCT_1 = date(2026, 10, 1)  # period 2026-10-01..2026-10-15, due 2026-10-20
SEMI = PeriodScheme.semi_monthly()


def one_period(reports: list[BackupReport], *, as_of: date = date(2026, 12, 1)) -> ProviderPeriod:
    (row,) = period_compliance(reports, [], ["P001"], OCT_1, OCT_1, as_of=as_of)
    return row


def test_a_report_filed_on_time_returned_and_corrected_after_the_due_date_is_not_late() -> None:
    draft = report(
        status=ReportStatus.DRAFT, incident_date=date(2026, 10, 3), report_id="BUS-2026-000123"
    )
    filed = lifecycle.submit(draft, now=datetime(2026, 10, 10, 9, 0), today=date(2026, 10, 10))
    returned = lifecycle.return_to_provider(
        filed, comment="the hours are wrong", now=datetime(2026, 10, 19, 9, 0)
    )
    corrected = lifecycle.submit(
        lifecycle.amend(returned, hours_without_staff=3.0),
        now=datetime(2026, 10, 28, 9, 0),
        today=date(2026, 10, 28),
    )
    # Each submission keeps its own time; the first one stays with the report.
    assert (filed.submitted_at, corrected.submitted_at) == (
        datetime(2026, 10, 10, 9, 0),
        datetime(2026, 10, 28, 9, 0),
    )
    assert corrected.first_submitted_at == datetime(2026, 10, 10, 9, 0)
    row = one_period([corrected])
    assert row.status is S.REPORTED
    assert (row.late_reports, row.days_late) == (0, 0)


def test_a_report_first_filed_after_the_due_date_is_late_however_often_it_is_corrected() -> None:
    late = report(
        incident_date=date(2026, 10, 3),
        first_submitted_at=datetime(2026, 10, 22, 9, 0),
        submitted_at=datetime(2026, 10, 30, 9, 0),
    )
    row = one_period([late])
    assert (row.status, row.days_late) == (S.LATE, 2)


def test_a_report_learned_of_later_is_on_time_by_the_deadline_of_the_period_it_was_learned_in() -> (
    None
):
    # Seed row 6: the family told the supervisor on 18 Oct of a 3 Oct no-show.
    learned = report(
        incident_date=date(2026, 10, 3),
        learned_on=date(2026, 10, 18),
        submitted_at=datetime(2026, 11, 4, 9, 0),  # the 16th-31st period is due 5 Nov
    )
    assert one_period([learned]).status is S.REPORTED
    too_late = report(
        incident_date=date(2026, 10, 3),
        learned_on=date(2026, 10, 18),
        submitted_at=datetime(2026, 11, 6, 9, 0),
    )
    row = one_period([too_late])
    assert (row.status, row.days_late) == (S.LATE, 1)


def test_learning_of_an_incident_inside_its_own_period_does_not_move_the_deadline() -> None:
    assert deadline(date(2026, 10, 3), date(2026, 10, 9), SEMI) == date(2026, 10, 20)
    assert deadline(date(2026, 10, 3), None, SEMI) == date(2026, 10, 20)


@given(
    st.dates(date(2022, 7, 1), date(2030, 12, 31)),
    st.integers(0, 120),
    st.integers(0, 40),
)
def test_the_deadline_is_never_before_the_periods_nor_before_learning_plus_grace(
    incident: date, later: int, anchor_shift: int
) -> None:
    learned = incident + timedelta(days=later)
    for scheme in (SEMI, PeriodScheme.cycles(date(2022, 7, 1) + timedelta(days=anchor_shift))):
        due = deadline(incident, learned, scheme)
        assert due >= scheme.period_for(incident).due
        assert due >= learned + timedelta(days=scheme.grace_days)


def test_periods_ending_before_the_requirement_took_effect_are_not_due() -> None:
    rows = period_compliance(
        [],
        [],
        ["P001"],
        date(2022, 6, 1),
        date(2022, 7, 31),
        as_of=date(2022, 9, 1),
        required_from=date(2022, 7, 1),
    )
    assert [r.period.start for r in rows] == [date(2022, 7, 1), date(2022, 7, 16)]
    assert {r.status for r in rows} == {S.MISSING}


def test_a_cycle_overlapping_the_effective_date_is_due() -> None:
    cycles = PeriodScheme.cycles(date(2022, 6, 24))
    rows = period_compliance(
        [],
        [],
        ["P001"],
        date(2022, 6, 1),
        date(2022, 7, 10),
        as_of=date(2022, 9, 1),
        scheme=cycles,
        required_from=date(2022, 7, 1),
    )
    assert [r.period.start for r in rows] == [date(2022, 6, 24), date(2022, 7, 8)]


def test_the_compliance_rate_is_periods_on_time_over_periods_due() -> None:
    reports = [report(incident_date=date(2026, 10, 3))]
    attested = [Attestation("P001", date(2026, 10, 16), datetime(2026, 11, 1, 9, 0))]
    rows = period_compliance(
        reports,
        attested,
        ["P001", "P002"],
        date(2026, 10, 1),
        date(2026, 11, 20),
        as_of=date(2026, 11, 21),
    )
    rates = {r.provider_id: r for r in provider_rates(rows)}
    # P001: reported, attested, missing (Nov 1-15); the Nov 16-30 period is not due yet.
    p1 = rates["P001"]
    assert (p1.periods_due, p1.on_time, p1.attested_none, p1.missing) == (3, 2, 1, 1)
    assert p1.rate == 2 / 3
    assert rates["P002"].rate == 0.0


def test_the_snapshot_counts_incidents_discovered_late() -> None:
    reports = [
        report(incident_date=date(2026, 10, 3), learned_on=date(2026, 10, 9)),
        report(incident_date=date(2026, 10, 4)),
        report(incident_date=date(2026, 10, 5), learned_on=date(2026, 10, 5)),
    ]
    assert monthly_snapshot(reports, OCT_1).figure("discovered_late").value == 1
