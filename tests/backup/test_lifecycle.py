from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from carecover.backup.lifecycle import (
    ReportHistory,
    accept,
    amend,
    return_to_provider,
    submit,
)
from carecover.backup.report import (
    BackupReport,
    ReportStatus,
)
from carecover.errors import InputError, RuleError, ValidationError
from tests.backup.factories import draft

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)
DRAFT = draft(
    report_id="BUS-2026-000101",
    incident_date=date(2026, 11, 20),
)


def test_it_submits_a_valid_draft_as_a_new_version() -> None:
    submitted = submit(DRAFT, now=NOW, today=TODAY)
    assert submitted.status is ReportStatus.SUBMITTED
    assert submitted.submitted_at == NOW
    assert submitted.version == 2
    assert DRAFT.status is ReportStatus.DRAFT  # the draft itself is untouched


def test_it_refuses_to_submit_an_invalid_draft_naming_every_field() -> None:
    with pytest.raises(ValidationError) as caught:
        submit(replace(DRAFT, reason=None, hours_without_staff=0), now=NOW, today=TODAY)
    assert {p.field for p in caught.value.problems} == {"reason", "hours_without_staff"}


def test_it_refuses_to_submit_a_report_before_the_incident_date() -> None:
    with pytest.raises(ValidationError, match="submitted_at: cannot be before the incident"):
        submit(DRAFT, now=datetime(2026, 11, 19, 23, 0), today=TODAY)


def test_it_accepts_a_submitted_report() -> None:
    accepted = accept(submit(DRAFT, now=NOW, today=TODAY), now=NOW + timedelta(days=1))
    assert accepted.status is ReportStatus.ACCEPTED
    assert accepted.version == 3


def test_it_returns_a_submitted_report_with_the_mco_comment() -> None:
    returned = return_to_provider(
        submit(DRAFT, now=NOW, today=TODAY), comment=" Give the hours missed ", now=NOW
    )
    assert returned.status is ReportStatus.RETURNED
    assert returned.mco_comment == "Give the hours missed"


def test_it_requires_a_comment_to_return_a_report() -> None:
    with pytest.raises(InputError) as caught:
        return_to_provider(submit(DRAFT, now=NOW, today=TODAY), comment="  ", now=NOW)
    assert caught.value.field == "mco_comment"


def test_it_lets_a_returned_report_be_corrected_and_resubmitted() -> None:
    returned = return_to_provider(
        submit(DRAFT, now=NOW, today=TODAY), comment="Give the hours missed", now=NOW
    )
    corrected = amend(returned, hours_without_staff=3.5)
    again = submit(corrected, now=NOW + timedelta(hours=2), today=TODAY)
    assert corrected.version == 4
    assert corrected.status is ReportStatus.RETURNED
    assert again.status is ReportStatus.SUBMITTED
    assert again.hours_without_staff == 3.5
    assert again.version == 5


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
def test_it_never_edits_a_submitted_or_accepted_report(status: ReportStatus) -> None:
    locked = replace(DRAFT, status=status, submitted_at=NOW)
    with pytest.raises(RuleError, match=f"it is {status}"):
        amend(locked, hours_without_staff=2)


@pytest.mark.parametrize("field", ["status", "version", "report_id", "submitted_at", "mco_comment"])
def test_it_leaves_life_cycle_fields_to_the_life_cycle(field: str) -> None:
    with pytest.raises(RuleError, match=field):
        amend(DRAFT, **{field: None})


def test_it_names_an_unknown_field_in_an_amendment() -> None:
    with pytest.raises(InputError) as caught:
        amend(DRAFT, hours=3)
    assert caught.value.field == "hours"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ReportStatus.SUBMITTED, lambda r: submit(r, now=NOW, today=TODAY)),
        (ReportStatus.ACCEPTED, lambda r: submit(r, now=NOW, today=TODAY)),
        (ReportStatus.DRAFT, lambda r: accept(r, now=NOW)),
        (ReportStatus.RETURNED, lambda r: accept(r, now=NOW)),
        (ReportStatus.ACCEPTED, lambda r: accept(r, now=NOW)),
        (ReportStatus.DRAFT, lambda r: return_to_provider(r, comment="Fix it", now=NOW)),
        (ReportStatus.ACCEPTED, lambda r: return_to_provider(r, comment="Fix it", now=NOW)),
    ],
)
def test_it_refuses_an_illegal_transition_with_a_clear_message(status, action) -> None:  # type: ignore[no-untyped-def]
    report = replace(DRAFT, status=status, submitted_at=NOW, mco_comment="x")
    with pytest.raises(RuleError, match=f"BUS-2026-000101: it is {status}"):
        action(report)


