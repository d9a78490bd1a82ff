"""The nursing-home facility page in a real browser: heat map, star card, what-if, download.

Oakwood (``loaded_facility``) holds a synthetic 2026Q3 cut at 15 September, as a
quarter in progress, with two days without an RN and two under 8 RN hours, so
every part of the page has something to show. ``CARECOVER_SCREENSHOTS=1``
saves ``docs/screenshots/nursinghome-facility.png`` and ``-whatif.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from carecover.pbj.submission.days import TABLE
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store
from tests.portal.browser.conftest import PASSWORD, screenshot, sign_in
from tests.portal.nursinghome.conftest import (  # noqa: F401 (fixtures)
    facility_stores,
    homes,
    loaded_facility,
    synthetic_files,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RN_HOURS = {date(2026, 8, 1): 0, date(2026, 8, 12): 0, date(2026, 7, 19): 6, date(2026, 9, 2): 4}


@pytest.fixture
def quarter_in_progress(loaded_facility: Facility) -> Facility:  # noqa: F811
    """Oakwood's 2026Q3 up to 15 September, with a few days short of an RN."""
    with facility_store(loaded_facility) as con:
        con.execute(f"DELETE FROM {TABLE} WHERE workdate > ?", [date(2026, 9, 15)])
        for day, hours in RN_HOURS.items():
            con.execute(
                f"UPDATE {TABLE} SET hrs_rndon = 0, hrs_rnadmin = 0, hrs_rn = ? WHERE workdate = ?",
                [hours, day],
            )
    user = loaded_facility.organisation.users.get(username="nadia")
    user.set_password(PASSWORD)
    user.save()
    return loaded_facility


def test_an_administrator_reads_the_facility_page_and_tries_a_what_if(
    quarter_in_progress: Facility, new_page: Callable[[], Page]
) -> None:
    page = new_page()
    sign_in(page, "nadia")
    page.goto("/nursing-homes/")
    page.get_by_role("link", name="Oakwood Nursing and Rehabilitation").click()
    expect(page.locator("h1")).to_contain_text("Oakwood Nursing and Rehabilitation")

    calendar = page.locator("#coverage-calendar")
    expect(calendar.locator("table.month")).to_have_count(3)
    expect(calendar.locator("td.day.zero")).to_have_count(2)
    expect(calendar.locator("td.day.under")).to_have_count(2)
    expect(calendar.locator("td.day.zero.weekend")).to_have_count(1)  # Saturday 1 August
    expect(page.locator("#coverage-counts")).to_contain_text(
        "2 days with residents and no RN hours"
    )
    expect(page.locator("#star-card")).to_contain_text("Staffing rating")
    expect(page.locator("#star-measures tbody tr")).to_have_count(6)
    expect(page.locator("#chart-hprd rect")).to_have_count(2)
    expect(page.locator("#projection")).to_contain_text("As of 15 Sep 2026")
    screenshot(page, "nursinghome-facility")

    projected = page.locator("#projected-stars").inner_text()
    form = page.locator("#whatif")
    form.get_by_label("Extra RN hours per day").fill("2")
    form.get_by_label("PBJ submitted on").fill("2026-11-20")
    form.get_by_role("button", name="Recompute").click()
    expect(page.locator("#whatif-applied")).to_be_visible()
    expect(page.locator("#projected-stars")).to_contain_text("1 of 5")
    expect(page.locator("#projected-stars")).to_contain_text("late")
    assert page.locator("#projected-stars").inner_text() != projected
    expect(form.get_by_label("Extra RN hours per day")).to_have_value("2")
    screenshot(page, "nursinghome-facility-whatif")

    with page.expect_download() as download_info:
        page.locator("#download-coverage-csv").click()
    assert download_info.value.suggested_filename == "100000-2026Q3-coverage.csv"
