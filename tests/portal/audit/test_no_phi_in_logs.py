"""No PHI in logs: a whole filing flow, good input and bad, through the pages and the
API, while every logger is captured at DEBUG; no member name, SSN or date of birth."""

from __future__ import annotations

import logging
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
PHI = ("Casey", "Dixon", "1980-05-17", "05/17/1980", "123-45-6789", "123456789", "900001234A")


def test_a_filing_flow_writes_no_member_data_to_any_log(
    as_persona: Login, api_as: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider, mco, vendor = as_persona("submitter"), as_persona("mco_analyst"), api_as("manager")
    # Pages: a refused form, a draft with an SSN, a search, a submit, a review.
    provider.post(
        "/reports/new/", report_form(incident_date="2999-01-01", member_ssn="123-45-6789")
    )
    provider.post("/reports/new/", report_form(member_ssn="123-45-6789"))
    report_id = Report.objects.get().report_id
    provider.post("/reports/members/", {"member_last_name": "Dixon", "member_first_name": "Casey"})
    provider.post(f"/reports/{report_id}/submit/")
    mco.get(f"/reports/{report_id}/")
    mco.post(f"/reports/{report_id}/review/", {"decision": "return", "comment": "Add times"})
    # API: a malformed body, a refused report, a good one, another org's look-up.
    member = {**report_payload()["member"], "date_of_birth": "Dixon 123-45-6789"}
    vendor.post("/api/reports", report_payload(member=member), content_type=JSON)
    vendor.post("/api/reports", report_payload(incident_date="2999-01-01"), content_type=JSON)
    # Another day: the page filed this member's incident of yesterday already.
    other_day = (timezone.localdate() - timedelta(days=2)).isoformat()
    created = vendor.post(
        "/api/reports", report_payload(incident_date=other_day), content_type=JSON
    ).json()
    vendor.post(f"/api/reports/{created['report_id']}/submit")
    vendor.put(
        f"/api/reports/{created['report_id']}",
        report_payload(incident_date=other_day),
        content_type=JSON,
    )
    api_as("other_provider").get(f"/api/reports/{report_id}")
    # caplog.text is formatted: messages, their arguments and any traceback.
    logged = caplog.text
    assert caplog.records  # the flow did log (4xx responses), so the check means something
    for value in PHI:
        assert value not in logged, value
