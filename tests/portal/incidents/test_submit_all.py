""" "Submit all" (issue 13 §1): a date range's drafts submitted together, each still checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.incidents.models import Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
JSON = "application/json"


def _drafts(as_persona: Login) -> dict[str, str]:
    """Three drafts of the last three days; the middle one not ready (reason 'other', no why)."""
    today = timezone.localdate()
    days = {today - timedelta(days=n): n for n in (1, 2, 3)}
    for day, n in days.items():
        fields = {"incident_date": day.isoformat()}
        response = as_persona("submitter").post("/reports/new/", report_form(**fields))
        assert response.status_code == 302
        if n == 2:
            # A draft made incomplete later (e.g. a field the MCO's list dropped): stored as is.
            Report.objects.filter(incident_date=day).update(reason="other", reason_other=None)
    return {r.report_id: r.incident_date.isoformat() for r in Report.objects.all()}


@pytest.mark.parametrize("channel", ["page", "api"])
def test_submit_all_submits_each_ready_draft_of_the_range_and_names_the_one_not_ready(
    channel: str, as_persona: Login, api_as: ApiClient
) -> None:
    _drafts(as_persona)
    today = timezone.localdate()
    first, last = (today - timedelta(days=2)).isoformat(), (today - timedelta(days=1)).isoformat()
    if channel == "page":
        response = as_persona("submitter").post(
            "/reports/submit-all/", {"incident_from": first, "incident_to": last}, follow=True
        )
        text = response.content.decode()
        assert "1 submitted to the MCO" in text
        assert "stays a draft" in text
        assert "reason_other" in text
    else:
        response = api_as("submitter").post(
            "/api/reports/submit-all",
            {"incident_from": first, "incident_to": last},
            content_type=JSON,
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["submitted"]) == 1
        assert len(body["refused"]) == 1
        assert "reason_other" in next(iter(body["refused"].values()))
    statuses = {r.incident_date: r.status for r in Report.objects.all()}
    assert statuses == {
        today - timedelta(days=1): "submitted",
        today - timedelta(days=2): "draft",  # not ready: checked, kept
        today - timedelta(days=3): "draft",  # outside the range
    }


@pytest.mark.parametrize("channel", ["page", "api"])
def test_submit_all_never_touches_another_organisations_drafts(
    channel: str, as_persona: Login, api_as: ApiClient
) -> None:
    _drafts(as_persona)
    first = (timezone.localdate() - timedelta(days=5)).isoformat()
    last = timezone.localdate().isoformat()
    if channel == "page":
        as_persona("other_provider").post(
            "/reports/submit-all/", {"incident_from": first, "incident_to": last}
        )
    else:
        response = api_as("other_provider").post(
            "/api/reports/submit-all",
            {"incident_from": first, "incident_to": last},
            content_type=JSON,
        )
        assert response.json() == {"submitted": [], "refused": {}}
    assert set(Report.objects.values_list("status", flat=True)) == {"draft"}


def test_submit_all_is_for_filing_roles(as_persona: Login, api_as: ApiClient) -> None:
    day = timezone.localdate().isoformat()
    page = as_persona("mco_analyst").post(
        "/reports/submit-all/", {"incident_from": day, "incident_to": day}
    )
    assert page.status_code == 403
    api = api_as("mco_analyst").post(
        "/api/reports/submit-all", {"incident_from": day, "incident_to": day}, content_type=JSON
    )
    assert api.status_code == 403
    assert report_payload()  # the API helpers are the same as the other tests'
