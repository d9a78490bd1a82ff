"""Who may open which compliance page: every view, every persona, and direct URLs to
another organisation's plan (404, never data)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.compliance import services
from carecover.portal.compliance.models import PlanOfCorrection

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
FILERS = ["submitter", "manager", "other_provider", "eor"]
MCO = ["mco_analyst", "mco_admin"]

EVERYONE_PAGES = ["/compliance/", "/compliance/plans/", "/compliance/help/"]
FILER_PAGES = ["/compliance/periods/", "/reports/service-breaks/"]
MCO_PAGES = [
    "/compliance/providers/",
    "/compliance/providers/download.csv",
    "/compliance/reports/monthly/",
    "/compliance/reports/quarterly-hrc/",
    "/compliance/reports/quarterly-state/",
    "/compliance/reports/quarterly-hrc/print/",
    "/compliance/reports/monthly/download.csv",
    "/compliance/reports/quarterly-state/download.xlsx",
]


@pytest.fixture
def plan(
    personas: dict[str, User],
    orgs: dict[str, Organisation],
    past_period: ReportingPeriod,
    today: date,
) -> PlanOfCorrection:
    """A plan requested from PRV001 (the submitter's agency) for a missing period."""
    return services.issue_plan(
        personas["mco_admin"], orgs["provider"], past_period.start, today=today
    )


@pytest.mark.parametrize("persona", [*FILERS, *MCO])
@pytest.mark.parametrize("url", EVERYONE_PAGES)
def test_every_role_opens_its_workspace_and_plans(
    as_persona: Login, persona: str, url: str
) -> None:
    assert as_persona(persona).get(url).status_code == 200


@pytest.mark.parametrize("url", [*EVERYONE_PAGES, *FILER_PAGES, *MCO_PAGES])
def test_anonymous_users_are_sent_to_the_login_page(as_persona: Login, url: str) -> None:
    response = as_persona("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", FILERS)
@pytest.mark.parametrize("url", MCO_PAGES)
def test_providers_and_eors_cannot_open_the_mco_pages(
    as_persona: Login, persona: str, url: str
) -> None:
    assert as_persona(persona).get(url).status_code == 403


@pytest.mark.parametrize("persona", MCO)
@pytest.mark.parametrize("url", MCO_PAGES)
def test_mco_users_open_the_mco_pages(as_persona: Login, persona: str, url: str) -> None:
    assert as_persona(persona).get(url).status_code == 200


@pytest.mark.parametrize("persona", MCO)
def test_mco_users_have_no_reporting_periods_to_attest(as_persona: Login, persona: str) -> None:
    assert as_persona(persona).get("/compliance/periods/").status_code == 403
    response = as_persona(persona).post(
        "/compliance/periods/attest/", {"period_start": "2026-01-01"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("persona", "status"), [
    ("submitter", 200), ("manager", 200), ("mco_analyst", 200), ("mco_admin", 200),
    ("other_provider", 404), ("eor", 404),
])  # fmt: skip
def test_a_plan_opens_only_for_its_organisation_and_the_mco(
    as_persona: Login, plan: PlanOfCorrection, persona: str, status: int
) -> None:
    response = as_persona(persona).get(f"/compliance/plans/{plan.pk}/")
    assert response.status_code == status
    if status == 404:
        assert b"Piedmont" not in response.content


@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_another_organisation_cannot_answer_a_plan(
    as_persona: Login, plan: PlanOfCorrection, persona: str
) -> None:
    response = as_persona(persona).post(
        f"/compliance/plans/{plan.pk}/answer/", {"area_out_of_compliance": "x"}
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.status == "requested"


@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_another_organisations_plans_are_not_listed(
    as_persona: Login, plan: PlanOfCorrection, persona: str
) -> None:
    content = as_persona(persona).get("/compliance/plans/").content.decode()
    assert f"/compliance/plans/{plan.pk}/" not in content


@pytest.mark.parametrize("persona", FILERS)
def test_only_the_mco_issues_and_closes_plans(
    as_persona: Login, plan: PlanOfCorrection, persona: str, past_period: ReportingPeriod
) -> None:
    client = as_persona(persona)
    issue = {"organisation": "PRV002", "period_start": past_period.start.isoformat()}
    assert client.post("/compliance/plans/issue/", issue).status_code == 403
    assert client.post(f"/compliance/plans/{plan.pk}/close/").status_code == 403
    assert PlanOfCorrection.objects.count() == 1


def test_a_user_without_an_organisation_sees_nothing(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("nobody", password=None))
    for url in [*EVERYONE_PAGES, *FILER_PAGES, *MCO_PAGES]:
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/compliance/periods/attest/",
        "/compliance/plans/issue/",
        "/compliance/plans/1/answer/",
        "/compliance/plans/1/close/",
    ],
)
def test_every_compliance_form_needs_a_csrf_token(
    personas: dict[str, User], plan: PlanOfCorrection, url: str
) -> None:
    user = personas["mco_admin"] if "issue" in url or "close" in url else personas["submitter"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url.replace("/1/", f"/{plan.pk}/"), {"period_start": "2026-01-01"})
    assert response.status_code == 403
    assert b"CSRF" in response.content
