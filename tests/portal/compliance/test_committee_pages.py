"""The roll-up pages as a committee reads them (issue 13 §5): labels not codes, the QoC
snapshot's incident list, the HRC's audited member tables, the State's suppressed cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.compliance import report_views, services
from carecover.portal.incidents.models import Report
from tests.portal.compliance.conftest import FileReport, at

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture
def month(today: date) -> date:
    """The first day of last month."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def filed(personas: dict[str, User], file_report: FileReport, month: date) -> list[Report]:
    """Last month: two reports for one member, one for another, an EOR's declined one."""
    due = services.scheme().period_for(month).due
    return [
        file_report(personas["submitter"], month, submitted=at(due)),
        file_report(personas["submitter"], month + timedelta(days=1), submitted=at(due),
                    reason="no_staff_in_area"),
        file_report(personas["other_provider"], month + timedelta(days=2), submitted=at(due),
                    member_medicaid_id="900005555B"),
        file_report(personas["eor"], month + timedelta(days=3), submitted=at(due),
                    backup_status="offered_declined", reason="", member_medicaid_id="900007777C",
                    declined_by="legally_responsible_person",
                    declined_reason="Wanted a familiar worker"),
    ]  # fmt: skip


def page(client: Client, kind: str, month: date) -> str:
    response = client.get(f"/compliance/reports/{kind}/", {"period": month.strftime("%Y-%m")})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, table_id: str) -> str:
    start = html.index(f'<table id="{table_id}">')
    return html[start : html.index("</table>", start)]


