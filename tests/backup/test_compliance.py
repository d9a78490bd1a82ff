from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.compliance import (
    FILED_STATUSES,
    Attestation,
    ProviderPeriod,
    ProviderPeriodStatus,
    period_compliance,
    read_attestations,
    read_providers,
)
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import BackupReport, ReportStatus
from carecover.errors import InputError
from tests.backup.factories import report

OCT_1 = date(2026, 10, 1)  # period 2026-10-01..2026-10-15, due 2026-10-20
S = ProviderPeriodStatus


def status_of(
    reports: Sequence[BackupReport] = (),
    attestations: Sequence[Attestation] = (),
    *,
    as_of: date = date(2026, 11, 1),
) -> ProviderPeriod:
    rows = period_compliance(reports, attestations, ["P001"], OCT_1, OCT_1, as_of=as_of)
    assert len(rows) == 1
    return rows[0]


def test_it_calls_a_period_reported_when_a_report_came_by_the_due_date() -> None:
    row = status_of([report(submitted_at=datetime(2026, 10, 20, 23, 59))])
    assert row.status is S.REPORTED
    assert row.reports == 1
    assert row.days_late == 0
    assert row.first_submitted_at == datetime(2026, 10, 20, 23, 59)


def test_it_calls_a_period_late_when_a_report_came_after_the_due_date() -> None:
    row = status_of([report(submitted_at=datetime(2026, 10, 23, 9, 0))])
    assert row.status is S.LATE
    assert row.days_late == 3
    assert row.late_reports == 1
    assert row.non_compliant


def test_one_late_report_makes_the_period_late_even_when_others_were_on_time() -> None:
    on_time = report(submitted_at=datetime(2026, 10, 10, 9, 0))
    late = report(incident_date=date(2026, 10, 14), submitted_at=datetime(2026, 10, 25, 9, 0))
    row = status_of([on_time, late])
    assert row.status is S.LATE
    assert (row.reports, row.late_reports, row.days_late) == (2, 1, 5)


def test_it_accepts_an_on_time_attestation_of_no_incidents() -> None:
    row = status_of(attestations=[Attestation("P001", OCT_1, datetime(2026, 10, 16, 8, 0))])
    assert row.status is S.ATTESTED_NONE
    assert row.attested


def test_a_late_attestation_is_late() -> None:
    row = status_of(attestations=[Attestation("P001", OCT_1, datetime(2026, 10, 22, 8, 0))])
    assert row.status is S.LATE
    assert row.days_late == 2


def test_a_report_wins_over_an_attestation_for_the_same_period() -> None:
    row = status_of(
        [report(submitted_at=datetime(2026, 10, 5, 9, 0))],
        [Attestation("P001", OCT_1, datetime(2026, 10, 16, 8, 0))],
    )
    assert row.status is S.REPORTED


def test_nothing_filed_is_missing_once_the_due_date_has_passed() -> None:
    row = status_of(as_of=date(2026, 10, 21))
    assert row.status is S.MISSING
    assert row.days_late == 1


def test_nothing_filed_is_only_due_until_the_due_date() -> None:
    assert status_of(as_of=date(2026, 10, 20)).status is S.DUE


def test_a_draft_does_not_count_as_filed() -> None:
    assert status_of([report(status=ReportStatus.DRAFT)]).status is S.MISSING


@pytest.mark.parametrize("status", [ReportStatus.ACCEPTED, ReportStatus.RETURNED])
def test_accepted_and_returned_reports_count_as_filed(status: ReportStatus) -> None:
    assert status_of([report(status=status)]).status is S.REPORTED


def test_it_ignores_filings_made_after_the_as_of_date() -> None:
    filed_later = report(submitted_at=datetime(2026, 10, 25, 9, 0))
    assert status_of([filed_later], as_of=date(2026, 10, 22)).status is S.MISSING


def test_it_keys_a_report_on_its_incident_date_not_its_submission_date() -> None:
    row = period_compliance(
        [report(incident_date=date(2026, 10, 15), submitted_at=datetime(2026, 10, 16, 9, 0))],
        [],
        ["P001"],
        OCT_1,
        date(2026, 10, 31),
        as_of=date(2026, 11, 30),
    )
    assert [r.status for r in row] == [S.REPORTED, S.MISSING]


def test_it_gives_one_row_per_provider_and_period_for_every_expected_provider() -> None:
    rows = period_compliance(
        [report(provider_id="P002")],
        [],
        ["P001", "P002", "P001"],
        OCT_1,
        date(2026, 11, 3),
        as_of=date(2026, 11, 30),
    )
    assert [(r.provider_id, r.period.start.isoformat(), r.status) for r in rows] == [
        ("P001", "2026-10-01", S.MISSING),
        ("P001", "2026-10-16", S.MISSING),
        ("P001", "2026-11-01", S.MISSING),
        ("P002", "2026-10-01", S.REPORTED),
        ("P002", "2026-10-16", S.MISSING),
        ("P002", "2026-11-01", S.MISSING),
    ]
    assert rows[3].provider_name == "Provider P002"


def test_periods_before_a_provider_started_reporting_are_not_due_from_it() -> None:
    rows = period_compliance(
        [],
        [],
        ["P001", "P002"],
        OCT_1,
        date(2026, 11, 3),
        as_of=date(2026, 11, 30),
        reporting_from={"P002": date(2026, 10, 20)},
    )
    assert [(r.provider_id, r.period.start.isoformat()) for r in rows] == [
        ("P001", "2026-10-01"),
        ("P001", "2026-10-16"),
        ("P001", "2026-11-01"),
        # P002 joined on 20 October: the period it joined in is due, the one before is not.
        ("P002", "2026-10-16"),
        ("P002", "2026-11-01"),
    ]


