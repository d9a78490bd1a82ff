"""From EVV visits to submitted reports in a real browser: upload, create, complete, submit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carecover.backup.visit_layout import FIELDS
from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Member, Report
from tests.portal.browser.conftest import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _visits(member: Member, day: str) -> str:
    """One missed visit (staff ill, no backup) and one member-cancelled visit, same day."""
    rows = [",".join(FIELDS)]
    person = f"{member.last_name},{member.first_name},{member.date_of_birth.isoformat()}"
    common = f"PRV001,{member.medicaid_id},{person},T2013TF,{day}"
    rows.append(f"{common},08:00,12:00,,,W1,staff_illness,unavailable")
    rows.append(f"{common},15:00,18:00,,,W1,member_appointment,")
    return "\n".join(rows) + "\n"


def test_missed_visits_become_drafts_that_are_completed_and_submitted(
    new_page: Callable[[], Page], tmp_path: Path
) -> None:
    load_demo(today=timezone.localdate(), password=PASSWORD)
    member = Member.objects.filter(organisation__code="PRV001").order_by("id").first()
    assert member is not None
    # A date the demo has no report of this member on.
    day = timezone.localdate() - timedelta(days=2)
    while Report.objects.filter(member=member, incident_date=day).exists():
        day -= timedelta(days=1)
    visits = tmp_path / "visits.csv"
    visits.write_text(_visits(member, day.isoformat()))

    page = new_page()
    sign_in(page, "prv001-submitter")
    page.get_by_role("link", name="Visits from EVV").click()
    page.get_by_label("Visit file (CSV)").set_input_files(str(visits))
    page.get_by_role("button", name="Find interruptions").click()
    table = page.locator("#interruptions")
    expect(table).to_contain_text("Failure to provide backup staffing")
    expect(table).to_contain_text("Service break")
    screenshot(page, "visits-found")

    page.get_by_role("button", name="Create 2 draft(s) and service-break entries").click()
    expect(page.locator(".messages")).to_contain_text("1 draft report(s) created")
    expect(page.locator(".messages")).to_contain_text("1 service break(s) logged")
    screenshot(page, "visits-created")
    draft = Report.objects.get(member=member, incident_date=day)
    assert (draft.status, draft.hours_without_staff) == ("draft", 4.0)

    # The filer completes what EVV cannot know, why backup was not provided, and submits.
    page.get_by_role("link", name=draft.report_id).click()
    page.get_by_role("link", name="Edit").click()
    page.locator("select[name=reason]").select_option("short_notice")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    page.get_by_role("button", name="Submit to the MCO").click()
    expect(page.locator(".messages")).to_contain_text("submitted to the MCO")
    draft.refresh_from_db()
    assert draft.status == "submitted"
