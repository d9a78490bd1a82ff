"""The report form in a real browser (issue 13 §1): it never traps a filer.

Find the member by SSN last four and click to fill; type the declined branch,
switch to "not available", save with a field missing: the page says what is
missing at the top with a link to the field; complete, save, leave, return,
correct, submit. The declined fields typed first were not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carecover.portal.demo import load_demo
from carecover.portal.incidents.models import Member, Report
from tests.portal.browser.conftest import PASSWORD, a_day_without_reports, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_an_incomplete_form_is_completed_saved_returned_to_and_submitted(
    new_page: Callable[[], Page],
) -> None:
    load_demo(today=timezone.localdate(), password=PASSWORD)
    member = (
        Member.objects.filter(organisation__code="PRV001", ssn_last4__isnull=False)
        .order_by("id")
        .first()
    )
    assert member is not None
    assert member.ssn_last4 is not None
    yesterday = a_day_without_reports("PRV001").isoformat()
    page = new_page()
    sign_in(page, "prv001-submitter")
    page.goto("/reports/new/")
    form = page.locator("#report-form")

    # Find the member by the SSN's last four digits; a click fills the member in.
    page.locator("#id_member_search_ssn4").press_sequentially(member.ssn_last4)
    pick = page.locator(f"button.pick-member[data-medicaid-id='{member.medicaid_id}']")
    pick.click()
    expect(form.locator("input[name=member_last_name]")).to_have_value(member.last_name)
    expect(form.locator("input[name=member_first_name]")).to_have_value(member.first_name)
    expect(form.locator("input[name=member_date_of_birth]")).to_have_value(
        member.date_of_birth.isoformat()
    )
    expect(form.locator("input[name=member_medicaid_id]")).to_have_value(member.medicaid_id)

    form.locator("input[name=service_code]").fill("T2013TF")
    form.locator("input[name=incident_date]").fill(yesterday)
    form.locator("input[name=scheduled_start]").fill("08:00")
    form.locator("input[name=scheduled_end]").fill("14:00")

    # Typed "offered but declined" first, then switched to "not available".
    page.get_by_label("Backup staff offered but declined").check()
    form.locator("select[name=declined_by]").select_option("member")
    form.locator("textarea[name=declined_reason]").fill("He wanted his usual worker only.")
    page.get_by_label("Backup staff not available").check()
    form.locator("select[name=reason]").select_option("other")
    # "Other" makes its explanation required: its asterisk shows.
    expect(page.locator("#field-reason_other [data-required-when=explanation]")).to_be_visible()
    form.locator("select[name=reason]").select_option("short_notice")
    expect(page.locator("#field-reason_other [data-required-when=explanation]")).to_be_hidden()

    # Hours left empty: the summary at the top names it and links to the field.
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Hours without staff")
    summary.locator("a[href='#id_hours_without_staff']").click()
    expect(page.locator("#id_hours_without_staff")).to_be_focused()
    expect(page.locator("#field-hours_without_staff .errors")).to_be_visible()
    # Nothing was saved, nothing typed was lost.
    assert not Report.objects.filter(organisation__code="PRV001", incident_date=yesterday).exists()
    expect(form.locator("input[name=member_medicaid_id]")).to_have_value(member.medicaid_id)

    page.locator("#id_hours_without_staff").fill("6")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    report_id = re.sub(r"\s.*", "", page.locator("h1").inner_text())
    expect(page.locator("dl.facts")).to_contain_text("Short notice")

    # Leave, return to the draft, correct it, submit it.
    page.goto("/reports/")
    page.get_by_role("link", name=report_id).click()
    page.get_by_role("link", name="Edit").click()
    page.locator("#id_hours_without_staff").fill("5.5")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    page.get_by_role("button", name="Submit to the MCO").click()
    expect(page.locator(".messages")).to_contain_text("submitted to the MCO")

    report = Report.objects.get(report_id=report_id)
    assert (report.status, report.hours_without_staff) == ("submitted", 5.5)
    assert (report.reason, report.declined_by, report.declined_reason) == (
        "short_notice",
        None,
        None,
    )


def test_a_half_typed_report_is_saved_to_finish_later_returned_to_completed_and_submitted(
    new_page: Callable[[], Page],
) -> None:
    load_demo(today=timezone.localdate(), password=PASSWORD)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = new_page()
    sign_in(page, "prv001-submitter")
    page.goto("/reports/new/")
    form = page.locator("#report-form")
    form.locator("input[name=member_last_name]").fill("Okafor")
    form.locator("input[name=member_first_name]").fill("Jamie")
    form.locator("input[name=incident_date]").fill(yesterday)
    form.locator("input[name=service_code]").fill("T2013TF")
    page.get_by_label("Backup staff offered but declined").check()
    # Who declined and why became required: their asterisks show.
    expect(page.locator("#field-declined_by [data-required-when]")).to_be_visible()
    expect(page.locator("#field-declined_reason [data-required-when]")).to_be_visible()

    # Called away: keep what is typed, with a BUS id, and what is missing listed.
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.locator(".messages")).to_contain_text("still to complete")
    report_id = re.search(r"BUS-\d{4}-\d{6}", page.locator("h1").inner_text())
    assert report_id is not None
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Saved as an incomplete draft")
    expect(summary).to_contain_text("Declined by")
    expect(summary).to_contain_text("Member date of birth")
    assert not Report.objects.filter(report_id=report_id.group()).exists()

    # Later: the list shows it under "Drafts to finish"; open it, complete it, save.
    page.goto("/reports/")
    page.locator("#incomplete-drafts").get_by_role("link", name=report_id.group()).click()
    expect(form.locator("input[name=member_last_name]")).to_have_value("Okafor")
    form.locator("input[name=member_date_of_birth]").fill("1990-02-03")
    form.locator("input[name=member_medicaid_id]").fill("900007777B")
    form.locator("input[name=scheduled_start]").fill("09:00")
    form.locator("input[name=scheduled_end]").fill("13:00")
    form.locator("input[name=hours_without_staff]").fill("4")
    form.locator("select[name=declined_by]").select_option("legally_responsible_person")
    form.locator("textarea[name=declined_reason]").fill("Mother preferred to stay home with him.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("complete and saved")
    page.get_by_role("button", name="Submit to the MCO").click()
    expect(page.locator(".messages")).to_contain_text("submitted to the MCO")
    report = Report.objects.get(report_id=report_id.group())
    assert (report.status, report.backup_status, report.hours_without_staff) == (
        "submitted",
        "offered_declined",
        4.0,
    )
