"""Attestations and reports agree: no attesting over a report, and a report withdraws one.

Issue 11 §3: an EOR attested "no incidents" while holding a draft in the
period, then submitted it; the period showed ``attested`` and one report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from carecover.backup.compliance import ProviderPeriodStatus
from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.compliance import services
from carecover.portal.compliance.models import Attestation, AttestationWithdrawal
from carecover.portal.incidents.models import Report
from tests.portal.api_helpers import ApiClient, api_as, tokens
from tests.portal.compliance.conftest import FileReport, at

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _attest(
    channel: str, persona: str, period: ReportingPeriod, login: Login, api: ApiClient
) -> str:
    """Attest through the page or the API; the message or detail shown."""
    start = period.start.isoformat()
    if channel == "form":
        page = login(persona).post(
            "/compliance/periods/attest/", {"period_start": start}, follow=True
        )
        return page.content.decode()
    response = api(persona).post(f"/api/periods/{start}/attest")
    assert response.status_code in (201, 409), response.content
    return str(response.json().get("detail", "attested"))


@pytest.mark.parametrize("channel", ["form", "api"])
def test_attesting_a_period_with_a_submitted_report_is_refused(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
    channel: str,
) -> None:
    file_report(personas["eor"], past_period.start, submitted=at(past_period.end))
    shown = _attest(channel, "eor", past_period, as_persona, api_as)
    assert "there is nothing to attest" in shown
    assert not Attestation.objects.exists()


@pytest.mark.parametrize("channel", ["form", "api"])
def test_attesting_a_period_holding_a_draft_asks_to_submit_or_delete_it_first(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
    channel: str,
) -> None:
    draft = file_report(personas["eor"], past_period.start)
    shown = _attest(channel, "eor", past_period, as_persona, api_as)
    assert f"({draft.report_id}): submit or delete them" in shown
    assert not Attestation.objects.exists()


def test_another_organisations_draft_does_not_stop_an_attestation(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
) -> None:
    file_report(personas["submitter"], past_period.start)
    _attest("api", "eor", past_period, as_persona, api_as)
    assert Attestation.objects.get().organisation == personas["eor"].organisation


def _period_status(user: User, period: ReportingPeriod, today: date) -> ProviderPeriodStatus:
    assert user.organisation is not None
    rows = services.periods_for(user.organisation, as_of=today)
    return next(row.status for row in rows if row.period == period)


@pytest.fixture
def attested_draft(
    personas: dict[str, User], file_report: FileReport, past_period: ReportingPeriod
) -> Report:
    """The EOR's draft in a period it attested (the attestation came first, as of old)."""
    eor = personas["eor"]
    assert eor.organisation is not None
    services.attest_no_incidents(eor, eor.organisation, past_period)
    return file_report(eor, past_period.end)


@pytest.mark.parametrize("channel", ["form", "api"])
def test_submitting_into_an_attested_period_withdraws_the_attestation_with_a_note_to_the_mco(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    attested_draft: Report,
    past_period: ReportingPeriod,
    channel: str,
) -> None:
    bus = attested_draft.report_id
    if channel == "form":
        assert as_persona("eor").post(f"/reports/{bus}/submit/").status_code == 302
    else:
        assert api_as("eor").post(f"/api/reports/{bus}/submit").status_code == 200
    attested_draft.refresh_from_db()
    assert attested_draft.status == "submitted"
    assert not Attestation.objects.exists()
    note = AttestationWithdrawal.objects.get()
    assert (note.report_id, note.period_start) == (bus, past_period.start)
    assert note.withdrawn_by == personas["eor"]
    audit = AuditEvent.objects.get(object_type="attestation", action="revoke")
    assert audit.after == {"withdrawn_by_report": bus, "note": note.pk}
    status = _period_status(personas["eor"], past_period, timezone.localdate())
    assert status is not ProviderPeriodStatus.ATTESTED_NONE
    workspace = as_persona("mco_analyst").get("/compliance/").content.decode()
    assert bus in workspace.split('id="withdrawn-attestations"')[1]


@pytest.mark.parametrize("channel", ["form", "api"])
def test_another_organisations_submission_leaves_an_attestation_alone(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
    channel: str,
) -> None:
    eor = personas["eor"]
    assert eor.organisation is not None
    services.attest_no_incidents(eor, eor.organisation, past_period)
    theirs = file_report(personas["submitter"], past_period.start)
    if channel == "form":
        page = as_persona("submitter").post(f"/reports/{theirs.report_id}/submit/", follow=True)
        answer = page.content.decode()
    else:
        response = api_as("submitter").post(f"/api/reports/{theirs.report_id}/submit")
        assert response.status_code == 200
        answer = response.content.decode()
    assert "attestation" not in answer.lower()
    assert Attestation.objects.get().organisation == eor.organisation
    assert not AttestationWithdrawal.objects.exists()


def test_once_the_draft_is_deleted_the_period_can_be_attested(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
) -> None:
    draft = file_report(personas["eor"], past_period.start)
    assert api_as("eor").delete(f"/api/reports/{draft.report_id}").status_code == 204
    assert _attest("api", "eor", past_period, as_persona, api_as) == "attested"
    assert Attestation.objects.get().organisation == personas["eor"].organisation


def test_the_filer_is_told_that_their_submission_withdrew_the_attestation(
    as_persona: Login, attested_draft: Report
) -> None:
    page = as_persona("eor").post(f"/reports/{attested_draft.report_id}/submit/", follow=True)
    assert "attestation of no incidents for this period was withdrawn" in page.content.decode()
