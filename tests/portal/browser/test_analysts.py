"""The analyst workspace in a real browser: search, facility, state, chain, a download.

The history store is the four New York facilities of ``tests/fixtures/pbj/history``.
``CARECOVER_SCREENSHOTS=1`` saves ``docs/screenshots/analyst-facility.png`` and
``analyst-state.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from carecover.pbj.history.table import load_history
from carecover.pbj.store import connect
from carecover.portal.accounts.models import Role, User
from tests.portal.browser.conftest import PASSWORD, VIEWPORT, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HISTORY = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "history"
FILES = [
    HISTORY / n for n in ("nurse_2024Q1.csv", "nurse_2024Q2.csv", "NH_ProviderInfo_Oct2024.csv")
]


@pytest.fixture
def analyst(settings: Any, tmp_path: Path) -> User:
    """An analyst with a password, over a freshly loaded history store."""
    db = tmp_path / "history.duckdb"
    con = connect(db)
    load_history(con, FILES)
    con.close()
    settings.CARECOVER_HISTORY_STORE = db
    return User.objects.create_user("alex", password=PASSWORD, role=Role.ANALYST)


def _fits(page: Page) -> None:
    """Nothing wider than the 1280 px window: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"]


def test_an_analyst_finds_a_facility_and_reads_it_among_its_peers(
    analyst: User, new_page: Callable[[], Page]
) -> None:
    page = new_page()
    sign_in(page, "alex")
    expect(page.locator("h1")).to_have_text("Analyst workspace")
    page.get_by_label("Facility CCN or name").fill("beta")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="BETA ON THE LAKE").click()
    expect(page.locator("h1")).to_contain_text("BETA ON THE LAKE")
    peers = page.locator("#peer-rows")
    expect(peers).to_contain_text("Measures among state peers, 2024Q2")
    expect(peers.locator("tbody tr")).to_have_count(11)
    minimums = page.locator("#minimum-rows")
    expect(minimums).to_contain_text("ny-total")
    expect(minimums.locator("strong", has_text="no").first).to_be_visible()
    expect(page.locator("#trend-total svg rect")).to_have_count(2)
    _fits(page)
    screenshot(page, "analyst-facility")

    page.get_by_label("Peers").select_option("chain")
    page.get_by_role("button", name="Show").click()
    expect(peers).to_contain_text("Measures among chain peers")
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename == "335004-benchmark-chain.csv"


def test_an_analyst_reads_a_state_and_a_chain(analyst: User, new_page: Callable[[], Page]) -> None:
    page = new_page()
    sign_in(page, "alex")
    page.locator("#states").get_by_role("link", name="NY").click()
    expect(page.locator("h1")).to_have_text("NY: nurse staffing, 2024Q2")
    expect(page.locator("#below-minimum")).to_contain_text("BETA ON THE LAKE")
    expect(page.locator("#zero-rn")).to_contain_text("BETA ON THE LAKE")
    expect(page.locator("#distribution tbody tr").first).to_contain_text("Total nurse HPRD")
    expect(page.locator("#trend-median svg rect")).to_have_count(2)
    _fits(page)
    screenshot(page, "analyst-state")

    page.goto("/analysts/")
    page.get_by_label("Chain name").fill("acme")
    page.get_by_role("button", name="Find chains").click()
    page.get_by_role("link", name="ACME CARE").click()
    expect(page.locator("h1")).to_contain_text("Chain ACME CARE")
    expect(page.locator("#chain-facilities tbody tr")).to_have_count(2)
    _fits(page)


def test_a_backup_staffing_user_is_refused_in_the_browser(
    analyst: User, new_page: Callable[[], Page]
) -> None:
    User.objects.create_user("sam", password=PASSWORD, role=Role.MCO_ANALYST)
    page = new_page()
    sign_in(page, "sam")
    response = page.goto("/analysts/state/NY/")
    assert response is not None
    assert response.status == 403
