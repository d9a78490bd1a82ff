"""A report's whole life in a real browser: file, draft, submit, return, correct, accept.

Runs against the demo world (``carecover.portal.demo``) so the pages look as
they do in ``make demo``; ``CARECOVER_SCREENSHOTS=1`` saves the main pages
under docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Member, Report
from tests.portal.browser.conftest import PASSWORD, a_day_without_reports, screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def visit(page: Page, path: str, name: str, *, full_page: bool = False) -> None:
    """Open a page that must answer 200 and save its screenshot (the first screen)."""
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    screenshot(page, name, full_page=full_page)


def review(page: Page, report_id: str, decision: str, comment: str = "") -> None:
    """The MCO records a decision on the report's page."""
    page.goto(f"/reports/{report_id}/")
    page.locator("select[name=decision]").select_option(decision)
    page.locator("textarea[name=comment]").fill(comment)
    page.get_by_role("button", name="Record decision").click()


def test_a_report_goes_from_draft_to_accepted_through_the_pages(
    new_page: Callable[[], Page],
) -> None:
    load_demo(today=timezone.localdate(), password=PASSWORD)
    member = Member.objects.filter(organisation__code="PRV001").order_by("id").first()
    assert member is not None
    day = a_day_without_reports("PRV001")
    yesterday = day.isoformat()

    provider = new_page()
    provider.goto("/accounts/login/")
    screenshot(provider, "login")
    sign_in(provider, "prv001-submitter")
    visit(provider, "/reports/", "provider-reports")
    visit(provider, "/compliance/", "provider-workspace")
    visit(provider, "/compliance/periods/", "provider-periods")
    provider.goto("/reports/")

    # "Is this reportable?" first: a staff absence with no backup is a report.
    provider.get_by_role("link", name="Is this reportable?").click()
    provider.get_by_label("Why did the scheduled service not happen?").select_option(
        "staff_illness"
    )
    provider.get_by_label("No backup staff was available").check()
    provider.get_by_role("button", name="Check").click()
    screenshot(provider, "reportable")
    provider.get_by_role("link", name="File the report").click()

    # The chosen report type is preselected and opens its own fields only.
    form = provider.locator("form[method=post]").last
    expect(provider.get_by_label("Backup staff not available")).to_be_checked()
    expect(form.locator("select[name=reason]")).to_be_visible()
    expect(form.locator("select[name=declined_by]")).to_be_hidden()
    provider.get_by_label("Backup staff offered but declined").check()
    expect(form.locator("select[name=declined_by]")).to_be_visible()
    expect(form.locator("select[name=reason]")).to_be_hidden()
    provider.get_by_label("Backup staff not available").check()
    expect(form.locator("select[name=declined_by]")).to_be_hidden()

    # Contact details are prefilled from the organisation.
    expect(form.locator("input[name=contact_name]")).not_to_have_value("")

    # Member search by name shows date of birth and the last SSN digits.
    form.locator("input[name=member_last_name]").press_sequentially(member.last_name)
    results = provider.locator("#member-results")
    expect(results).to_contain_text(member.date_of_birth.isoformat())
    expect(results).to_contain_text(f"…{member.ssn_last4}")
    form.locator("input[name=member_first_name]").fill(member.first_name)
    form.locator("input[name=member_date_of_birth]").fill(member.date_of_birth.isoformat())
    form.locator("input[name=member_medicaid_id]").fill(member.medicaid_id)

    # The service code predicts as you type (htmx fills the datalist).
    form.locator("input[name=service_code]").press_sequentially("T2013")
    expect(provider.locator("#service-codes option[value=T2013TF]")).to_have_count(1)
    form.locator("input[name=service_code]").fill("T2013TF")
    form.locator("input[name=incident_date]").fill(yesterday)
    form.locator("input[name=scheduled_start]").fill("08:00")
    form.locator("input[name=scheduled_end]").fill("14:00")
    form.locator("input[name=hours_without_staff]").fill("6")

    # Reason "Other" opens its explanation, which is then required.
    explanation = form.locator("textarea[name=reason_other]")
    expect(explanation).to_be_hidden()
    form.locator("select[name=reason]").select_option("other")
    expect(explanation).to_be_visible()
    form.get_by_role("button", name="Save draft").click()
    expect(provider.locator("#field-reason_other .errors")).to_be_visible()
    screenshot(provider, "report-form-error")
    explanation = provider.locator("textarea[name=reason_other]")
    explanation.fill("The scheduled worker's car broke down and the backup worker was ill.")
    screenshot(provider, "report-form")
    provider.get_by_role("button", name="Save draft").click()

    expect(provider.locator(".messages")).to_contain_text("saved")
    report_id = re.sub(r"\s.*", "", provider.locator("h1").inner_text())
    assert Report.objects.get(report_id=report_id).status == "draft"
    provider.get_by_role("button", name="Submit to the MCO").click()
    expect(provider.locator(".messages")).to_contain_text("submitted to the MCO")

    mco = new_page()
    sign_in(mco, "mco-analyst")
    visit(mco, "/compliance/", "mco-workspace")
    visit(mco, "/compliance/providers/", "mco-compliance")
    mco.goto("/reports/")
    mco.locator("select[name=status]").select_option("submitted")
    mco.locator("input[name=provider]").fill("PRV001")
    mco.get_by_role("button", name="Filter").click()
    expect(mco.get_by_role("link", name=report_id)).to_be_visible()
    screenshot(mco, "mco-reports")
    mco.get_by_role("link", name=report_id).click()
    screenshot(mco, "mco-review")
    review(mco, report_id, "return", "Please give the hours without staff from the EVV record.")
    expect(mco.locator("h1")).to_contain_text("Returned for correction")

    # The provider sees the comment, corrects the report and submits again.
    provider.goto(f"/reports/{report_id}/")
    expect(provider.locator(".notice")).to_contain_text("from the EVV record")
    screenshot(provider, "returned-report")
    provider.get_by_role("link", name="Edit").click()
    provider.locator("input[name=hours_without_staff]").fill("5.5")
    provider.get_by_role("button", name="Save draft").click()
    expect(provider.locator(".messages")).to_contain_text("saved")
    provider.get_by_role("button", name="Submit to the MCO").click()
    expect(provider.locator("h1")).to_contain_text("Submitted")

    review(mco, report_id, "accept")
    expect(mco.locator("h1")).to_contain_text("Accepted")
    screenshot(mco, "accepted-report")
    row = Report.objects.get(report_id=report_id)
    assert (row.status, row.hours_without_staff, row.version) == ("accepted", 5.5, 6)

    # The quarter's Human Rights Committee report counts it; the MCO downloads it.
    quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
    visit(mco, f"/compliance/reports/quarterly-hrc/?period={quarter}", "quarterly-report")
    expect(mco.locator("h1")).to_be_visible()
    with mco.expect_download() as download_info:
        mco.locator("#download-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "Piedmont Community Supports" in text
    with mco.expect_download() as download_info:
        mco.locator("#download-xlsx").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
