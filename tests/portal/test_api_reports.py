"""The report endpoints of ``/api``: filing through a token follows the page's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Member, Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _create(api_as: ApiClient, persona: str = "submitter", **changes: object) -> dict[str, object]:
    response = api_as(persona).post("/api/reports", report_payload(**changes), content_type=JSON)
    assert response.status_code == 201, response.content
    body: dict[str, object] = response.json()
    return body


def test_it_creates_a_draft_under_a_new_bus_id(api_as: ApiClient) -> None:
    body = _create(api_as)
    assert str(body["report_id"]).startswith("BUS-")
    assert (body["status"], body["version"], body["provider_id"]) == ("draft", 1, "PRV001")
    # Contact prefilled from the organisation, as on the page.
    assert body["contact"] == {
        "name": "Jordan Reyes",
        "phone": "919-555-0142",
        "email": "quality@prv001.example",
    }
    assert Report.objects.get().report_id == body["report_id"]


def test_it_records_api_actions_in_the_audit_trail_with_the_token(
    api_as: ApiClient, tokens: dict[str, str]
) -> None:
    body = _create(api_as)
    created = AuditEvent.objects.get(action="create", object_type="report")
    assert created.object_id == body["report_id"]
    assert created.via == f"api-token {tokens['submitter'][:10]}"
    assert created.after is not None
    assert created.after["hours_without_staff"] == 6.0


def test_it_puts_each_of_the_domains_problems_on_its_field(api_as: ApiClient) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_as("submitter").post(
        "/api/reports",
        report_payload(incident_date=tomorrow, reason="other", reason_other=""),
        content_type=JSON,
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["incident_date"].startswith("cannot be after today")
    assert "reason_other" in errors
    assert not Report.objects.exists()


def test_a_malformed_value_is_named_but_never_echoed(api_as: ApiClient) -> None:
    member = {**report_payload()["member"], "date_of_birth": "123-45-6789"}
    response = api_as("submitter").post(
        "/api/reports", report_payload(member=member), content_type=JSON
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["member.date_of_birth"]
    assert "123-45-6789" not in response.content.decode()


def test_it_files_for_a_member_named_by_opaque_id(api_as: ApiClient) -> None:
    first = _create(api_as)
    member_id = first["member_id"]
    # Another service the same day: the same one would be a duplicate.
    payload = report_payload(member=None, member_id=member_id, service_code="H2015")
    response = api_as("manager").post("/api/reports", payload, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["member"]["last_name"] == "Dixon"
    assert Member.objects.count() == 1


def test_another_organisations_member_cannot_be_named_by_id(api_as: ApiClient) -> None:
    member_id = _create(api_as)["member_id"]
    payload = report_payload(member=None, member_id=member_id, site_id=None)
    response = api_as("other_provider").post("/api/reports", payload, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "member_id", "message": "none of your members has this id"}
    ]
    assert "Dixon" not in response.content.decode()


def test_updating_a_draft_keeps_the_old_version(api_as: ApiClient) -> None:
    report_id = _create(api_as)["report_id"]
    response = api_as("submitter").put(
        f"/api/reports/{report_id}", report_payload(hours_without_staff=4.5), content_type=JSON
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["hours_without_staff"]) == (2, 4.5)
    assert Report.objects.get().versions.count() == 2
    change = AuditEvent.objects.get(action="change")
    assert change.before is not None
    assert change.before["hours_without_staff"] == 6.0


def test_a_submitted_report_cannot_be_changed(api_as: ApiClient) -> None:
    report_id = _create(api_as)["report_id"]
    submitted = api_as("submitter").post(f"/api/reports/{report_id}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    response = api_as("submitter").put(
        f"/api/reports/{report_id}", report_payload(), content_type=JSON
    )
    assert response.status_code == 409
    assert response.json()["detail"] == f"cannot change {report_id}: it is submitted"
    assert "Traceback" not in response.content.decode()


def test_submitting_twice_is_refused_as_a_conflict(api_as: ApiClient) -> None:
    report_id = _create(api_as)["report_id"]
    api_as("submitter").post(f"/api/reports/{report_id}/submit")
    assert api_as("submitter").post(f"/api/reports/{report_id}/submit").status_code == 409


def test_the_list_is_paginated_and_filtered(api_as: ApiClient) -> None:
    today = timezone.localdate()
    ids = [
        _create(api_as, incident_date=(today - timedelta(days=n)).isoformat())["report_id"]
        for n in (1, 2, 3)
    ]
    api_as("submitter").post(f"/api/reports/{ids[0]}/submit")
    page = api_as("submitter").get("/api/reports", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["pages"], page["page"]) == (3, 2, 2)
    assert [item["report_id"] for item in page["items"]] == [ids[2]]
    drafts = api_as("submitter").get("/api/reports", {"status": "draft"}).json()
    assert sorted(item["report_id"] for item in drafts["items"]) == sorted(ids[1:])
    since = (today - timedelta(days=2)).isoformat()
    recent = api_as("submitter").get("/api/reports", {"incident_from": since}).json()
    assert recent["count"] == 2


def test_the_list_names_members_by_id_only_and_is_not_an_identity_view(
    api_as: ApiClient,
) -> None:
    _create(api_as)
    views_before = AuditEvent.objects.filter(action="view_identity").count()
    response = api_as("mco_analyst").get("/api/reports")
    assert "Dixon" not in response.content.decode()
    assert "900001234A" not in response.content.decode()
    assert AuditEvent.objects.filter(action="view_identity").count() == views_before


def test_reading_a_report_is_audited_as_a_view_of_identity(api_as: ApiClient) -> None:
    report_id = _create(api_as)["report_id"]
    response = api_as("mco_analyst").get(f"/api/reports/{report_id}")
    assert response.json()["member"]["last_name"] == "Dixon"
    seen = AuditEvent.objects.filter(action="view_identity", actor_username="ana").get()
    assert seen.object_type == "member"
    assert seen.via is not None
    assert seen.via.startswith("api-token ")


def test_a_full_ssn_is_never_stored_or_returned(api_as: ApiClient) -> None:
    member = {**report_payload()["member"], "ssn": "123-45-6789"}
    body = _create(api_as, member=member)
    assert body["member"]["ssn_last4"] == "6789"  # type: ignore[index]
    stored = Member.objects.get()
    assert stored.ssn_hash
    assert "123456789" not in stored.ssn_hash
    events = list(AuditEvent.objects.values_list("before", "after"))
    assert "123-45-6789" not in str(events)
    assert "123456789" not in str(events)


def test_ids_too_large_for_the_database_are_refused_instead_of_crashing(
    api_as: ApiClient, as_persona: ApiClient
) -> None:
    huge = str(2**64)
    listing = api_as("mco_analyst").get("/api/reports", {"member_id": huge})
    assert listing.status_code == 422
    revoke = api_as("submitter").post(f"/api/tokens/{2**63}/revoke")
    assert revoke.status_code == 404
    page = as_persona("mco_analyst").get(f"/reports/members/{huge}/service-breaks/")
    assert page.status_code == 404
