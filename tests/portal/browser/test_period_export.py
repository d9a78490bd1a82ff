"""The reporting-periods page's download in a real browser: Alliance's spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from carecover.portal.accounts.models import Organisation, Role, User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.compliance import services
from carecover.portal.incidents import filing
from carecover.portal.incidents.forms import ReportForm
from tests.portal.browser.conftest import PASSWORD, sign_in
from tests.portal.compliance.conftest import at
from tests.portal.conftest import report_form

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def alliance(settings: Any) -> Iterator[None]:
    """The portal configured for Alliance by name."""
    settings.CARECOVER_MCO_PROFILE = "alliance"
    services.profile.cache_clear()
    yield
    services.profile.cache_clear()


def test_a_provider_downloads_a_periods_spreadsheet_from_the_periods_page(
    alliance: None,
    orgs: dict[str, Organisation],
    new_page: Callable[[], Page],
) -> None:
    user = User.objects.create_user(
        "sally", password=PASSWORD, organisation=orgs["provider"], role=Role.SUBMITTER
    )
    today = timezone.localdate()
    period = services.scheme().period_for(today - timedelta(days=40))
    form = ReportForm(
        report_form(incident_date=period.start.isoformat()),
        organisation=orgs["provider"],
        today=today,
    )
    assert form.is_valid(), form.errors
    assert form.report is not None
    draft = filing.create_draft(user, form.report, today=today)
    row = filing.submit(user, draft, now=at(period.start + timedelta(days=1)), today=today)
    page = new_page()
    sign_in(page, "sally")
    page.goto("/compliance/periods/")
    expect(page.locator("#mco-channel")).to_contain_text("Alliance Health asks for a spreadsheet")
    with page.expect_download() as caught:
        page.locator(f"#download-{period.start}").click()
    download = caught.value
    assert download.suggested_filename == f"PRV001-{period.start}-{period.end}.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Provider Name"
    assert [r[2] for r in rows[1:]] == ["Casey Dixon"]
    event = AuditEvent.objects.get(object_type="period_export")
    assert event.after is not None
    assert event.after["reports"] == [row.report_id]
