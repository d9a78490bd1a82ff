"""Forms that never trap a filer (issue 13 §1): on the page and through the API alike.

The hidden branch of the report type is cleared on save, plausibility rules
are the domain's (so both paths refuse the same), every error is beside its
field and in a summary at the top, and Employer-of-Record reasons are
offered to Employers of Record only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.incidents.models import Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
JSON = "application/json"
DECLINED_THEN_SWITCHED = {
    "backup_status": "not_available",
    "reason": "short_notice",
    "declined_by": "legally_responsible_person",
    "declined_reason": "Mother said the family would cover.",
}
NOT_AVAILABLE_THEN_SWITCHED = {
    "backup_status": "offered_declined",
    "reason": "other",
    "reason_other": "x",
    "declined_by": "member",
    "declined_reason": "The member preferred to wait for his usual worker.",
}


def _filed(channel: str, as_persona: Login, api_as: ApiClient, fields: dict[str, str]) -> Report:
    if channel == "page":
        response = as_persona("submitter").post("/reports/new/", report_form(**fields))
        assert response.status_code == 302, response.context["form"].errors
    else:
        response = api_as("submitter").post(
            "/api/reports", report_payload(**fields), content_type=JSON
        )
        assert response.status_code == 201, response.content
    return Report.objects.get()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_declined_branch_is_cleared_when_the_filer_switches_to_not_available(
    channel: str, as_persona: Login, api_as: ApiClient
) -> None:
    report = _filed(channel, as_persona, api_as, DECLINED_THEN_SWITCHED)
    assert (report.backup_status, report.reason) == ("not_available", "short_notice")
    assert (report.declined_by, report.declined_reason) == (None, None)


def test_a_hidden_fields_own_error_does_not_block_the_save_of_the_page(
    as_persona: Login, api_as: ApiClient
) -> None:
    over_long = {**DECLINED_THEN_SWITCHED, "declined_reason": "x" * 2001}
    report = _filed("page", as_persona, api_as, over_long)
    assert report.declined_reason is None


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_reason_branch_is_cleared_when_the_filer_switches_to_offered_declined(
    channel: str, as_persona: Login, api_as: ApiClient
) -> None:
    report = _filed(channel, as_persona, api_as, NOT_AVAILABLE_THEN_SWITCHED)
    assert (report.reason, report.reason_other) == (None, None)
    assert report.declined_by == "member"


def _page_errors(as_persona: Login, who: str = "submitter", **fields: str) -> dict[str, list[str]]:
    response = as_persona(who).post("/reports/new/", report_form(**fields))
    assert response.status_code == 200
    return dict(response.context["form"].errors)


def _api_errors(api_as: ApiClient, who: str = "submitter", **fields: object) -> list[str]:
    response = api_as(who).post("/api/reports", report_payload(**fields), content_type=JSON)
    assert response.status_code == 422, response.content
    return [str(error.get("field", error.get("loc"))) for error in response.json()["errors"]]


def test_an_ssn_that_cannot_exist_is_refused_on_its_field_on_the_page_and_the_api(
    as_persona: Login, api_as: ApiClient
) -> None:
    for never_issued in ("000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"):
        errors = _page_errors(as_persona, member_ssn=never_issued)
        assert "can exist" in errors["member_ssn"][0]
        member = {**report_payload()["member"], "ssn": never_issued}
        assert _api_errors(api_as, member=member) == ["member.ssn"]
    assert not Report.objects.exists()


def test_a_birth_date_before_1900_is_refused_on_the_page_and_the_api(
    as_persona: Login, api_as: ApiClient
) -> None:
    errors = _page_errors(as_persona, member_date_of_birth="1899-12-31")
    assert "cannot be before 1900-01-01" in errors["member_date_of_birth"][0]
    member = {**report_payload()["member"], "date_of_birth": "1899-12-31"}
    assert _api_errors(api_as, member=member) == ["member.date_of_birth"]


def test_an_other_explanation_over_2000_characters_is_refused_on_the_page_and_the_api(
    as_persona: Login, api_as: ApiClient
) -> None:
    errors = _page_errors(as_persona, reason="other", reason_other="x" * 2001)
    assert "2000" in errors["reason_other"][0]
    assert "reason_other" in _api_errors(api_as, reason="other", reason_other="x" * 2001)[0]
    page = as_persona("submitter").get("/reports/new/").content.decode()
    assert re.search(r'<textarea name="reason_other"[^>]*maxlength="2000"', page)
    assert re.search(r'<textarea name="declined_reason"[^>]*maxlength="2000"', page)


def test_employer_of_record_reasons_are_offered_to_employers_of_record_only(
    as_persona: Login,
) -> None:
    agency = as_persona("submitter").get("/reports/new/").content.decode()
    eor = as_persona("eor").get("/reports/new/").content.decode()
    assert 'value="eor_no_backup_employee"' not in agency
    assert 'value="eor_no_backup_employee"' in eor


def test_an_agency_posting_an_employer_of_record_reason_is_refused_on_the_page_and_the_api(
    as_persona: Login, api_as: ApiClient
) -> None:
    errors = _page_errors(as_persona, reason="eor_no_backup_employee")
    assert "reason" in errors
    assert _api_errors(api_as, reason="eor_no_backup_employee") == ["reason"]
    assert not Report.objects.exists()


def test_dates_and_times_are_pickers(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/new/").content.decode()
    for name in ("member_date_of_birth", "incident_date", "learned_on", "last_date"):
        assert re.search(rf'<input type="date" name="{name}"', page), name
    for name in ("scheduled_start", "scheduled_end"):
        assert re.search(rf'<input type="time" name="{name}"', page), name


def test_every_error_is_in_a_summary_at_the_top_linking_to_its_field(as_persona: Login) -> None:
    response = as_persona("submitter").post(
        "/reports/new/",
        report_form(member_medicaid_id="12", reason="other", contact_email="nobody"),
    )
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') : page.index("<fieldset")]
    for field in ("member_medicaid_id", "reason_other", "contact_email"):
        assert f'href="#id_{field}"' in summary, field
    # ... and beside the field, which is visible (the not-available branch is shown).
    assert page.count('class="errors" role="alert"') >= 3


def test_the_report_type_help_speaks_words_not_codes(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/new/").content.decode()
    assert "&#x27;not_available&#x27;" not in page
    assert "'not_available'" not in page
    assert "legally_responsible_person&#x27;" not in page


def test_a_drafts_page_lists_what_is_still_missing_before_it_can_be_submitted(
    as_persona: Login,
) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    report = Report.objects.get()
    ready = as_persona("submitter").get(f"/reports/{report.report_id}/").content.decode()
    assert 'id="still-missing"' not in ready
    # A draft that lost a field (e.g. filed from a visit file, or a reason now needing why).
    Report.objects.filter(pk=report.pk).update(reason="other", reason_other=None)
    page = as_persona("submitter").get(f"/reports/{report.report_id}/").content.decode()
    assert 'id="still-missing"' in page
    assert "Other: explanation: explain the reason in at least 10 characters" in page
    # The MCO does not file: it is not told what the provider must still complete.
    mco = as_persona("mco_analyst").get(f"/reports/{report.report_id}/").content.decode()
    assert 'id="still-missing"' not in mco


def test_the_api_lists_what_a_draft_still_misses_and_nothing_once_submitted(
    as_persona: Login, api_as: ApiClient
) -> None:
    created = api_as("submitter").post("/api/reports", report_payload(), content_type=JSON)
    report_id = created.json()["report_id"]
    assert created.json()["still_missing"] == []
    Report.objects.filter(report_id=report_id).update(reason="other", reason_other=None)
    draft = api_as("submitter").get(f"/api/reports/{report_id}").json()
    assert [m["field"] for m in draft["still_missing"]] == ["reason_other"]
    Report.objects.filter(report_id=report_id).update(reason="short_notice")
    submitted = api_as("submitter").post(f"/api/reports/{report_id}/submit").json()
    assert (submitted["status"], submitted["still_missing"]) == ("submitted", [])
