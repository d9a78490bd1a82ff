"""Reminders: due soon, overdue, returned, plans; each with a key so it is sent once."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from carecover.backup.compliance import Attestation, ProviderPeriod, period_compliance
from carecover.backup.reminders import (
    Audience,
    PlanFact,
    ReminderKind,
    ReminderRules,
    ReturnedReport,
    due_reminders,
    reminder_rules,
)

RULES = ReminderRules(lead_days=3, source="test")
# Semi-monthly: 1-15 Oct 2026 is due on 20 Oct.
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 15)


def periods(today: date, *, attested: bool = False) -> list[ProviderPeriod]:
    """PRV001's periods of 1-15 Oct 2026 as known on ``today`` (no reports)."""
    attestations = [Attestation("PRV001", FIRST, datetime(2026, 10, 16, 9))] if attested else []
    return period_compliance([], attestations, ["PRV001"], FIRST, LAST, as_of=today)


def kinds(today: date) -> list[ReminderKind]:
    return [r.kind for r in due_reminders(periods(today), [], [], today=today, rules=RULES)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 15), []),  # the period is still under way
        (date(2026, 10, 16), []),  # 4 days before the due date: not yet
        (date(2026, 10, 17), [ReminderKind.PERIOD_DUE_SOON]),  # 3 days before
        (date(2026, 10, 20), [ReminderKind.PERIOD_DUE_SOON]),  # the due date itself
        (
            date(2026, 10, 21),
            [ReminderKind.PERIOD_OVERDUE, ReminderKind.PROVIDERS_LATE_OR_MISSING],
        ),
    ],
)
def test_a_period_with_nothing_filed_is_reminded_three_days_before_and_after_its_due_date(
    today: date, expected: list[ReminderKind]
) -> None:
    assert kinds(today) == expected


def test_an_attested_period_needs_no_reminder() -> None:
    today = date(2026, 10, 18)
    found = due_reminders(periods(today, attested=True), [], [], today=today, rules=RULES)
    assert found == []


def test_the_mco_hears_of_late_or_missing_providers_once_per_period() -> None:
    today = date(2026, 10, 25)
    [mco] = [
        r
        for r in due_reminders(periods(today), [], [], today=today, rules=RULES)
        if r.audience is Audience.MCO
    ]
    assert mco.key == "mco:period:2026-10-01:late-or-missing"
    assert mco.subject.startswith("1 provider(s) late or missing")


def test_a_returned_report_is_reminded_once_per_returned_version() -> None:
    returned = [ReturnedReport("PRV001", "BUS-2026-7", 2)]
    [r] = due_reminders([], [], returned, today=date(2026, 10, 5), rules=RULES)
    assert (r.kind, r.key) == (ReminderKind.REPORT_RETURNED, "report:BUS-2026-7:v2:returned")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), []),
        (date(2026, 11, 2), [ReminderKind.PLAN_DUE_SOON]),
        (date(2026, 11, 5), [ReminderKind.PLAN_DUE_SOON]),
        (date(2026, 11, 6), [ReminderKind.PLAN_OVERDUE, ReminderKind.MCO_PLAN_OVERDUE]),
    ],
)
def test_an_unanswered_plan_is_reminded_before_and_after_its_due_date(
    today: date, expected: list[ReminderKind]
) -> None:
    plan = PlanFact(7, "PRV001", FIRST, date(2026, 11, 5), answered=False, accepted=False)
    assert [r.kind for r in due_reminders([], [plan], [], today=today, rules=RULES)] == expected


def test_an_answered_plan_waits_and_an_accepted_plan_is_announced() -> None:
    answered = PlanFact(7, "PRV001", FIRST, date(2026, 11, 5), answered=True, accepted=False)
    accepted = PlanFact(8, "PRV001", FIRST, date(2026, 11, 5), answered=True, accepted=True)
    found = due_reminders([], [answered, accepted], [], today=date(2026, 11, 9), rules=RULES)
    assert [(r.kind, r.key) for r in found] == [(ReminderKind.PLAN_ACCEPTED, "plan:8:accepted")]


def test_reminders_never_carry_a_member_identity() -> None:
    returned = [ReturnedReport("PRV001", "BUS-2026-7", 2)]
    today = date(2026, 10, 25)
    for r in due_reminders(periods(today), [], returned, today=today, rules=RULES):
        assert "Jones" not in r.subject + r.detail


def test_the_shipped_lead_time_is_three_days_with_its_source() -> None:
    rules = reminder_rules()
    assert rules.lead_days == 3
    assert "issue 17" in rules.source
