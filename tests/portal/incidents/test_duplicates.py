"""One report per incident, on every path: form and API, create, change and submit.

``backup.duplicates`` decides; the portal calls it on each path and the
database's unique ``filed_incident`` holds when two submissions race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from carecover.errors import RuleError
from carecover.portal.accounts.models import User
from carecover.portal.incidents import filing
from carecover.portal.incidents.conversion import apply
from carecover.portal.incidents.models import Report, ReportVersion
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

Login = Callable[[str], Client]
JSON = "application/json"
#: Another service, scheduled most of the day.
LONG_DAY = {"service_code": "H2015", "scheduled_start": "00:00", "scheduled_end": "23:00"}


@pytest.fixture
def first(db: None, as_persona: Login) -> Report:
    """The submitter's draft: Casey Dixon, yesterday, T2013TF, 6 hours."""
    assert as_persona("submitter").post("/reports/new/", report_form()).status_code == 302
    return Report.objects.get()


def _twin(row: Report, user: User) -> Report:
    """A second draft of the same incident, stored as a file import of old might have."""
    twin = Report(organisation=row.organisation, member=row.member, site=row.site, created_by=user)
    from carecover.portal.incidents.conversion import to_domain

    report = to_domain(row)
    apply(twin, report)
    twin.report_id = row.report_id[:-1] + "9"
    twin.save()
    ReportVersion.objects.create(
        report=twin, version=1, status="draft", snapshot={}, recorded_by=user
    )
    return twin


@pytest.mark.django_db
def test_the_form_refuses_a_second_report_of_one_incident_naming_the_first(
    as_persona: Login, first: Report
) -> None:
    response = as_persona("manager").post("/reports/new/", report_form(hours_without_staff="2"))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert f"duplicates {first.report_id}" in errors[0]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_the_api_refuses_a_second_report_of_one_incident_with_409(
    api_as: ApiClient, first: Report
) -> None:
    response = api_as("submitter").post("/api/reports", report_payload(), content_type=JSON)
    assert response.status_code == 409
    assert f"correct {first.report_id} instead" in response.json()["detail"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_range_with_one_duplicate_date_saves_nothing(as_persona: Login, first: Report) -> None:
    start = first.incident_date - timedelta(days=2)
    form = report_form(incident_date=start.isoformat(), last_date=first.incident_date.isoformat())
    response = as_persona("submitter").post("/reports/new/", form)
    assert response.status_code == 200
    assert Report.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["form", "api"])
def test_changing_a_draft_into_a_duplicate_is_refused(
    as_persona: Login, api_as: ApiClient, first: Report, channel: str
) -> None:
    other_day = (first.incident_date - timedelta(days=1)).isoformat()
    second = as_persona("submitter").post("/reports/new/", report_form(incident_date=other_day))
    assert second.status_code == 302
    row = Report.objects.exclude(pk=first.pk).get()
    if channel == "form":
        response = as_persona("submitter").post(f"/reports/{row.report_id}/edit/", report_form())
        assert response.status_code == 200
        assert first.report_id in str(response.context["form"].non_field_errors())
    else:
        response = api_as("submitter").put(
            f"/api/reports/{row.report_id}", report_payload(), content_type=JSON
        )
        assert response.status_code == 409
    row.refresh_from_db()
    assert row.incident_date.isoformat() == other_day
    assert row.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["form", "api"])
def test_submitting_a_duplicate_is_refused_naming_the_other_report(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    first: Report,
    channel: str,
) -> None:
    twin = _twin(first, personas["submitter"])
    assert as_persona("submitter").post(f"/reports/{first.report_id}/submit/").status_code == 302
    if channel == "form":
        page = as_persona("submitter").post(f"/reports/{twin.report_id}/submit/", follow=True)
        assert f"duplicates {first.report_id}" in page.content.decode()
    else:
        response = api_as("submitter").post(f"/api/reports/{twin.report_id}/submit")
        assert response.status_code == 409
        assert first.report_id in response.json()["detail"]
    twin.refresh_from_db()
    assert twin.status == "draft"
    assert Report.objects.filter(status="submitted").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["form", "api"])