@given(joined=st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)))
def test_no_period_ending_before_the_first_reporting_day_is_ever_due(joined: date) -> None:
    rows = period_compliance(
        [], [], ["P001"], OCT_1, date(2026, 11, 30), as_of=date(2027, 1, 31),
        reporting_from={"P001": joined},
    )  # fmt: skip
    assert all(r.period.end >= joined for r in rows)
    every = period_compliance([], [], ["P001"], OCT_1, date(2026, 11, 30), as_of=date(2027, 1, 31))
    assert len(rows) == sum(1 for r in every if r.period.end >= joined)


def test_it_reads_a_providers_first_reporting_day_and_names_a_bad_one(tmp_path: Path) -> None:
    prov = tmp_path / "prov.csv"
    prov.write_text(
        "provider_id,provider_name,reporter_kind,reporting_from\nP001,Acme,provider,2026-10-20\nP002,B,provider,\n"
    )
    first, second = read_providers(prov)
    assert (first.reporting_from, second.reporting_from) == (date(2026, 10, 20), None)
    prov.write_text("provider_id,reporting_from\nP001,soon\n")
    with pytest.raises(InputError, match=r"prov.csv:2: reporting_from: 'soon' is not a date"):
        read_providers(prov)


def test_it_uses_the_scheme_it_is_given_for_periods_and_due_dates() -> None:
    scheme = PeriodScheme.cycles(date(2026, 10, 5), grace_days=3)
    rows = period_compliance(
        [report(incident_date=date(2026, 10, 6), submitted_at=datetime(2026, 10, 21, 9, 0))],
        [],
        ["P001"],
        date(2026, 10, 5),
        date(2026, 10, 18),
        as_of=date(2026, 11, 30),
        scheme=scheme,
    )
    assert [(r.period.label, r.period.due, r.status) for r in rows] == [
        ("2026-10-05..2026-10-18", date(2026, 10, 21), S.REPORTED)
    ]


def test_it_reads_attestations_and_providers_from_csv(tmp_path: Path) -> None:
    att = tmp_path / "att.csv"
    att.write_text("provider_id,period_start,attested_at\nP001,2026-10-01,2026-10-16T08:00\n")
    prov = tmp_path / "prov.csv"
    prov.write_text("provider_id,provider_name,reporter_kind\nP001,Acme Care,provider\n")
    assert read_attestations(att) == [Attestation("P001", OCT_1, datetime(2026, 10, 16, 8, 0))]
    assert read_providers(prov)[0].provider_name == "Acme Care"


def test_it_names_the_line_and_field_of_a_bad_attestation(tmp_path: Path) -> None:
    att = tmp_path / "att.csv"
    att.write_text("provider_id,period_start,attested_at\nP001,2026-10-01,yesterday\n")
    with pytest.raises(InputError, match=r"att.csv:2: attested_at: not an ISO date"):
        read_attestations(att)


def test_it_names_missing_columns_of_a_providers_file(tmp_path: Path) -> None:
    prov = tmp_path / "prov.csv"
    prov.write_text("id,name\nP001,Acme\n")
    with pytest.raises(InputError, match="missing column"):
        read_providers(prov)


filings = st.lists(
    st.tuples(
        st.sampled_from(["P001", "P002"]),
        st.dates(date(2026, 9, 1), date(2026, 11, 30)),
        st.integers(0, 40),
        st.sampled_from(list(ReportStatus)),
    ),
    max_size=8,
)


@given(filings, st.dates(date(2026, 9, 1), date(2027, 1, 31)))
def test_every_provider_period_gets_exactly_one_consistent_status(
    items: list[tuple[str, date, int, ReportStatus]], as_of: date
) -> None:
    reports = [
        report(
            provider_id=pid,
            incident_date=day,
            status=status,
            submitted_at=None
            if status is ReportStatus.DRAFT
            else datetime.combine(day + timedelta(days=delay), time(12, 0)),
        )
        for pid, day, delay, status in items
    ]
    rows = period_compliance(
        reports, [], ["P001", "P002"], date(2026, 9, 1), date(2026, 11, 30), as_of=as_of
    )
    assert len(rows) == 2 * 6
    assert len({(r.provider_id, r.period.start) for r in rows}) == len(rows)
    for row in rows:
        filed = [
            r.submitted_at.date()
            for r in reports
            if r.provider_id == row.provider_id
            and row.period.contains(r.incident_date)
            and r.status in FILED_STATUSES
            and r.submitted_at is not None
            and r.submitted_at.date() <= as_of
        ]
        assert row.reports == len(filed)
        if any(d > row.period.due for d in filed):
            assert row.status is S.LATE
        elif filed:
            assert row.status is S.REPORTED
        else:
            assert row.status is (S.MISSING if as_of > row.period.due else S.DUE)


def test_an_attestation_dated_inside_the_period_counts_for_that_period() -> None:
    row = status_of(attestations=[Attestation("P001", date(2026, 10, 9), datetime(2026, 10, 16))])
    assert row.status is S.ATTESTED_NONE


def test_a_withdrawn_report_does_not_count_as_filed() -> None:
    # Filed in error and withdrawn with the MCO's approval: the period has no report.
    assert status_of([report(status=ReportStatus.WITHDRAWN)]).status is S.MISSING
