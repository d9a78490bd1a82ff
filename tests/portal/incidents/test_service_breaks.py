"""The per-member service-break log: what "Is this reportable?" records, per organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.incidents.models import Member, ServiceBreak
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture
def logged(as_persona: Login) -> ServiceBreak:
    """A vacation logged through the reportable check for a PRV001 member."""
    client = as_persona("submitter")
    assert client.post("/reports/new/", report_form()).status_code == 302
    response = client.post(
        "/reports/service-breaks/new/",
        {
            "cause": "member_vacation",
            "member_medicaid_id": "900001234a",
            "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "note": "Beach week",
        },
    )
    entry = ServiceBreak.objects.get()
    assert response["Location"] == f"/reports/members/{entry.member_id}/service-breaks/"
    return entry


@pytest.mark.parametrize("persona", ["submitter", "manager", "mco_analyst", "mco_admin"])
def test_the_member_record_lists_the_logged_break(
    as_persona: Login, logged: ServiceBreak, persona: str
) -> None:
    page = as_persona(persona).get(f"/reports/members/{logged.member_id}/service-breaks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Beach week" in text
    assert "Dixon" in text


@pytest.mark.parametrize(
    ("persona", "status"), [("other_provider", 404), ("eor", 404), ("anonymous", 302)]
)
def test_another_organisation_cannot_open_the_member_record(
    as_persona: Login, logged: ServiceBreak, persona: str, status: int
) -> None:
    response = as_persona(persona).get(f"/reports/members/{logged.member_id}/service-breaks/")
    assert response.status_code == status
    assert b"Beach week" not in response.content
    assert b"Dixon" not in response.content


def test_a_shared_member_shows_each_organisation_only_its_own_breaks(
    as_persona: Login, logged: ServiceBreak
) -> None:
    other = as_persona("other_provider")
    form = report_form(site="", contact_email="quality@prv002.example")
    assert other.post("/reports/new/", form).status_code == 302
    own = Member.objects.exclude(pk=logged.member_id).get(medicaid_id="900001234A")
    page = other.get(f"/reports/members/{own.pk}/service-breaks/")
    assert page.status_code == 200
    assert b"Beach week" not in page.content
    assert other.get(f"/reports/members/{logged.member_id}/service-breaks/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees"), [("submitter", True), ("other_provider", False), ("mco_admin", True)]
)
def test_the_service_break_log_lists_the_organisations_breaks(
    as_persona: Login, logged: ServiceBreak, persona: str, sees: bool
) -> None:
    page = as_persona(persona).get("/reports/service-breaks/")
    assert page.status_code == 200
    assert (b"Beach week" in page.content) is sees


def test_a_member_that_does_not_exist_is_not_found(as_persona: Login) -> None:
    assert as_persona("mco_admin").get("/reports/members/999999/service-breaks/").status_code == 404
