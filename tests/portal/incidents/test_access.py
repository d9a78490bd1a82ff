"""Who may open which report page: every view, every persona, including direct URLs
to another organisation's report (404, never data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.incidents.models import Report
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
PERSONAS = ["submitter", "manager", "other_provider", "eor", "mco_analyst", "mco_admin"]


@pytest.fixture
def draft(as_persona: Login) -> Report:
    """A draft of the submitter's agency about member Casey Dixon."""
    response = as_persona("submitter").post("/reports/new/", report_form())
    assert response.status_code == 302
    return Report.objects.get()


@pytest.fixture
def submitted(as_persona: Login, draft: Report) -> Report:
    """The same report, submitted to the MCO."""
    as_persona("submitter").post(f"/reports/{draft.report_id}/submit/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    return draft


def _no_member_data(response: object) -> bool:
    content = getattr(response, "content", b"").decode()
    return "Dixon" not in content and "900001234A" not in content


@pytest.mark.parametrize(
    "path", ["/reports/", "/reports/new/", "/reports/BUS-2026-000001/", "/reports/x/edit/"]
)
def test_it_sends_anonymous_visitors_to_the_login_page(as_persona: Login, path: str) -> None:
    response = as_persona("anonymous").get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["submit", "review"])
def test_it_refuses_anonymous_posts(as_persona: Login, draft: Report, action: str) -> None:
    response = as_persona("anonymous").post(f"/reports/{draft.report_id}/{action}/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("submitter", True),
        ("manager", True),
        ("other_provider", False),
        ("eor", False),
        ("mco_analyst", True),
        ("mco_admin", True),
    ],
)
def test_the_report_list_shows_only_what_the_persona_may_see(
    as_persona: Login, draft: Report, persona: str, sees: bool
) -> None:
    response = as_persona(persona).get("/reports/")
    assert response.status_code == 200
    assert (draft.report_id in response.content.decode()) is sees


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("submitter", 200),
        ("manager", 200),
        ("other_provider", 404),
        ("eor", 404),
        ("mco_analyst", 200),
        ("mco_admin", 200),
    ],
)
def test_it_shows_a_report_only_to_its_organisation_and_the_mco(
    as_persona: Login, draft: Report, persona: str, status: int
) -> None:
    response = as_persona(persona).get(f"/reports/{draft.report_id}/")
    assert response.status_code == status
    if status != 200:
        assert _no_member_data(response)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("submitter", 200),
        ("manager", 200),
        ("other_provider", 200),
        ("eor", 200),
        ("mco_analyst", 403),
        ("mco_admin", 403),
    ],
)
def test_only_filing_roles_open_a_new_report(as_persona: Login, persona: str, status: int) -> None:
    assert as_persona(persona).get("/reports/new/").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("submitter", 200),
        ("manager", 200),
        ("other_provider", 404),
        ("eor", 404),
        ("mco_analyst", 403),
        ("mco_admin", 403),
    ],
)
def test_only_the_reports_organisation_edits_it(
    as_persona: Login, draft: Report, persona: str, status: int
) -> None:
    response = as_persona(persona).get(f"/reports/{draft.report_id}/edit/")
    assert response.status_code == status
    if status != 200:
        assert _no_member_data(response)


@pytest.mark.parametrize(
    ("persona", "status"), [("other_provider", 404), ("eor", 404), ("mco_analyst", 403)]
)
def test_outsiders_cannot_change_or_submit_a_report(
    as_persona: Login, draft: Report, persona: str, status: int
) -> None:
    client = as_persona(persona)
    edit = client.post(f"/reports/{draft.report_id}/edit/", report_form(hours_without_staff="1"))
    submit = client.post(f"/reports/{draft.report_id}/submit/")
    assert (edit.status_code, submit.status_code) == (status, status)
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 1)


@pytest.mark.parametrize("persona", ["submitter", "manager", "other_provider", "eor"])
def test_only_the_mco_reviews_a_report(as_persona: Login, submitted: Report, persona: str) -> None:
    response = as_persona(persona).post(
        f"/reports/{submitted.report_id}/review/", {"decision": "accept"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_user_without_an_organisation_sees_nothing(
    as_persona: Login, draft: Report, django_user_model: type
) -> None:
    loner = django_user_model.objects.create_user("lone", password=None)
    client = Client()
    client.force_login(loner)
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/{draft.report_id}/").status_code == 403


def test_report_urls_hold_ids_only(as_persona: Login, draft: Report) -> None:
    page = as_persona("submitter").get("/reports/").content.decode()
    hrefs = [part.split('"')[0] for part in page.split('href="')[1:]]
    assert f"/reports/{draft.report_id}/" in hrefs
    assert not any("Dixon" in h or "900001234A" in h or "Casey" in h for h in hrefs)