def test_it_refuses_a_decision_dated_before_the_submission() -> None:
    with pytest.raises(RuleError, match="submitted at"):
        accept(submit(DRAFT, now=NOW, today=TODAY), now=NOW - timedelta(minutes=1))


def test_it_keeps_every_version_in_the_history() -> None:
    history = ReportHistory(DRAFT)
    history.record(amend(history.current, hours_without_staff=6))
    history.record(submit(history.current, now=NOW, today=TODAY))
    history.record(accept(history.current, now=NOW))
    assert [v.version for v in history.versions] == [1, 2, 3, 4]
    assert history.versions[0].hours_without_staff == 8
    assert history.current.status is ReportStatus.ACCEPTED


def test_it_refuses_a_history_entry_that_edits_a_submitted_report_in_place() -> None:
    history = ReportHistory(DRAFT)
    history.record(submit(DRAFT, now=NOW, today=TODAY))
    edited = replace(
        history.current, hours_without_staff=1, version=3, status=ReportStatus.RETURNED
    )
    with pytest.raises(RuleError, match="cannot be edited"):
        history.record(edited)


def test_it_refuses_a_history_entry_for_another_report_or_out_of_order() -> None:
    history = ReportHistory(DRAFT)
    with pytest.raises(RuleError, match="history of"):
        history.record(replace(DRAFT, report_id="BUS-2026-000999", version=2))
    with pytest.raises(RuleError, match="next version is 2"):
        history.record(replace(DRAFT, version=3))
    with pytest.raises(RuleError, match="from draft to accepted"):
        history.record(replace(DRAFT, version=2, status=ReportStatus.ACCEPTED))


class LifeCycle(RuleBasedStateMachine):
    """Any sequence of provider and MCO actions keeps a gapless, append-only history."""

    def __init__(self) -> None:
        super().__init__()
        self.history = ReportHistory(DRAFT)
        self.clock = NOW
        self.seen: list[BackupReport] = [DRAFT]

    def _step(self, step: Callable[[], BackupReport], *, legal: bool) -> None:
        if not legal:
            with pytest.raises(RuleError):
                step()
            return
        new = step()
        self.history.record(new)
        self.seen.append(new)

    @property
    def status(self) -> ReportStatus:
        return self.history.current.status

    @rule(hours=st.sampled_from([1.0, 2.5, 8.0]))
    def edit(self, hours: float) -> None:
        current = self.history.current
        self._step(
            lambda: amend(current, hours_without_staff=hours),
            legal=self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
        )

    @rule()
    def send(self) -> None:
        self.clock += timedelta(minutes=5)
        current = self.history.current
        self._step(
            lambda: submit(current, now=self.clock, today=TODAY),
            legal=self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
        )

    @rule()
    def approve(self) -> None:
        self.clock += timedelta(minutes=5)
        current = self.history.current
        self._step(
            lambda: accept(current, now=self.clock), legal=self.status is ReportStatus.SUBMITTED
        )

    @rule()
    def send_back(self) -> None:
        self.clock += timedelta(minutes=5)
        current = self.history.current
        self._step(
            lambda: return_to_provider(current, comment="Please correct", now=self.clock),
            legal=self.status is ReportStatus.SUBMITTED,
        )

    @invariant()
    def versions_are_gapless_and_never_rewritten(self) -> None:
        versions = self.history.versions
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        assert list(versions) == self.seen

    @invariant()
    def an_accepted_report_is_final(self) -> None:
        statuses = [v.status for v in self.history.versions]
        if ReportStatus.ACCEPTED in statuses:
            assert statuses.index(ReportStatus.ACCEPTED) == len(statuses) - 1


TestLifeCycle = LifeCycle.TestCase
TestLifeCycle.settings = settings(max_examples=50, stateful_step_count=20, deadline=None)
