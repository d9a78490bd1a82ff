"""Who may open the analyst workspace: analysts only (every page, every download)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import User

PAGES = [
    "/analysts/",
    "/analysts/?q=acme",
    "/analysts/facility/335001/",
    "/analysts/facility/335001/benchmark.csv",
    "/analysts/state/NY/",
    "/analysts/state/NY/view.xlsx",
    "/analysts/chain/?name=ACME+CARE",
    "/analysts/chain/view.csv?name=ACME+CARE",
]


@pytest.mark.parametrize("page", PAGES)
def test_an_analyst_opens_every_page_and_download(as_analyst: Client, page: str) -> None:
    assert as_analyst.get(page).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "persona", ["submitter", "manager", "other_provider", "eor", "mco_analyst", "mco_admin"]
)
def test_backup_staffing_users_are_refused(
    as_persona: Callable[[str], Client], persona: str, page: str
) -> None:
    assert as_persona(persona).get(page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_a_nursing_home_user_is_refused_even_for_their_own_facility(
    client_of: Callable[[User], Client], home_user: User, page: str
) -> None:
    assert client_of(home_user).get(page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(db: None, page: str) -> None:
    response = Client().get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_workspace_only_reads(as_analyst: Client, method: str) -> None:
    response = getattr(as_analyst, method)("/analysts/facility/335001/")
    assert response.status_code == 405


def test_the_analyst_lands_on_the_workspace_and_is_refused_other_workspaces(
    as_analyst: Client,
) -> None:
    assert as_analyst.get("/")["Location"] == "/analysts/"
    for page in ("/nursing-homes/", "/compliance/providers/", "/accounts/"):
        assert as_analyst.get(page).status_code in (403, 404)
