from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    Member,
    ReporterKind,
    ReportStatus,
)
from carecover.backup.validation import FIELD_HELP, branch_required, problems, validate_report
from carecover.backup.window import window_hours
from carecover.errors import ValidationError
from tests.backup.factories import draft

TODAY = date(2026, 11, 23)
VALID = draft(
    report_id="BUS-2026-000101",
    incident_date=date(2026, 10, 5),
)
DECLINED = replace(
    VALID,
    backup_status=BackupStatus.OFFERED_DECLINED,
    reason=None,
    declined_by=DeclinedBy.LEGALLY_RESPONSIBLE_PERSON,
    declined_reason="Guardian preferred to cover the shift as a family",
)


def fields(report: BackupReport) -> list[str]:
    return [p.field for p in problems(report, today=TODAY)]


def member(**changes: object) -> Member:
    return replace(VALID.member, **changes)  # type: ignore[arg-type]


def contact(**changes: object) -> Contact:
    return replace(VALID.contact, **changes)  # type: ignore[arg-type]


def test_it_accepts_a_complete_report() -> None:
    validate_report(VALID, today=TODAY)
    validate_report(DECLINED, today=TODAY)


def test_it_reports_every_problem_at_once() -> None:
    broken = replace(
        VALID,
        report_id="BUS-1",
        provider_name=" ",
        contact=contact(email="nobody"),
        incident_date=date(2026, 12, 1),
    )
    with pytest.raises(ValidationError) as caught:
        validate_report(broken, today=TODAY)
    assert [p.field for p in caught.value.problems] == [
        "report_id",
        "provider_name",
        "contact.email",
        "incident_date",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"report_id": "BUS-2026-12"}, "report_id"),
        ({"report_id": "BUS-2026-000000"}, "report_id"),
        ({"provider_id": ""}, "provider_id"),
        ({"contact": Contact("", "919-555-0101", "a@b.org")}, "contact.name"),
        ({"contact": Contact("Renee", "", "a@b.org")}, "contact.phone"),
        ({"contact": Contact("Renee", "555-0101", "a@b.org")}, "contact.phone"),
        ({"contact": Contact("Renee", "919-555-0101", "a@b")}, "contact.email"),
        ({"member": Member("", "Allen", date(2004, 2, 11), "900000001A")}, "member.first_name"),
        ({"member": Member("A", "Allen", date(2026, 12, 1), "900000001A")}, "member.date_of_birth"),
        ({"member": Member("A", "Allen", date(2026, 10, 6), "900000001A")}, "member.date_of_birth"),
        ({"member": Member("A", "Allen", date(2004, 2, 11), "90000001A")}, "member.medicaid_id"),
        ({"member": Member("A", "Allen", date(2004, 2, 11), "900000001")}, "member.medicaid_id"),
        (
            {"member": Member("A", "Allen", date(2004, 2, 11), "900000001A", ssn_last4="123")},
            "member.ssn_last4",
        ),
        ({"incident_date": date(2026, 11, 24)}, "incident_date"),
        ({"service_code": "Z0000"}, "service_code"),
        ({"service_code": "H0045U4HA"}, "service_code"),
        ({"hours_without_staff": 0}, "hours_without_staff"),
        ({"hours_without_staff": -1}, "hours_without_staff"),
        ({"hours_without_staff": float("nan")}, "hours_without_staff"),
        ({"hours_without_staff": 8.25}, "hours_without_staff"),
        ({"scheduled_end": time(9), "hours_without_staff": 24.5}, "hours_without_staff"),
        ({"reason": None}, "reason"),
        ({"reason": "staff_was_sick"}, "reason"),
        ({"reason": "other"}, "reason_other"),
        ({"reason": "other", "reason_other": "too short"}, "reason_other"),
        ({"declined_by": DeclinedBy.MEMBER}, "declined_by"),
        ({"declined_reason": "Member said no thanks"}, "declined_reason"),
        ({"version": 0}, "version"),
        ({"submitted_at": datetime(2026, 10, 6, 9)}, "submitted_at"),
        ({"status": ReportStatus.SUBMITTED}, "submitted_at"),
        (
            {"status": ReportStatus.SUBMITTED, "submitted_at": datetime(2026, 11, 24, 9)},
            "submitted_at",
        ),
        (
            {"status": ReportStatus.RETURNED, "submitted_at": datetime(2026, 10, 6, 9)},
            "mco_comment",
        ),
        (
            {"status": ReportStatus.SUBMITTED, "submitted_at": datetime(2026, 10, 4, 23, 59)},
            "submitted_at",
        ),
    ],
)
def test_it_names_the_field_of_each_broken_rule(changes: dict[str, object], field: str) -> None:
    assert fields(replace(VALID, **changes)) == [field]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"declined_by": None}, "declined_by"),
        ({"declined_reason": None}, "declined_reason"),
        ({"declined_reason": "said no"}, "declined_reason"),
        ({"reason": "short_notice"}, "reason"),
        ({"reason_other": "Both backup workers were snowed in"}, "reason_other"),
    ],
)
def test_it_checks_the_fields_of_a_declined_offer(changes: dict[str, object], field: str) -> None:
    assert fields(replace(DECLINED, **changes)) == [field]  # type: ignore[arg-type]


