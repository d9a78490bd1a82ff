"""The compliance clock through the portal: first submission, learned-on date, effective date,
the MCO's scheme and contact (issue 13 §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from carecover.backup.compliance import ProviderPeriodStatus
from carecover.backup.periods import ReportingPeriod
from carecover.errors import RuleError
from carecover.portal.accounts.models import User
from carecover.portal.compliance import services
from carecover.portal.incidents import filing
from carecover.portal.incidents.models import Report, ReportVersion
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.compliance.conftest import FileReport, at
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def status(user: User, period: ReportingPeriod, today: date) -> ProviderPeriodStatus:
    assert user.organisation is not None
    rows = services.periods_for(user.organisation, as_of=today, first=period.start)
    return next(r for r in rows if r.period == period).status


def test_a_correction_the_mco_asked_for_after_the_due_date_does_not_make_the_period_late(
    personas: dict[str, User], file_report: FileReport, past_period: ReportingPeriod, today: date
) -> None:
    submitter, mco = personas["submitter"], personas["mco_analyst"]
    row = file_report(submitter, past_period.start, submitted=at(past_period.due))
    row = filing.return_to_provider(
        mco, row, comment="the hours are wrong", now=at(past_period.due + timedelta(days=1))
    )
    corrected = filing.submit(
        submitter, row, now=at(past_period.due + timedelta(days=3)), today=today
    )
    assert status(submitter, past_period, today) is ProviderPeriodStatus.REPORTED
    # Each submission keeps its own time in the history; the first decides.
    submitted = ReportVersion.objects.filter(report=corrected, status="submitted")
    times = sorted(v.snapshot["submitted_at"] for v in submitted)
    assert len(times) == 2
    assert Report.objects.get(pk=corrected.pk).first_submitted_at == at(past_period.due)


def test_a_report_learned_of_later_is_on_time_by_the_deadline_of_the_period_it_was_learned_in(
    personas: dict[str, User], file_report: FileReport, today: date
) -> None:
    submitter = personas["submitter"]
    first = services.scheme().period_for(today - timedelta(days=60))
    later = services.scheme().period_for(first.end + timedelta(days=1))
    file_report(
        submitter,
        first.start,
        submitted=at(later.due),
        learned_on=later.start.isoformat(),
    )
    assert status(submitter, first, today) is ProviderPeriodStatus.REPORTED


def test_the_form_keeps_the_learned_on_date_and_refuses_one_before_the_incident(
    as_persona: Login, today: date
) -> None:
    client = as_persona("submitter")
    day = today - timedelta(days=5)
    bad = client.post(
        "/reports/new/",
        report_form(incident_date=day.isoformat(), learned_on=(day - timedelta(days=1))),
    )
    assert "cannot be before the incident date" in str(bad.context["form"].errors)
    good = client.post(
        "/reports/new/",
        report_form(incident_date=day.isoformat(), learned_on=(today - timedelta(days=1))),
    )
    assert good.status_code == 302
    assert Report.objects.get().learned_on == today - timedelta(days=1)


def test_the_api_keeps_the_learned_on_date_and_refuses_one_before_the_incident(
    api_as: ApiClient, today: date
) -> None:
    day = today - timedelta(days=5)
    client = api_as("submitter")
    bad = report_payload(incident_date=day.isoformat(), learned_on=str(day - timedelta(days=1)))
    refused = client.post("/api/reports", bad, content_type="application/json")
    assert refused.status_code == 422
    assert "cannot be before the incident date" in refused.content.decode()
    good = report_payload(incident_date=day.isoformat(), learned_on=str(today))
    created = client.post("/api/reports", good, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["learned_on"] == today.isoformat()


def test_periods_before_reporting_was_required_are_not_listed_as_missing(
    personas: dict[str, User], today: date
) -> None:
    org = personas["submitter"].organisation
    assert org is not None
    required = services.profile().required_from
    rows = services.periods_for(
        org, as_of=today, first=required - timedelta(days=90), last=required + timedelta(days=20)
    )
    assert rows
    assert min(r.period.start for r in rows) == required


def test_the_portal_offers_the_scheme_configured_for_the_mco(
    as_persona: Login, settings: Any, tmp_path: Path, today: date
) -> None:
    shipped = Path(services.__file__).parents[2] / "data" / "backup" / "mco.toml"
    text = shipped.read_text("utf-8").replace(
        'scheme = "semi-monthly"', 'scheme = "14-day"\nanchor = 2022-07-04'
    )
    (tmp_path / "mco.toml").write_text(text, "utf-8")
    settings.CARECOVER_MCO_PROFILE = str(tmp_path / "mco.toml")
    services.profile.cache_clear()
    try:
        page = as_persona("submitter").get("/compliance/periods/").content.decode()
        assert "14-day cycles from 2022-07-04" in page
        period = services.scheme().period_for(today)
        assert (period.end - period.start).days == 13
        assert (period.start - date(2022, 7, 4)).days % 14 == 0
    finally:
        services.profile.cache_clear()


@pytest.mark.parametrize("persona", ["submitter", "eor", "mco_analyst"])
def test_the_help_page_names_the_mcos_contact_for_questions(
    as_persona: Login, persona: str
) -> None:
    page = as_persona(persona).get("/compliance/help/").content.decode()
    assert "Renae Cheek" in page
    assert "backupstaffing@partnersbhm.org" in page


def test_the_help_page_needs_a_sign_in(as_persona: Login) -> None:
    assert as_persona("anonymous").get("/compliance/help/").status_code == 302


def test_the_service_typeahead_offers_only_codes_in_effect_on_the_incident_date(
    as_persona: Login,
) -> None:
    client = as_persona("submitter")
    before = client.get(
        "/reports/services/", {"service_code": "H0045", "incident_date": "2023-06-30"}
    ).content.decode()
    after = client.get(
        "/reports/services/", {"service_code": "H0045", "incident_date": "2023-07-01"}
    ).content.decode()
    assert '<option value="H0045U4HA">' in before
    assert '<option value="H0045U4HA">' not in after
    assert '<option value="H0045HA">' in after
    half_typed = client.get(
        "/reports/services/", {"service_code": "H0045", "incident_date": "2023-0"}
    )
    assert half_typed.status_code == 200


def test_the_mco_sees_each_providers_compliance_rate_and_attested_periods(
    as_persona: Login,
    personas: dict[str, User],
    file_report: FileReport,
    past_period: ReportingPeriod,
    today: date,
) -> None:
    submitter = personas["submitter"]
    assert submitter.organisation is not None
    file_report(submitter, past_period.start, submitted=at(past_period.due))
    earlier = services.scheme().period_for(past_period.start - timedelta(days=1))
    eor = personas["eor"]
    assert eor.organisation is not None
    services.attest_no_incidents(eor, eor.organisation, earlier, now=at(earlier.due))
    html = as_persona("mco_admin").get("/compliance/providers/").content.decode()
    start = html.index('<tr id="rate-PRV001">')
    row = html[start : html.index("</tr>", start)]
    rows = services.compliance_rows(
        [submitter.organisation],
        today - timedelta(days=services.HISTORY_DAYS),
        today,
        as_of=today,
    )
    due = sum(1 for r in rows if r.status is not ProviderPeriodStatus.DUE)
    assert f'<td class="num">{due}</td><td class="num">1</td><td class="num">0</td>' in row
    eor_row = html[html.index('<tr id="rate-EOR001">') :]
    assert '<td class="num">1</td><td class="num">1</td>' in eor_row[: eor_row.index("</tr>")]


def test_no_plan_of_correction_for_a_period_before_reporting_was_required(
    personas: dict[str, User], today: date
) -> None:
    org = personas["submitter"].organisation
    assert org is not None
    before = services.profile().required_from - timedelta(days=20)
    with pytest.raises(RuleError, match="before reporting was required"):
        services.issue_plan(personas["mco_admin"], org, before, today=today)
