from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.duplicates import (
    HOURS_IN_A_DAY,
    DayHoursError,
    DuplicateReportError,
    check_day_hours,
    check_not_duplicate,
    duplicate_key,
    find_duplicates,
    find_long_days,
    incident_key,
    reused_ids,
)
from carecover.backup.report import BackupReport
from tests.backup.factories import draft

REPORT = draft(
    report_id="BUS-2026-000001",
    incident_date=date(2026, 10, 1),
    reason="other",
    reason_other="Both backup workers were snowed in",
)


def test_it_keys_a_report_by_provider_member_date_and_service() -> None:
    assert duplicate_key(REPORT) == ("P-1001", "900000001A", date(2026, 10, 1), "T2013TF")


def test_it_ignores_case_and_spaces_in_the_key() -> None:
    other = replace(
        REPORT,
        provider_id=" p-1001 ",
        service_code="t2013tf",
        member=replace(REPORT.member, medicaid_id="900000001a"),
    )
    assert duplicate_key(other) == duplicate_key(REPORT)


def test_it_pairs_a_later_report_with_the_first_one_for_the_same_incident() -> None:
    second = replace(REPORT, report_id="BUS-2026-000002", hours_without_staff=3)
    third = replace(REPORT, report_id="BUS-2026-000003")
    assert find_duplicates([REPORT, second, third]) == [(REPORT, second), (REPORT, third)]


@pytest.mark.parametrize(
    "change",
    [
        {"provider_id": "P-1002"},
        {"incident_date": date(2026, 10, 2)},
        {"service_code": "H2015"},
        {"member": replace(REPORT.member, medicaid_id="900000002B")},
    ],
)
def test_it_does_not_flag_reports_that_differ_in_one_key_part(change: dict[str, object]) -> None:
    other = replace(REPORT, report_id="BUS-2026-000002", **change)  # type: ignore[arg-type]
    assert find_duplicates([REPORT, other]) == []


def test_it_does_not_flag_two_versions_of_one_report() -> None:
    assert find_duplicates([REPORT, replace(REPORT, version=2)]) == []


def test_it_names_the_other_report_when_it_refuses_a_duplicate() -> None:
    second = replace(REPORT, report_id="BUS-2026-000002")
    with pytest.raises(DuplicateReportError, match="BUS-2026-000001") as caught:
        check_not_duplicate(second, [REPORT])
    assert caught.value.other is REPORT


def test_it_accepts_a_report_with_no_twin() -> None:
    check_not_duplicate(REPORT, [replace(REPORT, report_id="BUS-2026-000009", provider_id="X")])


def test_it_pairs_reports_that_reuse_an_id() -> None:
    other = replace(REPORT, incident_date=date(2026, 10, 2))
    fresh = replace(REPORT, report_id="BUS-2026-000002", incident_date=date(2026, 10, 3))
    assert reused_ids([REPORT, fresh, other]) == [(REPORT, other)]


def _hours(report_id: str, hours: float, **changes: object) -> BackupReport:
    return replace(REPORT, report_id=report_id, hours_without_staff=hours, **changes)  # type: ignore[arg-type]


def test_it_refuses_a_members_day_over_24_hours_naming_the_other_reports() -> None:
    other = _hours("BUS-2026-000002", 20, service_code="H2015")
    with pytest.raises(DayHoursError, match=r"BUS-2026-000002.*26 hours"):
        check_day_hours(_hours("BUS-2026-000001", 6), [other])


def test_it_accepts_a_members_day_of_exactly_24_hours() -> None:
    check_day_hours(_hours("BUS-2026-000001", 6), [_hours("BUS-2026-000002", 18)])


def test_the_day_cap_ignores_other_dates_members_and_the_report_itself() -> None:
    others = [
        _hours("BUS-2026-000001", 23),  # an earlier version of the report itself
        _hours("BUS-2026-000002", 23, incident_date=date(2026, 10, 2)),
        _hours("BUS-2026-000003", 23, member=replace(REPORT.member, medicaid_id="900000002B")),
    ]
    check_day_hours(_hours("BUS-2026-000001", 6), others)


@given(st.lists(st.floats(min_value=0, max_value=24, allow_nan=False), min_size=1, max_size=6))
def test_the_day_cap_refuses_exactly_when_the_hours_add_up_to_more_than_24(
    hours: list[float],
) -> None:
    reports = [_hours(f"BUS-2026-{n + 1:06d}", h) for n, h in enumerate(hours)]
    over = sum(hours) > HOURS_IN_A_DAY
    if over and len(hours) > 1:
        with pytest.raises(DayHoursError):
            check_day_hours(reports[0], reports[1:])
    else:
        check_day_hours(reports[0], reports[1:])


def test_the_incident_key_is_one_string_that_ignores_case_and_spaces() -> None:
    other = replace(REPORT, provider_id=" p-1001 ", service_code="t2013tf")
    assert incident_key(other) == incident_key(REPORT) == "P-1001|900000001A|2026-10-01|T2013TF"


def test_a_file_pass_names_each_report_that_takes_a_day_over_24_hours() -> None:
    reports = [
        _hours("BUS-2026-000001", 10),
        _hours("BUS-2026-000002", 10, service_code="H2015"),
        _hours("BUS-2026-000003", 5, service_code="T1019"),
        _hours("BUS-2026-000004", 23, incident_date=date(2026, 10, 2)),
    ]
    found = find_long_days(reports)
    assert [(e.report.report_id, e.total) for e in found] == [("BUS-2026-000003", 25)]
    assert [o.report_id for o in found[0].others] == ["BUS-2026-000001", "BUS-2026-000002"]