def test_it_accepts_an_explained_other_reason() -> None:
    report = replace(VALID, reason="other", reason_other="Both backup workers were snowed in")
    assert fields(report) == []


def test_it_accepts_a_window_that_crosses_midnight() -> None:
    report = replace(VALID, scheduled_start=time(22), scheduled_end=time(6), hours_without_staff=8)
    assert fields(report) == []


def test_it_accepts_a_full_day_window_with_24_hours() -> None:
    report = replace(VALID, scheduled_start=time(7), scheduled_end=time(7), hours_without_staff=24)
    assert fields(report) == []


@pytest.mark.parametrize(
    "phone", ["919-555-0101", "(919) 555-0101", "919.555.0101", "+1 919 555 0101", "9195550101 x12"]
)
def test_it_accepts_common_ways_of_writing_a_phone_number(phone: str) -> None:
    assert fields(replace(VALID, contact=contact(phone=phone))) == []


def test_it_accepts_a_report_for_today() -> None:
    assert fields(replace(VALID, incident_date=TODAY)) == []


def test_it_says_why_the_report_exists_in_the_reason_help() -> None:
    assert "not why the regular staff was absent" in FIELD_HELP["reason"]


def test_it_has_help_for_every_field_of_the_report() -> None:
    names = {f.name for f in dataclasses.fields(BackupReport)} - {"contact", "member"}
    names |= {f"contact.{f.name}" for f in dataclasses.fields(Contact)}
    names |= {f"member.{f.name}" for f in dataclasses.fields(Member)} - {"member.ssn_hash"}
    assert names <= set(FIELD_HELP)


clock = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(clock, clock, st.floats(min_value=0.01, max_value=1.0))
def test_it_accepts_any_share_of_any_window(start: time, end: time, share: float) -> None:
    hours = window_hours(start, end) * share
    report = replace(VALID, scheduled_start=start, scheduled_end=end, hours_without_staff=hours)
    assert fields(report) == []


@given(clock, clock, st.floats(min_value=0.01, max_value=30))
def test_it_refuses_hours_beyond_the_window(start: time, end: time, extra: float) -> None:
    hours = window_hours(start, end) + extra
    report = replace(VALID, scheduled_start=start, scheduled_end=end, hours_without_staff=hours)
    assert fields(report) == ["hours_without_staff"]


@pytest.mark.parametrize(
    ("born", "refused"),
    [
        (date(1899, 12, 31), True),
        (date(1900, 1, 1), False),
        (date(2026, 10, 5), False),
        (date(2026, 10, 6), True),
    ],
)
def test_a_birth_date_before_1900_or_after_the_incident_is_refused(
    born: date, refused: bool
) -> None:
    assert (
        "member.date_of_birth" in fields(replace(VALID, member=member(date_of_birth=born)))
    ) is (refused)


@pytest.mark.parametrize("field", ["reason_other", "declined_reason"])
def test_an_explanation_over_2000_characters_is_refused_not_cut(field: str) -> None:
    if field == "reason_other":
        longest, over = (
            replace(VALID, reason="other", reason_other=text) for text in ("x" * 2000, "x" * 2001)
        )
    else:
        longest, over = (replace(DECLINED, declined_reason=t) for t in ("x" * 2000, "x" * 2001))
    assert field not in fields(longest)
    found = problems(over, today=TODAY)
    assert [p.message for p in found if p.field == field] == [
        "is too long: at most 2,000 characters"
    ]


def test_a_name_longer_than_its_column_is_refused() -> None:
    assert "member.last_name" in fields(replace(VALID, member=member(last_name="L" * 101)))
    assert "contact.email" in fields(replace(VALID, contact=contact(email="a@b.c" + "o" * 250)))


def test_an_employer_of_record_reason_is_refused_for_an_agency_and_kept_for_an_eor() -> None:
    agency = replace(VALID, reason="eor_no_backup_employee")
    assert [p.message for p in problems(agency, today=TODAY) if p.field == "reason"] == [
        "'Employer of Record has no backup employee' is a reason for Employers of Record only"
    ]
    assert "reason" not in fields(replace(agency, reporter_kind=ReporterKind.EOR))


def test_the_report_type_makes_the_reason_required_when_backup_was_not_available() -> None:
    assert branch_required(BackupStatus.NOT_AVAILABLE, None) == ("reason",)
    assert branch_required(BackupStatus.NOT_AVAILABLE, "short_notice") == ("reason",)


def test_other_as_the_reason_makes_its_explanation_required_too() -> None:
    assert branch_required(BackupStatus.NOT_AVAILABLE, "other") == ("reason", "reason_other")


def test_declined_backup_makes_who_declined_and_why_required() -> None:
    assert branch_required(BackupStatus.OFFERED_DECLINED, "other") == (
        "declined_by",
        "declined_reason",
    )


@pytest.mark.parametrize("field", ["reason", "reason_other", "declined_by", "declined_reason"])
def test_a_report_missing_a_field_its_type_requires_breaks_a_rule_on_that_field(
    field: str,
) -> None:
    base = (
        DECLINED
        if field.startswith("declined")
        else replace(VALID, reason="other", reason_other="The agency's on-call line was down")
    )
    assert field in branch_required(base.backup_status, base.reason)
    assert field in fields(replace(base, **{field: None}))
