"""The service-interruption classifier against the seed's 15-scenario table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.classify import (
    Backup,
    Cause,
    CauseCategory,
    OutcomeKind,
    cause_info,
    causes,
    classify,
    parse_backup,
    parse_cause,
)
from carecover.errors import InputError

SEED = "seeds/000_d02408825cce7c15.txt"
BREAK = B = OutcomeKind.SERVICE_BREAK
FAILURE = F = OutcomeKind.FAILURE_TO_PROVIDE_BACKUP

# (seed row, start of the seed wording, cause, backup, expected kind, seed "Submit" column)
SCENARIOS = [
    (1, "Member had a doctor’s appointment", "member_appointment", "not_offered", B, "No"),
    (2, "Member went on vacation", "member_vacation", "not_offered", B, "No"),
    (3, "Regularly scheduled staff out due to", "staff_illness", "declined", F, "Yes"),
    (3, "Regularly scheduled staff out due to", "staff_illness", "unavailable", F, "Yes"),
    (4, "Regularly scheduled staff quit", "staff_quit", "declined", F, "Yes"),
    (4, "Regularly scheduled staff quit", "staff_quit", "unavailable", F, "Yes"),
    (5, "Member/family not utilizing all", "member_unused_units", "not_offered", B, "No"),
    (6, "Member/family did not notify the", "staff_no_show", "not_offered", F, "Yes"),
    (6, "Member/family did not notify the", "staff_no_show", "unavailable", F, "Yes"),
    (7, "New regularly scheduled staff in", "staff_vacancy", "declined", F, "Yes"),
    (7, "New regularly scheduled staff in", "staff_vacancy", "unavailable", F, "Yes"),
    (8, "Member did not have services over", "member_holiday", "not_offered", B, "No"),
    (9, "Member/parent/guardian requested", "member_requested_break", "not_offered", B, "No"),
    (10, "Member/family requested no services", "member_weather", "not_offered", B, "No"),
    (11, "Member is sick and unable", "member_illness", "not_offered", B, "No"),
    (12, "Member is in the hospital", "member_hospitalized", "not_offered", B, "No"),
    (13, "Member/family had a scheduling", "member_scheduling_conflict", "not_offered", B, "No"),
    (
        14,
        "The provider is closed for a holiday",
        "provider_holiday_closure",
        "not_offered",
        B,
        "No",
    ),
    (15, "The provider is closed or closes", "provider_weather_closure", "not_offered", B, "No"),
]
# Row 6: the family told the supervisor about the no-show days after the fact.
LATE_NOTICE_ROWS = {6}

STAFF = [c for c in Cause if cause_info(c).category is CauseCategory.STAFF]
NOT_STAFF = [c for c in Cause if cause_info(c).category is not CauseCategory.STAFF]
MISSING_BACKUP = [Backup.UNAVAILABLE, Backup.DECLINED, Backup.NOT_OFFERED]


@pytest.mark.parametrize(
    ("row", "wording", "cause", "backup", "kind", "submit"),
    SCENARIOS,
    ids=[f"row{s[0]}-{s[2]}-{s[3]}" for s in SCENARIOS],
)
def test_it_classifies_every_seed_scenario_as_the_dma_table_does(
    row: int, wording: str, cause: str, backup: str, kind: OutcomeKind, submit: str
) -> None:
    outcome = classify(Cause(cause), Backup(backup), late_notice=row in LATE_NOTICE_ROWS)
    assert outcome.kind is kind
    assert outcome.report_required is (submit == "Yes")
    assert outcome.document_in_member_record is (kind is BREAK)
    assert outcome.incident_level == ("I" if kind is FAILURE else None)


def test_the_scenario_table_covers_all_fifteen_seed_rows() -> None:
    assert {s[0] for s in SCENARIOS} == set(range(1, 16))


def test_the_scenario_table_agrees_with_the_seed_file(shared: Path) -> None:
    lines = (shared / SEED).read_text(encoding="utf-8").splitlines()
    for row, wording, *_, kind, submit in SCENARIOS:
        matches = [line for line in lines if line.startswith(wording)]
        assert len(matches) == 1, f"row {row}: {wording!r}"
        assert matches[0].rstrip().endswith(submit), f"row {row}"
        label = "Service Break" if kind is BREAK else "Failure to Provide Back"
        assert label in matches[0], f"row {row}"


def test_it_cites_the_j256_trigger_that_applies() -> None:
    declined = classify(Cause.STAFF_QUIT, Backup.DECLINED)
    unavailable = classify(Cause.STAFF_QUIT, Backup.UNAVAILABLE)
    assert declined.rule == "J256 trigger 2: backup offered and declined"
    assert unavailable.rule == "J256 trigger 1: backup staff not available"
    assert classify(Cause.MEMBER_VACATION, Backup.DECLINED).rule.startswith("J266")


def test_a_failure_explains_the_report_is_about_backup_staff_one_per_date() -> None:
    text = classify(Cause.STAFF_ILLNESS, Backup.UNAVAILABLE).explanation
    assert "why BACKUP staff was not provided" in text
    assert "one report per incident date" in text
    assert "Level I" in text


def test_late_notice_is_mentioned_but_still_a_failure() -> None:
    outcome = classify(Cause.STAFF_NO_SHOW, Backup.NOT_OFFERED, late_notice=True)
    assert outcome.kind is FAILURE
    assert "days after" in outcome.explanation


def test_harm_escalates_to_iris_within_72_hours_even_for_a_service_break() -> None:
    outcome = classify(Cause.MEMBER_ILLNESS, Backup.NOT_OFFERED, harm=True)
    assert outcome.kind is BREAK
    assert outcome.escalate
    assert "IRIS" in outcome.explanation
    assert "72 hours" in outcome.explanation


def test_backup_that_covered_the_shift_is_no_interruption() -> None:
    outcome = classify(Cause.STAFF_ILLNESS, Backup.PROVIDED)
    assert outcome.kind is OutcomeKind.NO_INTERRUPTION
    assert not outcome.report_required
    assert outcome.incident_level is None


def test_the_outcome_dict_has_exactly_the_public_keys() -> None:
    data = classify(Cause.STAFF_QUIT, Backup.DECLINED, harm=True).to_dict()
    assert list(data) == [
        "kind",
        "report_required",
        "document_in_member_record",
        "incident_level",
        "escalate",
        "rule",
        "explanation",
    ]
    assert data["kind"] == "failure_to_provide_backup"
    assert data["incident_level"] == "I"
    assert data["escalate"] is True


@given(cause=st.sampled_from(STAFF), backup=st.sampled_from(MISSING_BACKUP))
def test_every_staff_cause_without_backup_is_a_reportable_level_one_failure(
    cause: Cause, backup: Backup
) -> None:
    outcome = classify(cause, backup)
    assert outcome.kind is FAILURE
    assert outcome.report_required
    assert outcome.incident_level == "I"


@given(cause=st.sampled_from(Cause), backup=st.sampled_from(Backup), harm=st.booleans())
def test_late_notice_never_changes_the_kind(cause: Cause, backup: Backup, harm: bool) -> None:
    early = classify(cause, backup, harm=harm)
    late = classify(cause, backup, late_notice=True, harm=harm)
    assert late.kind is early.kind
    assert late.report_required is early.report_required


@given(
    cause=st.sampled_from(Cause),
    backup=st.sampled_from(Backup),
    late=st.booleans(),
    harm=st.booleans(),
)
def test_escalate_is_exactly_harm(cause: Cause, backup: Backup, late: bool, harm: bool) -> None:
    assert classify(cause, backup, late_notice=late, harm=harm).escalate is harm


@given(
    cause=st.sampled_from(NOT_STAFF),
    backup=st.sampled_from(Backup),
    late=st.booleans(),
    harm=st.booleans(),
)
def test_member_causes_and_closures_never_require_a_report(
    cause: Cause, backup: Backup, late: bool, harm: bool
) -> None:
    outcome = classify(cause, backup, late_notice=late, harm=harm)
    assert outcome.kind is BREAK
    assert not outcome.report_required
    assert outcome.document_in_member_record


def test_every_cause_code_has_exactly_one_catalogue_row() -> None:
    rows = causes()
    assert [r.code for r in rows] == list(Cause)
    assert all(r.label and r.help and r.source for r in rows)


def test_member_codes_are_member_driven_and_staff_codes_staff_driven() -> None:
    for row in causes():
        prefix = row.code.value.split("_", 1)[0]
        expected = {"member": "member", "provider": "provider_closure", "staff": "staff"}[prefix]
        assert row.category.value == expected


def test_it_parses_codes_loosely() -> None:
    assert parse_cause(" Staff-Quit ") is Cause.STAFF_QUIT
    assert parse_backup("NOT OFFERED") is Backup.NOT_OFFERED


def test_an_unknown_cause_names_the_field_and_lists_the_valid_codes() -> None:
    with pytest.raises(InputError) as caught:
        parse_cause("aliens")
    assert caught.value.field == "cause"
    assert "member_appointment" in str(caught.value)
    assert "staff_other" in str(caught.value)


def test_an_unknown_backup_names_the_field_and_lists_the_valid_codes() -> None:
    with pytest.raises(InputError) as caught:
        parse_backup("maybe")
    assert caught.value.field == "backup"
    assert "not_offered" in str(caught.value)