def test_the_pages_show_labels_for_reasons_services_statuses_and_reporter_kinds(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    html = page(as_persona("mco_analyst"), "monthly", month)
    reasons = section(html, "table-by_reason")
    assert "<th>Reason</th>" in reasons
    assert "Short notice" in reasons
    assert "No staff in the member&#x27;s area" in reasons or "No staff in the member's area" in (
        reasons
    )
    assert "Declined by the legally responsible person" in reasons
    assert "Backup staff offered but declined" in reasons
    for code in ("short_notice", "no_staff_in_area", "declined_by_", "offered_declined"):
        assert f">{code}<" not in html
    services_table = section(html, "table-by_service")
    assert "Community Living and Supports (individual)" in services_table
    providers = section(html, "table-by_provider")
    assert "Employer of Record" in providers
    assert "Provider agency" in providers
    assert "<th>Compliance rate (%)</th>" in providers


def test_the_monthly_snapshot_lists_every_report_of_the_month_beside_the_figures(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    html = page(as_persona("mco_admin"), "monthly", month)
    details = section(html, "table-details")
    for header in ("Report id", "Provider / EOR", "Service", "Incident date",
                   "Hours without staff", "Status", "Reason"):  # fmt: skip
        assert f"<th>{header}</th>" in details
    for report in filed:
        assert report.report_id in details
    assert "Submitted" in details
    assert "Casey" not in details  # no member names on committee papers


def test_the_monthly_download_keeps_codes_in_their_own_column_beside_labels(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    response = as_persona("mco_admin").get(
        "/compliance/reports/monthly/download.csv", {"period": month.strftime("%Y-%m")}
    )
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    start = lines.index(["# Every report of the month"])
    header = lines[start + 1]
    assert header[:3] == ["Report id", "Provider / EOR number", "Provider / EOR"]
    rows = [dict(zip(header, line, strict=True)) for line in lines[start + 2 : start + 6]]
    assert {r["Reason (code)"] for r in rows} >= {"short_notice", "no_staff_in_area"}
    assert {r["Reason"] for r in rows} >= {"Short notice", "No staff in the member's area"}
    assert {r["Report id"] for r in rows} == {r.report_id for r in filed}


def test_the_state_report_suppresses_small_cells_and_names_no_employer_of_record(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    html = page(as_persona("mco_analyst"), "quarterly-state", month)
    providers = section(html, "table-by_provider")
    assert "&lt;11" in providers
    assert "Employers of Record (1)" in providers
    assert "Avery Allen" not in html
    assert "Piedmont Community Supports" not in html
    assert "900001234A" not in html
    reasons = section(html, "table-by_reason")
    assert "&lt;11" in reasons


def test_the_hrc_report_shows_members_to_the_mco_and_records_who_looked(
    as_persona: Login, personas: dict[str, User], filed: list[Report], month: date
) -> None:
    html = page(as_persona("mco_analyst"), "quarterly-hrc", month)
    assert "900001234A" in section(html, "table-repeated_members")
    assert "900001234A" in section(html, "table-member_trend")
    viewed = AuditEvent.objects.filter(action="view_identity", object_type="rollup")
    assert viewed.get().actor_id == personas["mco_analyst"].pk


@pytest.mark.parametrize("persona", ["submitter", "eor", "anonymous"])
def test_only_the_mco_opens_the_hrc_report(as_persona: Login, persona: str) -> None:
    response = as_persona(persona).get("/compliance/reports/quarterly-hrc/")
    assert response.status_code in (302, 403)
    assert not AuditEvent.objects.filter(action="view_identity", object_type="rollup").exists()


def test_a_long_incident_list_is_cut_on_the_page_and_whole_in_the_download(
    as_persona: Login, filed: list[Report], month: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_views, "PAGE_ROWS", 2)
    client = as_persona("mco_admin")
    html = page(client, "monthly", month)
    assert section(html, "table-details").count("<tr>") == 1 + 2  # header and two rows
    assert "2 more in the CSV and XLSX downloads" in html
    text = client.get(
        "/compliance/reports/monthly/download.csv", {"period": month.strftime("%Y-%m")}
    ).content.decode()
    assert all(r.report_id in text for r in filed)


def test_the_hrc_report_lists_incidents_with_harm_in_words_beside_the_member(
    as_persona: Login, personas: dict[str, User], file_report: FileReport, month: date
) -> None:
    due = services.scheme().period_for(month).due
    harmed = file_report(personas["submitter"], month, submitted=at(due), harm="on")
    file_report(personas["submitter"], month + timedelta(days=1), submitted=at(due))
    html = page(as_persona("mco_analyst"), "quarterly-hrc", month)
    table = section(html, "table-harm")
    assert harmed.report_id in table
    assert table.count("<tr>") == 2  # the header and the one incident with harm
    assert "900001234A" in table
    assert "Short notice" in table
    assert "short_notice" not in table
    assert 'id="figure-harm"' in html
    assert AuditEvent.objects.filter(action="view_identity", object_type="rollup").exists()


def test_the_state_report_shows_timeliness_against_the_standard_without_naming_anyone(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    client = as_persona("mco_analyst")
    html = page(client, "quarterly-state", month)
    table = section(html, "table-timeliness")
    assert "Reports filed on time (%)" in table
    assert "Meets the standard" in table
    assert "All providers and Employers of Record" in table
    assert "&lt;11" in table  # each provider serves fewer than 11 members here
    assert "Piedmont Community Supports" not in table
    assert "Avery Allen" not in table
    text = client.get(
        "/compliance/reports/quarterly-state/download.csv", {"period": month.strftime("%Y-%m")}
    ).content.decode()
    assert "Incident timeliness" in text
    assert "Standard (%)" in text


def test_periods_before_an_organisation_started_reporting_are_not_missing(
    as_persona: Login, filed: list[Report], month: date
) -> None:
    earlier = (month - timedelta(days=1)).replace(day=1)
    before = page(as_persona("mco_analyst"), "monthly", earlier)
    services.reporting_organisations().update(reporting_since=month)
    after = page(as_persona("mco_analyst"), "monthly", earlier)
    missing = '<tr id="figure-missing_submissions"><td>Missing provider-periods</td>'
    assert f'{missing}<td class="num value">0</td>' not in before
    assert f'{missing}<td class="num value">0</td>' in after
