from __future__ import annotations

from datetime import date, datetime

import pytest

from carecover.backup.compliance import ProviderPeriod, period_compliance
from carecover.backup.correction import (
    Correction,
    PlanOfCorrection,
    issue_plan,
    load_compliance_rules,
    plans_needed,
    validate_plan_response,
)
from carecover.errors import ConfigError, RuleError, ValidationError
from tests.backup.factories import report

OCT_1 = date(2026, 10, 1)


def rows() -> list[ProviderPeriod]:
    return period_compliance(
        [
            report(provider_id="ONTIME", submitted_at=datetime(2026, 10, 16, 9, 0)),
            report(provider_id="LATE", submitted_at=datetime(2026, 10, 27, 9, 0)),
        ],
        [],
        ["ONTIME", "LATE", "SILENT"],
        OCT_1,
        OCT_1,
        as_of=date(2026, 11, 2),
    )


def missing_plan() -> PlanOfCorrection:
    silent = next(r for r in rows() if r.provider_id == "SILENT")
    return issue_plan(silent, issued_on=date(2026, 11, 2))


def test_the_shipped_rules_hold_the_partners_durations_and_source() -> None:
    rules = load_compliance_rules()
    assert (rules.grace_days, rules.response_due_days, rules.corrections_due_days) == (5, 15, 60)
    assert "9 Jan 2023" in rules.source
    assert rules.effective == date(2023, 2, 1)
    assert rules.scheme().period_for(OCT_1).due == date(2026, 10, 20)


def test_it_refuses_a_malformed_rules_file() -> None:
    with pytest.raises(ConfigError, match="malformed"):
        load_compliance_rules("[reporting]\ngrace_days = 5\n")


def test_it_asks_plans_only_from_late_and_missing_providers() -> None:
    assert sorted(r.provider_id for r in plans_needed(rows())) == ["LATE", "SILENT"]


def test_a_plan_is_due_15_days_after_issue_with_corrections_within_60() -> None:
    plan = missing_plan()
    assert plan.due_on == date(2026, 11, 17)
    assert plan.corrections_due_on == date(2027, 1, 1)
    assert "No Failure to Provide Backup Staffing report" in plan.area_out_of_compliance
    assert "2026-10-01..2026-10-15" in plan.area_out_of_compliance


def test_a_plan_for_a_late_period_says_how_late() -> None:
    late = next(r for r in rows() if r.provider_id == "LATE")
    plan = issue_plan(late, issued_on=date(2026, 11, 2))
    assert "filed late (7 days after 2026-10-20)" in plan.area_out_of_compliance


def test_it_refuses_a_plan_for_a_compliant_provider() -> None:
    ontime = next(r for r in rows() if r.provider_id == "ONTIME")
    with pytest.raises(RuleError, match="no Plan of Correction is needed"):
        issue_plan(ontime, issued_on=date(2026, 11, 2))


def test_a_response_with_all_four_parts_completes_the_plan() -> None:
    correction = Correction("Weekly report check by QA", date(2026, 12, 1), "Pat Lee, QA lead")
    plan = validate_plan_response(
        missing_plan(),
        area_out_of_compliance="Reporting for 1-15 Oct 2026",
        corrections=[correction],
        received_on=date(2026, 11, 10),
    )
    assert plan.corrections == (correction,)
    assert plan.area_out_of_compliance == "Reporting for 1-15 Oct 2026"


def test_a_response_missing_parts_names_every_missing_part() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_plan_response(
            missing_plan(),
            area_out_of_compliance=" ",
            corrections=[Correction("", None, ""), Correction("Train", date(2027, 2, 1), "Jo")],
        )
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "area_out_of_compliance",
        "corrections[1].how",
        "corrections[1].by_when",
        "corrections[1].responsible",
        "corrections[2].by_when",
    ]
    assert "after the corrections target 2027-01-01" in str(caught.value)


def test_a_response_needs_at_least_one_correction() -> None:
    with pytest.raises(ValidationError, match="at least one correction"):
        validate_plan_response(missing_plan(), area_out_of_compliance="x", corrections=[])
