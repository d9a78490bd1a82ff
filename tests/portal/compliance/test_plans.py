"""Plans of correction: requested by the MCO for a late or missing period, answered, closed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client

from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import User
from carecover.portal.compliance.models import PlanOfCorrection
from tests.portal.compliance.conftest import FileReport, at

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _issue(client: Client, code: str, period: ReportingPeriod) -> int:
    response = client.post(
        "/compliance/plans/issue/",
        {"organisation": code, "period_start": period.start.isoformat()},
    )
    assert response.status_code == 302
    return response.status_code


def test_the_mco_requests_a_plan_for_a_missing_period_due_in_fifteen_days(
    as_persona: Login, past_period: ReportingPeriod, today: date
) -> None:
    client = as_persona("mco_analyst")
    page = client.get("/compliance/providers/").content.decode()
    assert f'id="issue-PRV001-{past_period.start}"' in page
    _issue(client, "PRV001", past_period)
    plan = PlanOfCorrection.objects.get()
    assert plan.due_on == today + timedelta(days=15)
    assert plan.corrections_due_on == today + timedelta(days=60)
    assert plan.period_status == "missing"
    assert "No Failure to Provide Backup Staffing report" in plan.area_out_of_compliance


def test_no_plan_is_requested_for_a_period_reported_on_time(
    as_persona: Login,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
) -> None:
    file_report(personas["submitter"], past_period.start, submitted=at(past_period.due))
    response = as_persona("mco_admin").post(
        "/compliance/plans/issue/",
        {"organisation": "PRV001", "period_start": past_period.start.isoformat()},
        follow=True,
    )
    assert "no Plan of Correction is needed" in response.content.decode()
    assert not PlanOfCorrection.objects.exists()


def test_the_provider_sees_the_plan_and_its_due_date_in_the_workspace(
    as_persona: Login, past_period: ReportingPeriod
) -> None:
    _issue(as_persona("mco_admin"), "PRV001", past_period)
    plan = PlanOfCorrection.objects.get()
    page = as_persona("manager").get("/compliance/").content.decode()
    assert f"/compliance/plans/{plan.pk}/" in page
    assert plan.due_on.isoformat() in page


def test_an_incomplete_answer_shows_each_missing_part_next_to_its_field(
    as_persona: Login, past_period: ReportingPeriod
) -> None:
    _issue(as_persona("mco_admin"), "PRV001", past_period)
    plan = PlanOfCorrection.objects.get()
    response = as_persona("submitter").post(
        f"/compliance/plans/{plan.pk}/answer/",
        {"area_out_of_compliance": "Late reports", "how_1": "Weekly check", "by_when_1": ""},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "a timetable date is required" in form.errors["by_when_1"]
    assert "name the responsible person" in form.errors["responsible_1"]
    plan.refresh_from_db()
    assert plan.status == "requested"


def test_a_complete_answer_goes_to_the_mco_who_closes_the_plan(
    as_persona: Login, past_period: ReportingPeriod, today: date
) -> None:
    _issue(as_persona("mco_admin"), "PRV001", past_period)
    plan = PlanOfCorrection.objects.get()
    answer = {
        "area_out_of_compliance": "Backup staffing reports were not filed",
        "how_1": "The coordinator files every Friday",
        "by_when_1": (today + timedelta(days=20)).isoformat(),
        "responsible_1": "Quality manager",
    }
    assert (
        as_persona("submitter").post(f"/compliance/plans/{plan.pk}/answer/", answer).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == "answered"
    assert plan.corrections[0]["responsible"] == "Quality manager"
    detail = as_persona("mco_analyst").get(f"/compliance/plans/{plan.pk}/").content.decode()
    assert 'id="close-plan"' in detail
    as_persona("mco_analyst").post(f"/compliance/plans/{plan.pk}/close/")
    plan.refresh_from_db()
    assert plan.status == "closed"


def test_a_plan_is_requested_once_per_period(
    as_persona: Login, past_period: ReportingPeriod
) -> None:
    client = as_persona("mco_admin")
    _issue(client, "PRV001", past_period)
    _issue(client, "PRV001", past_period)
    assert PlanOfCorrection.objects.count() == 1