def test_a_members_reports_for_one_date_never_add_up_to_more_than_24_hours(
    as_persona: Login, api_as: ApiClient, first: Report, channel: str
) -> None:
    # Another service the same day: not a duplicate, but 6 + 20 hours is more than a day.
    if channel == "form":
        form = report_form(**LONG_DAY, hours_without_staff="20")
        response = as_persona("submitter").post("/reports/new/", form)
        assert response.status_code == 200
        assert "26 hours" in str(response.context["form"].non_field_errors())
    else:
        payload = report_payload(**LONG_DAY, hours_without_staff=20)
        response = api_as("submitter").post("/api/reports", payload, content_type=JSON)
        assert response.status_code == 409
        assert first.report_id in response.json()["detail"]
    assert Report.objects.count() == 1
    ok = report_form(**LONG_DAY, hours_without_staff="18")
    assert as_persona("submitter").post("/reports/new/", ok).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["form", "api"])
@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_another_organisations_report_of_the_day_neither_blocks_nor_shows(
    as_persona: Login, api_as: ApiClient, first: Report, channel: str, persona: str
) -> None:
    # The same incident, then 6 + 18 hours (30 with PRV001's 6): each organisation's
    # guards count only its own reports, and the answer says nothing of PRV001's.
    contact = {"name": "Pat Lee", "phone": "919-555-0100", "email": "pat@example.org"}
    for changes in ({}, {**LONG_DAY, "hours_without_staff": 18}):
        if channel == "form":
            form = report_form(site="", contact_email=contact["email"], **changes)
            response = as_persona(persona).post("/reports/new/", form, follow=True)
            assert response.status_code == 200
        else:
            payload = report_payload(site_id=None, contact=contact, **changes)
            response = api_as(persona).post("/api/reports", payload, content_type=JSON)
            assert response.status_code == 201
        assert first.report_id not in response.content.decode()
    assert Report.objects.exclude(pk=first.pk).count() == 2
    first.refresh_from_db()
    assert (first.version, first.hours_without_staff) == (1, 6)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "marked"), [("mco_analyst", True), ("submitter", False)])
def test_the_mco_list_marks_probable_duplicates_across_providers(
    as_persona: Login, first: Report, persona: str, marked: bool
) -> None:
    form = report_form(site="", contact_email="quality@prv002.example", hours_without_staff="3")
    assert as_persona("other_provider").post("/reports/new/", form).status_code == 302
    theirs = Report.objects.exclude(pk=first.pk).get()
    page = as_persona(persona).get("/reports/").content.decode()
    assert ("Probable duplicate: " + theirs.report_id in page) is marked
    if marked:
        assert "Probable duplicate: " + first.report_id in page
    else:
        assert theirs.report_id not in page


@pytest.mark.django_db
def test_the_mco_list_does_not_mark_another_day_or_the_same_provider(
    as_persona: Login, first: Report
) -> None:
    other_day = (first.incident_date - timedelta(days=1)).isoformat()
    form = report_form(site="", contact_email="x@prv002.example", incident_date=other_day)
    assert as_persona("other_provider").post("/reports/new/", form).status_code == 302
    same_org = report_form(service_code="H2015", hours_without_staff="2")
    assert as_persona("submitter").post("/reports/new/", same_org).status_code == 302
    assert "Probable duplicate" not in as_persona("mco_admin").get("/reports/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_incident_cannot_both_pass(
    as_persona: Login, personas: dict[str, User]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions: run on PostgreSQL")
    assert as_persona("submitter").post("/reports/new/", report_form()).status_code == 302
    first = Report.objects.get()
    twin = _twin(first, personas["submitter"])
    user = personas["submitter"]
    today = timezone.localdate()
    both_checked = threading.Barrier(2, timeout=10)
    outcome: dict[str, str] = {}

    def submit_first() -> None:
        try:
            with transaction.atomic():
                filing.submit(user, first, now=timezone.now(), today=today)
                # Hold the transaction open until the other one has passed the guard.
                both_checked.wait()
                threading.Event().wait(0.5)
            outcome["first"] = "submitted"
        finally:
            connections.close_all()

    def submit_twin() -> None:
        try:
            both_checked.wait()
            filing.submit(user, twin, now=timezone.now(), today=today)
            outcome["twin"] = "submitted"
        except RuleError as exc:
            outcome["twin"] = str(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit_first), threading.Thread(target=submit_twin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["first"] == "submitted"
    assert f"duplicates {first.report_id}" in outcome["twin"]
    assert list(Report.objects.filter(status="submitted").values_list("pk", flat=True)) == [
        first.pk
    ]
