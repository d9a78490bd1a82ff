"""Typeahead on the report form: service codes and member search."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Member
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def test_it_offers_service_codes_starting_with_what_was_typed(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/services/", {"service_code": "t2013"})
    assert page.status_code == 200
    assert '<option value="T2013TF">' in page.content.decode()


def test_it_offers_nothing_for_an_empty_service_search(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/services/", {"service_code": " "})
    assert "<option" not in page.content.decode()


def test_it_accepts_a_typed_service_code_in_any_case(as_persona: Login) -> None:
    response = as_persona("submitter").post("/reports/new/", report_form(service_code="t2013tf"))
    assert response.status_code == 302


def test_it_refuses_a_service_code_not_in_the_catalogue(as_persona: Login) -> None:
    response = as_persona("submitter").post("/reports/new/", report_form(service_code="ZZZ9"))
    assert "use a code from the service list" in response.context["form"].errors["service_code"][0]


@pytest.fixture
def casey(as_persona: Login) -> Member:
    """Casey Dixon, served by the submitter's agency, SSN ending 6789."""
    as_persona("submitter").post("/reports/new/", report_form(member_ssn="123-45-6789"))
    return Member.objects.get()


def test_member_search_shows_date_of_birth_and_last_four_ssn_digits(
    as_persona: Login, casey: Member
) -> None:
    page = as_persona("manager").post("/reports/members/", {"member_last_name": "dix"})
    content = page.content.decode()
    assert "Dixon, Casey" in content
    assert "1980-05-17" in content
    assert "…6789" in content


def test_member_search_narrows_by_first_name(as_persona: Login, casey: Member) -> None:
    query = {"member_last_name": "Dixon", "member_first_name": "Av"}
    page = as_persona("submitter").post("/reports/members/", query)
    assert "Dixon" not in page.content.decode()


def test_member_search_never_shows_another_organisations_members(
    as_persona: Login, casey: Member
) -> None:
    page = as_persona("other_provider").post("/reports/members/", {"member_last_name": "Dixon"})
    assert page.status_code == 200
    assert "Dixon" not in page.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("mco_analyst", 403), ("anonymous", 302)])
def test_member_search_is_for_filing_roles(
    as_persona: Login, casey: Member, persona: str, status: int
) -> None:
    response = as_persona(persona).post("/reports/members/", {"member_last_name": "Dixon"})
    assert response.status_code == status
    assert "Dixon" not in response.content.decode()


def test_service_search_needs_a_login(as_persona: Login) -> None:
    assert as_persona("anonymous").get("/reports/services/").status_code == 302


def test_a_member_search_is_audited_as_a_view_of_identifying_data(
    as_persona: Login, casey: Member
) -> None:
    as_persona("manager").post("/reports/members/", {"member_last_name": "Dixon"})
    event = AuditEvent.objects.filter(action="view_identity").get()
    assert (event.actor_username, event.object_id) == ("mia", str(casey.pk))


def test_member_search_refuses_get_so_names_never_reach_a_url(
    as_persona: Login, casey: Member
) -> None:
    response = as_persona("submitter").get("/reports/members/", {"member_last_name": "Dixon"})
    assert response.status_code == 405


def test_the_htmx_member_search_carries_the_forms_csrf_token(
    personas: dict[str, User], casey: Member
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["submitter"])
    page = client.get("/reports/new/").content.decode()
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post(
        "/reports/members/", {"member_last_name": "Dixon"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "Dixon, Casey" in response.content.decode()


def test_member_search_finds_by_birth_date_alone(as_persona: Login, casey: Member) -> None:
    found = as_persona("submitter").post(
        "/reports/members/", {"member_date_of_birth": "1980-05-17"}
    )
    assert "Dixon, Casey" in found.content.decode()
    other = as_persona("submitter").post(
        "/reports/members/", {"member_date_of_birth": "1980-05-18"}
    )
    assert "Dixon, Casey" not in other.content.decode()
    half_typed = as_persona("submitter").post("/reports/members/", {"member_date_of_birth": "1980"})
    assert "Dixon" not in half_typed.content.decode()


def test_member_search_finds_by_ssn_last_four_alone(as_persona: Login, casey: Member) -> None:
    found = as_persona("submitter").post("/reports/members/", {"member_search_ssn4": "6789"})
    assert "Dixon, Casey" in found.content.decode()
    other = as_persona("submitter").post("/reports/members/", {"member_search_ssn4": "6780"})
    assert "Dixon, Casey" not in other.content.decode()
    assert "No member of yours matches" in other.content.decode()


def test_member_search_by_birth_date_or_ssn_never_finds_another_organisations_member(
    as_persona: Login, casey: Member
) -> None:
    for query in ({"member_date_of_birth": "1980-05-17"}, {"member_search_ssn4": "6789"}):
        page = as_persona("other_provider").post("/reports/members/", query)
        assert "Dixon" not in page.content.decode()


def test_a_member_search_result_carries_what_a_click_fills_in(
    as_persona: Login, casey: Member
) -> None:
    page = as_persona("submitter").post("/reports/members/", {"member_search_ssn4": "6789"})
    content = page.content.decode()
    assert 'data-first-name="Casey"' in content
    assert 'data-last-name="Dixon"' in content
    assert 'data-date-of-birth="1980-05-17"' in content
    assert 'data-medicaid-id="900001234A"' in content
    form = as_persona("submitter").get("/reports/new/").content.decode()
    assert 'name="member_search_ssn4"' in form
    assert "portal/report_form.js" in form
