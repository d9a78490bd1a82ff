"""A facility's DON uploads PBJ files in a real browser: one accepted, one rejected.

``CARECOVER_SCREENSHOTS=1`` saves the form and both reports as
docs/screenshots/nursinghome-upload-form.png, -accepted.png and -rejected.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.synth import synth_pbj_xml
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.nursinghome.models import Facility, Upload
from tests.portal.browser.conftest import PASSWORD, screenshot, sign_in
from tests.portal.nursinghome.test_uploads import oakwood_pbj, rejected_pbj

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def pbj_file(tmp_path: Path) -> Path:
    """The synthetic 2026Q3 PBJ file of SYN000001."""
    path = tmp_path / "synthetic.xml"
    synth_pbj_xml(path, facilities=1, quarter=Quarter(2026, 3), seed=7)
    return path


@pytest.fixture
def don(settings: Any, tmp_path: Path) -> User:
    """Oakwood's DON, with a password to sign in with, and a fresh folder of stores."""
    settings.CARECOVER_FACILITY_STORES = tmp_path / "facilities"
    operator = Organisation.objects.create(
        name="Oakwood Operating LLC", kind=OrganisationKind.FACILITY, code="NH100000"
    )
    Facility.objects.create(
        ccn="100000",
        name="Oakwood Nursing and Rehabilitation",
        state="NC",
        pbj_facility_id="SYN000001",
        organisation=operator,
    )
    return User.objects.create_user("dora", password=PASSWORD, organisation=operator, role=Role.DON)


def upload(page: Page, name: str, content: bytes) -> None:
    """Pick "PBJ submission", choose the file and send it."""
    page.goto("/nursing-homes/100000/uploads/")
    page.get_by_label("PBJ submission (XML or ZIP)").check()
    expect(page.locator(".when-timeclock")).to_be_hidden()
    payload: FilePayload = {"name": name, "mimeType": "application/xml", "buffer": content}
    page.locator("input[name=file]").set_input_files(files=[payload])
    page.get_by_role("button", name="Upload and check").click()


def test_a_don_uploads_an_accepted_and_a_rejected_pbj_file(
    new_page: Callable[[], Page], don: User, pbj_file: Path
) -> None:
    page = new_page()
    sign_in(page, "dora")

    # The time-clock settings open only for a time-clock export (CSS, no script).
    page.goto("/nursing-homes/100000/uploads/")
    expect(page.locator(".when-timeclock")).to_be_hidden()
    page.get_by_label("Time-clock or payroll export (CSV)").check()
    expect(page.locator(".when-timeclock")).to_be_visible()
    screenshot(page, "nursinghome-upload-form")

    upload(page, "oakwood-2026Q3.xml", oakwood_pbj(pbj_file))
    expect(page.locator("#upload-status")).to_have_text("Accepted")
    expect(page.locator("#upload-verdict")).to_contain_text("The data is in the facility's store.")
    expect(page.locator("#upload-counts")).to_contain_text("Records processed")
    expect(page.locator("#upload-notes")).to_contain_text("hour entries")
    screenshot(page, "nursinghome-upload-accepted")

    upload(page, "oakwood-2026Q3-bad.xml", rejected_pbj(pbj_file))
    expect(page.locator("#upload-status")).to_have_text("Rejected")
    expect(page.locator("#upload-verdict")).to_contain_text("Rejected: nothing was stored.")
    findings = page.locator("#upload-findings")
    expect(findings).to_contain_text("-3676")
    expect(findings).to_contain_text("payTypeCode")
    expect(page.locator("#upload-edits")).to_contain_text("Unknown payTypeCode")
    screenshot(page, "nursinghome-upload-rejected")

    page.get_by_role("link", name="Uploads", exact=True).click()
    history = page.locator("#upload-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("oakwood-2026Q3-bad.xml")
    assert sorted(Upload.objects.values_list("status", flat=True)) == ["accepted", "rejected"]
