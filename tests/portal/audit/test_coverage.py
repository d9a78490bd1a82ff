"""What the audit trail records: every create, change, submit, review, export and
view of a member's identifying data, from the pages and from the API alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
JSON = "application/json"


def _actions(object_type: str) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(object_type=object_type).order_by("id")
    return [(e.actor_username, e.action) for e in events]


def test_a_report_filed_on_the_pages_leaves_its_whole_life_in_the_trail(
    as_persona: Login,
) -> None:
    provider, mco = as_persona("submitter"), as_persona("mco_analyst")
    provider.post("/reports/new/", report_form())
    report_id = Report.objects.get().report_id
    provider.post(f"/reports/{report_id}/edit/", report_form(hours_without_staff="5"))
    provider.post(f"/reports/{report_id}/submit/")
    mco.get(f"/reports/{report_id}/")
    mco.post(f"/reports/{report_id}/review/", {"decision": "return", "comment": "Add the times"})
    provider.post(f"/reports/{report_id}/submit/")
    mco.post(f"/reports/{report_id}/review/", {"decision": "accept"})
    assert _actions("report") == [
        ("sam", "create"),
        ("sam", "change"),
        ("sam", "submit"),
        ("ana", "return"),
        ("sam", "submit"),
        ("ana", "accept"),
    ]
    change = AuditEvent.objects.get(action="change")
    assert change.before is not None
    assert change.after is not None
    assert (change.before["hours_without_staff"], change.after["hours_without_staff"]) == (6, 5)
    returned = AuditEvent.objects.get(action="return")
    assert returned.after is not None
    assert returned.after["mco_comment"] == "Add the times"
    assert ("ana", "view_identity") in _actions("member")
    assert {e.via for e in AuditEvent.objects.all()} == {"web"}


def test_a_report_filed_through_the_api_is_recorded_the_same_way(
    api_as: ApiClient, tokens: dict[str, str]
) -> None:
    vendor = api_as("submitter")
    report_id = vendor.post("/api/reports", report_payload(), content_type=JSON).json()["report_id"]
    vendor.put(
        f"/api/reports/{report_id}", report_payload(hours_without_staff=5), content_type=JSON
    )
    vendor.post(f"/api/reports/{report_id}/submit")
    api_as("mco_admin").get(f"/api/reports/{report_id}")
    assert _actions("report") == [("sam", "create"), ("sam", "change"), ("sam", "submit")]
    assert ("adam", "view_identity") in _actions("member")
    via = {e.via for e in AuditEvent.objects.filter(actor_username="sam", object_type="report")}
    assert via == {f"api-token {tokens['submitter'][:10]}"}


def test_session_calls_to_the_api_are_marked_as_such(personas: dict[str, User]) -> None:
    client = Client()
    client.force_login(personas["submitter"])
    client.post("/api/reports", report_payload(), content_type=JSON)
    assert AuditEvent.objects.get(action="create", object_type="report").via == "api-session"


def test_a_member_search_is_a_recorded_view_of_identity(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    before = AuditEvent.objects.filter(action="view_identity").count()
    as_persona("manager").post("/reports/members/", {"member_last_name": "Dix"})
    views = AuditEvent.objects.filter(action="view_identity").order_by("id")
    assert views.count() == before + 1
    assert views.last() is not None
    assert views.last().actor_username == "mia"  # type: ignore[union-attr]


def test_an_attestation_through_the_api_is_recorded(api_as: ApiClient) -> None:
    api_as("eor").post("/api/periods/2026-01-05/attest")
    assert _actions("attestation") == [("eve", "create")]


def test_accounts_are_recorded_without_their_password(as_persona: Login, orgs: object) -> None:
    as_persona("mco_admin").post(
        "/accounts/",
        {
            "username": "newbie",
            "organisation": User.objects.get(username="sam").organisation_id,
            "role": "submitter",
            "password": "an unusual long passphrase 42",
        },
    )
    event = AuditEvent.objects.get(object_type="user")
    assert event.action == "create"
    assert "passphrase" not in str(event.after)
