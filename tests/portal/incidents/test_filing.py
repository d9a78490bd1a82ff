"""Filing a report: a draft is saved under a BUS id, corrected, submitted, reviewed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents import filing
from carecover.portal.incidents.models import Member, Report, ReportVersion
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _draft(as_persona: Login, **changes: str) -> Report:
    response = as_persona("submitter").post("/reports/new/", report_form(**changes))
    assert response.status_code == 302, response.content.decode()
    return Report.objects.get()


def test_it_saves_a_draft_under_a_new_bus_id(as_persona: Login) -> None:
    report = _draft(as_persona)
    year = timezone.localdate().year
    assert report.report_id == f"BUS-{year}-000001"
    assert report.status == "draft"
    assert report.provider_id == "PRV001"
    assert report.site is not None
    assert report.site.code == "S1"


def test_it_never_reuses_a_bus_id(as_persona: Login) -> None:
    client = as_persona("submitter")
    client.post("/reports/new/", report_form())
    client.post("/reports/new/", report_form(member_medicaid_id="900009999B"))
    ids = sorted(Report.objects.values_list("report_id", flat=True))
    assert [i[-6:] for i in ids] == ["000001", "000002"]


def test_it_prefills_the_contact_from_the_users_organisation(as_persona: Login) -> None:
    page = as_persona("submitter").get("/reports/new/").content.decode()
    assert 'value="quality@prv001.example"' in page


def test_it_shows_the_domain_problems_next_to_their_fields(as_persona: Login) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_persona("submitter").post(
        "/reports/new/",
        report_form(incident_date=tomorrow.isoformat(), reason="other", member_medicaid_id="12"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "cannot be after today" in form.errors["incident_date"][0]
    assert "at least 10 characters" in form.errors["reason_other"][0]
    assert "9 digits and a letter" in form.errors["member_medicaid_id"][0]
    assert not Report.objects.exists()


def test_it_keeps_only_the_hash_and_last_four_digits_of_an_ssn(as_persona: Login) -> None:
    _draft(as_persona, member_ssn="123-45-6789")
    member = Member.objects.get()
    assert member.ssn_last4 == "6789"
    assert member.ssn_hash
    assert "123456789" not in member.ssn_hash
    versions = str(list(ReportVersion.objects.values_list("snapshot", flat=True)))
    events = str(list(AuditEvent.objects.values_list("after", flat=True)))
    assert "123456789" not in versions + events


def test_it_saves_a_correction_as_the_next_version(as_persona: Login) -> None:
    report = _draft(as_persona)
    response = as_persona("submitter").post(
        f"/reports/{report.report_id}/edit/", report_form(hours_without_staff="4")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.version, report.hours_without_staff) == (2, 4.0)
    assert list(report.versions.values_list("version", flat=True)) == [1, 2]


def test_it_submits_a_draft_to_the_mco(as_persona: Login) -> None:
    report = _draft(as_persona)
    as_persona("submitter").post(f"/reports/{report.report_id}/submit/")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_at is not None


def test_it_refuses_to_edit_a_submitted_report(as_persona: Login) -> None:
    report = _draft(as_persona)
    client = as_persona("submitter")
    client.post(f"/reports/{report.report_id}/submit/")
    client.post(f"/reports/{report.report_id}/edit/", report_form(hours_without_staff="1"))
    report.refresh_from_db()
    assert report.hours_without_staff == 6.0


def test_the_mco_accepts_a_submitted_report(as_persona: Login) -> None:
    report = _draft(as_persona)
    as_persona("submitter").post(f"/reports/{report.report_id}/submit/")
    as_persona("mco_analyst").post(f"/reports/{report.report_id}/review/", {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted"


def test_the_mco_returns_a_report_only_with_a_comment(as_persona: Login) -> None:
    report = _draft(as_persona)
    as_persona("submitter").post(f"/reports/{report.report_id}/submit/")
    mco = as_persona("mco_analyst")
    mco.post(f"/reports/{report.report_id}/review/", {"decision": "return", "comment": " "})
    report.refresh_from_db()
    assert report.status == "submitted"
    mco.post(
        f"/reports/{report.report_id}/review/",
        {"decision": "return", "comment": "Give the reason backup was unavailable."},
    )
    report.refresh_from_db()
    assert (report.status, report.mco_comment) == (
        "returned",
        "Give the reason backup was unavailable.",
    )


def test_it_records_every_step_in_the_audit_trail(as_persona: Login) -> None:
    report = _draft(as_persona)
    client = as_persona("submitter")
    client.post(f"/reports/{report.report_id}/edit/", report_form(hours_without_staff="5"))
    client.post(f"/reports/{report.report_id}/submit/")
    as_persona("mco_analyst").get(f"/reports/{report.report_id}/")
    as_persona("mco_analyst").post(f"/reports/{report.report_id}/review/", {"decision": "accept"})
    actions = list(AuditEvent.objects.values_list("actor_username", "action"))
    assert actions == [
        ("sam", "create"),
        ("sam", "change"),
        ("sam", "submit"),
        ("ana", "view_identity"),
        ("ana", "accept"),
    ]
    change = AuditEvent.objects.get(action="change")
    assert change.before is not None
    assert change.after is not None
    assert (change.before["hours_without_staff"], change.after["hours_without_staff"]) == (6.0, 5.0)


def test_the_mco_filters_and_pages_all_reports(as_persona: Login) -> None:
    client = as_persona("submitter")
    for i in range(3):
        client.post("/reports/new/", report_form(member_medicaid_id=f"90000000{i}A"))
    first = Report.objects.order_by("id").first()
    assert first is not None
    client.post(f"/reports/{first.report_id}/submit/")
    mco = as_persona("mco_analyst")
    assert mco.get("/reports/").context["page"].count == 3
    submitted = mco.get("/reports/", {"status": "submitted"}).context["page"]
    assert [r.report_id for r in submitted] == [first.report_id]
    assert mco.get("/reports/", {"provider": "PRV002"}).context["page"].count == 0


def test_a_date_range_saves_one_draft_per_date(as_persona: Login) -> None:
    today = timezone.localdate()
    first = today - timedelta(days=3)
    response = as_persona("submitter").post(
        "/reports/new/",
        report_form(incident_date=first.isoformat(), last_date=today.isoformat()),
    )
    assert response.status_code == 302
    dates = sorted(Report.objects.values_list("incident_date", flat=True))
    assert dates == [first + timedelta(days=n) for n in range(4)]
    assert Report.objects.values("report_id").distinct().count() == 4
    assert AuditEvent.objects.filter(action="create").count() == 4


def test_a_date_range_into_the_future_is_refused_next_to_its_field(as_persona: Login) -> None:
    today = timezone.localdate()
    response = as_persona("submitter").post(
        "/reports/new/",
        report_form(
            incident_date=(today - timedelta(days=1)).isoformat(),
            last_date=(today + timedelta(days=2)).isoformat(),
        ),
    )
    assert "after today" in response.context["form"].errors["last_date"][0]
    assert not Report.objects.exists()


def test_a_range_refusal_does_not_use_up_report_ids(as_persona: Login) -> None:
    today = timezone.localdate()
    client = as_persona("submitter")
    too_long = report_form(
        incident_date=(today - timedelta(days=40)).isoformat(), last_date=today.isoformat()
    )
    assert (
        "more than 31"
        in client.post("/reports/new/", too_long).context["form"].errors["last_date"][0]
    )
    client.post("/reports/new/", report_form())
    assert Report.objects.get().report_id.endswith("-000001")


def test_an_evening_submission_in_north_carolina_is_not_in_the_future(
    as_persona: Login, personas: dict[str, User]
) -> None:
    # 21:30 in New York is 02:30 UTC the next day: the day of the submission is
    # the MCO's, so a report sent that evening is filed that day, not refused.
    report = _draft(as_persona)
    evening = datetime.combine(report.incident_date + timedelta(days=1), time(21, 30))
    now = timezone.make_aware(evening).astimezone(UTC)
    assert now.date() > evening.date()
    filing.submit(personas["submitter"], report, now=now, today=evening.date())
    report.refresh_from_db()
    assert report.status == "submitted"
    assert timezone.localtime(report.submitted_at).date() == evening.date()
