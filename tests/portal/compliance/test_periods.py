"""Reporting periods with their status, and attesting no incidents (page and service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from carecover.backup.compliance import ProviderPeriodStatus
from carecover.backup.periods import ReportingPeriod
from carecover.errors import RuleError
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.compliance import services
from carecover.portal.compliance.models import Attestation
from tests.portal.compliance.conftest import FileReport, at

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _status(org: Organisation, period: ReportingPeriod, today: date) -> ProviderPeriodStatus:
    rows = services.periods_for(org, as_of=today)
    return next(row.status for row in rows if row.period == period)


def test_a_period_with_nothing_filed_after_its_due_date_is_missing(
    orgs: dict[str, Organisation], past_period: ReportingPeriod, today: date
) -> None:
    assert _status(orgs["provider"], past_period, today) is ProviderPeriodStatus.MISSING


def test_the_periods_run_newest_first_about_six_months_back(
    orgs: dict[str, Organisation], today: date
) -> None:
    rows = services.periods_for(orgs["provider"], as_of=today)
    assert rows[0].period.contains(today)
    assert rows[0].status is ProviderPeriodStatus.DUE
    assert 12 <= len(rows) <= 14
    assert [r.period.start for r in rows] == sorted((r.period.start for r in rows), reverse=True)


def test_a_report_filed_on_time_marks_the_period_submitted_and_a_draft_does_not(
    personas: dict[str, User], file_report: FileReport, past_period: ReportingPeriod, today: date
) -> None:
    org = personas["submitter"].organisation
    assert org is not None
    file_report(personas["submitter"], past_period.start)
    assert _status(org, past_period, today) is ProviderPeriodStatus.MISSING
    file_report(personas["submitter"], past_period.end, submitted=at(past_period.due))
    assert _status(org, past_period, today) is ProviderPeriodStatus.REPORTED


def test_a_report_filed_after_the_due_date_makes_the_period_late(
    personas: dict[str, User], file_report: FileReport, past_period: ReportingPeriod, today: date
) -> None:
    file_report(
        personas["submitter"], past_period.start, submitted=at(past_period.due + timedelta(days=3))
    )
    row = next(
        r
        for r in services.periods_for(personas["submitter"].organisation, as_of=today)  # type: ignore[arg-type]
        if r.period == past_period
    )
    assert row.status is ProviderPeriodStatus.LATE
    assert row.days_late == 3


def test_the_attest_button_records_an_attestation_and_the_period_shows_it(
    as_persona: Login, orgs: dict[str, Organisation], past_period: ReportingPeriod, today: date
) -> None:
    client = as_persona("manager")
    page = client.get("/compliance/periods/").content.decode()
    assert f'id="attest-{past_period.start}"' in page
    response = client.post(
        "/compliance/periods/attest/", {"period_start": past_period.start.isoformat()}
    )
    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert (attestation.organisation, attestation.period_start) == (
        orgs["provider"],
        past_period.start,
    )
    # Attested after the due date: the domain calls that late.
    assert _status(orgs["provider"], past_period, today) is ProviderPeriodStatus.LATE
    page = client.get("/compliance/periods/").content.decode()
    assert f'id="attest-{past_period.start}"' not in page
    assert AuditEvent.objects.filter(object_type="attestation").count() == 1


def test_an_attestation_before_the_due_date_reads_attested_no_incidents(
    personas: dict[str, User],
    orgs: dict[str, Organisation],
    past_period: ReportingPeriod,
    today: date,
) -> None:
    services.attest_no_incidents(
        personas["eor"], orgs["eor"], past_period, now=at(past_period.end + timedelta(days=1))
    )
    assert _status(orgs["eor"], past_period, today) is ProviderPeriodStatus.ATTESTED_NONE
    page_row = "attested no incidents"
    client = Client()
    client.force_login(personas["eor"])
    assert page_row in client.get("/compliance/periods/").content.decode()


def test_a_period_with_a_filed_report_cannot_be_attested(
    personas: dict[str, User], file_report: FileReport, past_period: ReportingPeriod
) -> None:
    user = personas["submitter"]
    assert user.organisation is not None
    file_report(user, past_period.start, submitted=at(past_period.due))
    with pytest.raises(RuleError, match="nothing to attest"):
        services.attest_no_incidents(user, user.organisation, past_period.start)


def test_a_period_under_way_cannot_be_attested(
    personas: dict[str, User], today: date, as_persona: Login
) -> None:
    user = personas["submitter"]
    assert user.organisation is not None
    with pytest.raises(RuleError, match="attest once it is over"):
        services.attest_no_incidents(user, user.organisation, today)
    response = as_persona("submitter").post(
        "/compliance/periods/attest/", {"period_start": today.isoformat()}, follow=True
    )
    assert "attest once it is over" in response.content.decode()
    assert not Attestation.objects.exists()


def test_a_period_is_attested_only_once(
    personas: dict[str, User], past_period: ReportingPeriod
) -> None:
    user = personas["submitter"]
    assert user.organisation is not None
    services.attest_no_incidents(user, user.organisation, past_period)
    with pytest.raises(RuleError, match="already attested"):
        services.attest_no_incidents(personas["manager"], user.organisation, past_period.end)


@pytest.mark.parametrize("persona", ["other_provider", "eor", "mco_analyst"])
def test_nobody_attests_for_another_organisation(
    personas: dict[str, User],
    orgs: dict[str, Organisation],
    past_period: ReportingPeriod,
    persona: str,
) -> None:
    with pytest.raises(PermissionDenied):
        services.attest_no_incidents(personas[persona], orgs["provider"], past_period)
    assert not Attestation.objects.exists()


def test_the_workspace_lists_drafts_returned_reports_periods_and_plans(
    as_persona: Login,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
    today: date,
) -> None:
    draft = file_report(personas["submitter"], past_period.start)
    sent = file_report(personas["submitter"], past_period.end, submitted=at(past_period.due))
    from carecover.portal.incidents import filing

    filing.return_to_provider(
        personas["mco_analyst"],
        sent,
        comment="Give the reason backup was unavailable",
        now=at(today),
    )
    plan = services.issue_plan(
        personas["mco_admin"],
        personas["other_provider"].organisation,  # type: ignore[arg-type]
        past_period.start,
        today=today,
    )
    page = as_persona("submitter").get("/compliance/").content.decode()
    assert draft.report_id in page
    assert sent.report_id in page
    assert "Give the reason backup was unavailable" in page
    assert f"/reports/{sent.report_id}/edit/" in page
    assert 'id="periods-table"' in page
    assert f"/compliance/plans/{plan.pk}/" not in page  # another agency's plan
    other = as_persona("other_provider").get("/compliance/").content.decode()
    assert f"/compliance/plans/{plan.pk}/" in other
    assert draft.report_id not in other
