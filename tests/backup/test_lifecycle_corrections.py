"""Corrections after submission (issue 13 §4): ask to withdraw or amend; the MCO decides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from carecover.backup.lifecycle import (
    ReportHistory,
    accept,
    amend,
    decide_correction,
    request_correction,
    return_to_provider,
    submit,
)
from carecover.backup.report import CorrectionKind, ReportStatus
from carecover.errors import InputError, RuleError
from tests.backup.factories import draft

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)
LATER = NOW + timedelta(hours=2)
WHY = "It was a service break: the member was in hospital."
SUBMITTED = submit(
    draft(report_id="BUS-2026-000101", incident_date=date(2026, 11, 20)), now=NOW, today=TODAY
)


@pytest.mark.parametrize("kind", list(CorrectionKind))
def test_a_request_is_a_new_version_that_changes_nothing_else(kind: CorrectionKind) -> None:
    asked = request_correction(SUBMITTED, kind, reason=WHY, now=LATER)
    assert (asked.correction_requested, asked.correction_reason) == (kind, WHY)
    assert (asked.status, asked.version) == (ReportStatus.SUBMITTED, SUBMITTED.version + 1)
    history = ReportHistory(SUBMITTED)
    history.record(asked)  # a legal step of the history


def test_an_approved_withdrawal_withdraws_the_report_and_keeps_it_on_record() -> None:
    asked = request_correction(SUBMITTED, CorrectionKind.WITHDRAW, reason=WHY, now=LATER)
    withdrawn = decide_correction(asked, approve=True, comment="", now=LATER)
    assert withdrawn.status is ReportStatus.WITHDRAWN
    assert withdrawn.correction_requested is None
    assert withdrawn.mco_comment == f"Withdrawal approved: {WHY}"
    history = ReportHistory(SUBMITTED)
    history.record(asked)
    history.record(withdrawn)
    with pytest.raises(RuleError):
        submit(withdrawn, now=LATER, today=TODAY)
    with pytest.raises(RuleError):
        amend(withdrawn, hours_without_staff=1.0)


def test_an_approved_amendment_returns_the_report_keeping_its_first_submission() -> None:
    accepted = accept(SUBMITTED, now=LATER)
    asked = request_correction(
        accepted, CorrectionKind.AMEND, reason="Hours were 4, not 6.", now=LATER
    )
    returned = decide_correction(asked, approve=True, comment="Correct the hours.", now=LATER)
    assert (returned.status, returned.mco_comment) == (ReportStatus.RETURNED, "Correct the hours.")
    resubmitted = submit(
        amend(returned, hours_without_staff=4.0),
        now=LATER + timedelta(days=30),
        today=TODAY + timedelta(days=30),
    )
    assert resubmitted.first_submitted_at == NOW


def test_a_declined_request_keeps_the_report_and_needs_a_reason() -> None:
    asked = request_correction(SUBMITTED, CorrectionKind.WITHDRAW, reason=WHY, now=LATER)
    with pytest.raises(InputError, match="say why the request is declined"):
        decide_correction(asked, approve=False, comment=" ", now=LATER)
    kept = decide_correction(asked, approve=False, comment="Staff illness: reportable.", now=LATER)
    assert (kept.status, kept.correction_requested) == (ReportStatus.SUBMITTED, None)
    assert kept.mco_comment == "Staff illness: reportable."


@pytest.mark.parametrize("reason", ["", "in error", "x" * 2001])
def test_a_request_needs_a_reason_of_10_to_2000_characters(reason: str) -> None:
    with pytest.raises(InputError) as caught:
        request_correction(SUBMITTED, CorrectionKind.WITHDRAW, reason=reason, now=LATER)
    assert caught.value.field == "correction_reason"


def test_only_a_report_the_mco_holds_can_be_asked_about_and_one_request_at_a_time() -> None:
    draft_report = draft(report_id="BUS-2026-000102", incident_date=date(2026, 11, 20))
    returned = return_to_provider(SUBMITTED, comment="Fix it.", now=LATER)
    for report in (draft_report, returned):
        with pytest.raises(RuleError):
            request_correction(report, CorrectionKind.AMEND, reason=WHY, now=LATER)
    asked = request_correction(SUBMITTED, CorrectionKind.WITHDRAW, reason=WHY, now=LATER)
    with pytest.raises(RuleError, match="already has a request"):
        request_correction(asked, CorrectionKind.AMEND, reason=WHY, now=LATER)
    with pytest.raises(RuleError, match="approve or decline that first"):
        accept(asked, now=LATER)
    with pytest.raises(RuleError, match="no request"):
        decide_correction(SUBMITTED, approve=True, comment="", now=LATER)


def test_a_request_cannot_be_dated_before_the_submission() -> None:
    with pytest.raises(RuleError):
        request_correction(
            SUBMITTED, CorrectionKind.WITHDRAW, reason=WHY, now=NOW - timedelta(minutes=1)
        )


def test_the_harm_outcome_is_content_a_draft_carries() -> None:
    harmed = amend(draft(report_id="BUS-2026-000103", incident_date=date(2026, 11, 20)), harm=True)
    assert harmed.harm is True
