"""Corrections after submission (issue 13 §4) and the harm outcome, on the page and the API.

A provider asks to withdraw (filed in error) or amend a filed report with a
reason; the MCO approves or declines; each step is a version and an audit
event. Another organisation can neither ask nor see; only the MCO decides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.backup.report import CorrectionKind
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents import filing
from carecover.portal.incidents.models import Report, ReportVersion
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.compliance.conftest import FileReport, at, file_report, today  # noqa: F401
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
JSON = "application/json"
WHY = "It was a service break: the member was in hospital."


@pytest.fixture
def submitted(personas: dict[str, User], file_report: FileReport) -> Report:  # noqa: F811
    """A report of PRV001 submitted yesterday."""
    day = timezone.localdate() - timedelta(days=1)
    return file_report(personas["submitter"], day, submitted=at(day))


def _ask(channel: str, who: str, report: Report, kind: str, reason: str, **clients: object) -> int:
    if channel == "page":
        page: Login = clients["as_persona"]  # type: ignore[assignment]
        response = page(who).post(
            f"/reports/{report.report_id}/correction/", {"kind": kind, "reason": reason}
        )
        return response.status_code
    api: ApiClient = clients["api_as"]  # type: ignore[assignment]
    response = api(who).post(
        f"/api/reports/{report.report_id}/correction",
        {"kind": kind, "reason": reason},
        content_type=JSON,
    )
    return response.status_code


def _decide(
    channel: str, who: str, report: Report, approve: bool, comment: str, **clients: object
) -> int:
    if channel == "page":
        page: Login = clients["as_persona"]  # type: ignore[assignment]
        decision = "approve" if approve else "decline"
        response = page(who).post(
            f"/reports/{report.report_id}/correction/decision/",
            {"decision": decision, "comment": comment},
        )
        return response.status_code
    api: ApiClient = clients["api_as"]  # type: ignore[assignment]
    response = api(who).post(
        f"/api/reports/{report.report_id}/correction/decision",
        {"approve": approve, "comment": comment},
        content_type=JSON,
    )
    return response.status_code


@pytest.mark.parametrize("channel", ["page", "api"])
def test_an_approved_withdrawal_keeps_the_report_withdrawn_each_step_a_version_and_audited(
    channel: str, as_persona: Login, api_as: ApiClient, submitted: Report
) -> None:
    clients = {"as_persona": as_persona, "api_as": api_as}
    versions = ReportVersion.objects.filter(report=submitted).count()
    assert _ask(channel, "submitter", submitted, "withdraw", WHY, **clients) in (200, 302)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.correction_requested) == ("submitted", "withdraw")
    assert submitted.correction_reason == WHY
    # The MCO sees the request and why on the report.
    detail = as_persona("mco_analyst").get(f"/reports/{submitted.report_id}/").content.decode()
    assert "asks to withdraw this report" in detail
    assert WHY in detail
    assert _decide(channel, "mco_analyst", submitted, True, "", **clients) in (200, 302)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.correction_requested) == ("withdrawn", None)
    assert submitted.filed_incident is None  # no longer filed: a right report can be filed
    assert ReportVersion.objects.filter(report=submitted).count() == versions + 2
    actions = list(
        AuditEvent.objects.filter(object_id=submitted.report_id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["change", "revoke"]


@pytest.mark.parametrize("channel", ["page", "api"])
def test_an_approved_amendment_returns_the_report_for_the_provider_to_correct(
    channel: str, as_persona: Login, api_as: ApiClient, submitted: Report
) -> None:
    clients = {"as_persona": as_persona, "api_as": api_as}
    _ask(channel, "submitter", submitted, "amend", "The hours were 4, not 6.", **clients)
    _decide(channel, "mco_analyst", submitted, True, "Correct the hours.", **clients)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.mco_comment) == ("returned", "Correct the hours.")
    changed = report_form(
        incident_date=submitted.incident_date.isoformat(), hours_without_staff="4"
    )
    edit = as_persona("submitter").post(f"/reports/{submitted.report_id}/edit/", changed)
    assert edit.status_code == 302


@pytest.mark.parametrize("channel", ["page", "api"])
def test_declining_needs_a_comment_and_keeps_the_report_as_it_was(
    channel: str, as_persona: Login, api_as: ApiClient, submitted: Report
) -> None:
    clients = {"as_persona": as_persona, "api_as": api_as}
    _ask(channel, "submitter", submitted, "withdraw", WHY, **clients)
    status = _decide(channel, "mco_analyst", submitted, False, "", **clients)
    assert Report.objects.get(pk=submitted.pk).correction_requested == "withdraw"
    if channel == "api":
        assert status == 422
    _decide(channel, "mco_analyst", submitted, False, "Staff illness is reportable.", **clients)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.correction_requested) == ("submitted", None)
    assert submitted.mco_comment == "Staff illness is reportable."


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_request_without_a_real_reason_changes_nothing(
    channel: str, as_persona: Login, api_as: ApiClient, submitted: Report
) -> None:
    clients = {"as_persona": as_persona, "api_as": api_as}
    version = submitted.version
    status = _ask(channel, "submitter", submitted, "withdraw", "error", **clients)
    submitted.refresh_from_db()
    assert (submitted.correction_requested, submitted.version) == (None, version)
    if channel == "api":
        assert status == 422


@pytest.mark.parametrize("channel", ["page", "api"])
@pytest.mark.parametrize("outsider", ["other_provider", "eor"])
def test_another_organisation_can_neither_ask_about_nor_decide_on_a_report(
    channel: str, outsider: str, as_persona: Login, api_as: ApiClient, submitted: Report
) -> None:
    clients = {"as_persona": as_persona, "api_as": api_as}
    assert _ask(channel, outsider, submitted, "withdraw", WHY, **clients) == 404
    filing.request_correction(
        User.objects.get(username=submitted.created_by.username),
        submitted,
        CorrectionKind.WITHDRAW,
        reason=WHY,
        now=timezone.now(),
    )
    assert _decide(channel, outsider, submitted, True, "", **clients) in (403, 404)
    # The provider itself does not decide on its own request either.
    assert _decide(channel, "submitter", submitted, True, "", **clients) == 403
    submitted.refresh_from_db()
    assert (submitted.status, submitted.correction_requested) == ("submitted", "withdraw")


def test_a_draft_cannot_be_asked_about_it_is_simply_edited_or_deleted(
    as_persona: Login, api_as: ApiClient
) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    draft = Report.objects.get()
    response = api_as("submitter").post(
        f"/api/reports/{draft.report_id}/correction",
        {"kind": "withdraw", "reason": WHY},
        content_type=JSON,
    )
    assert response.status_code == 409
    detail = as_persona("submitter").get(f"/reports/{draft.report_id}/").content.decode()
    assert 'id="correction-request"' not in detail


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_harm_outcome_is_stored_on_the_report_and_shown_to_the_mco(
    channel: str, as_persona: Login, api_as: ApiClient
) -> None:
    if channel == "page":
        response = as_persona("submitter").post("/reports/new/", report_form(harm="on"))
        assert response.status_code == 302
    else:
        response = api_as("submitter").post(
            "/api/reports", report_payload(harm=True), content_type=JSON
        )
        assert response.status_code == 201
        assert response.json()["harm"] is True
    report = Report.objects.get()
    assert report.harm is True
    detail = as_persona("mco_analyst").get(f"/reports/{report.report_id}/").content.decode()
    assert 'id="harm-notice"' in detail
    assert "harmed or put at risk" in detail


def test_the_reportable_check_carries_harm_to_the_new_report(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/new/?backup_status=not_available&harm=1")
    assert page.context["form"]["harm"].value() is True


def test_the_detail_page_shows_labels_and_times_not_codes(
    as_persona: Login, submitted: Report
) -> None:
    detail = as_persona("mco_analyst").get(f"/reports/{submitted.report_id}/").content.decode()
    assert "Reason</dt><dd>short_notice" not in detail
    assert "Reason</dt><dd>Short notice" in detail
    assert "08:00–14:00" in detail
    assert ">Submitted<" in detail  # the status in words
