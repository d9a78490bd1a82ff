from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from carecover.backup.duplicates import (
    DuplicateReportError,
    check_not_duplicate,
    duplicate_key,
    find_duplicates,
    reused_ids,
)
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
