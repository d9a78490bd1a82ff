"""The roll-up pages show carecover.backup.rollup's numbers; downloads are safe spreadsheets."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from carecover.backup.compliance import ProviderRef
from carecover.backup.rollup import RollupKind, build_rollup
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.compliance import services
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.models import Report
from tests.portal.compliance.conftest import FileReport, at

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture
def last_month(today: date) -> date:
    """The first day of last month."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def filed(personas: dict[str, User], file_report: FileReport, last_month: date) -> list[Report]:
    """Reports of two agencies and an EOR last month: on time, late, a draft, declined."""
    due = services.scheme().period_for(last_month).due
    return [
        file_report(personas["submitter"], last_month, submitted=at(due)),
        file_report(personas["manager"], last_month + timedelta(days=1), submitted=at(due),
                    hours_without_staff="3.5", reason="other",
                    reason_other="Agency car broke down"),
        file_report(personas["other_provider"], last_month + timedelta(days=2),
                    submitted=at(due + timedelta(days=4)), member_medicaid_id="900005555B"),
        file_report(personas["eor"], last_month + timedelta(days=16), submitted=at(today_or(due)),
                    backup_status="offered_declined", reason="", declined_by="member",
                    declined_reason="Wanted a familiar worker"),
        file_report(personas["submitter"], last_month + timedelta(days=3)),  # a draft: not counted
    ]  # fmt: skip


def today_or(day: date) -> date:
    """``day``, no later than today."""
    from django.utils import timezone

    return min(day, timezone.localdate())


def _expected(kind: RollupKind, period: str, today: date):  # type: ignore[no-untyped-def]
    reports = [to_domain(r) for r in Report.objects.select_related("member", "site")]
    orgs = Organisation.objects.exclude(kind=OrganisationKind.MCO)
    return build_rollup(
        kind,
        reports,
        period,
        as_of=today,
        attestations=[],
        providers=[ProviderRef(o.code, o.name, o.kind) for o in orgs],
        scheme=services.scheme(),
    )


@pytest.mark.parametrize("kind", list(RollupKind))
def test_the_page_shows_the_same_numbers_as_the_rollup(
    as_persona: Login, filed: list[Report], last_month: date, today: date, kind: RollupKind
) -> None:
    period = last_month.strftime("%Y-%m")
    response = as_persona("mco_analyst").get(f"/compliance/reports/{kind}/", {"period": period})
    assert response.status_code == 200
    expected = _expected(kind, period, today)
    shown = response.context["rollup"]
    assert shown == expected
    assert shown.figure("reports").value == 4
    page = response.content.decode()
    for figure in expected.figures:
        value = "n/a" if figure.value is None else str(figure.value)
        assert (
            f'<tr id="figure-{figure.name}"><td>{figure.label}</td>'
            f'<td class="num value">{value}</td>' in page
        )


def test_the_page_draws_the_four_charts_as_inline_svg_without_inline_style_or_script(
    as_persona: Login, filed: list[Report], last_month: date
) -> None:
    response = as_persona("mco_admin").get(
        "/compliance/reports/monthly/", {"period": last_month.strftime("%Y-%m")}
    )
    page = response.content.decode()
    for chart in ("chart-by-reason", "chart-by-provider", "chart-trend", "chart-hours"):
        assert f'id="{chart}"' in page
    assert page.count("<svg") == 4
    assert "<rect" in page
    assert "style=" not in page
    assert "<style" not in page
    assert "<script>" not in page
    assert '<script src="http' not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_period_that_cannot_be_read_is_shown_next_to_the_field(as_persona: Login) -> None:
    response = as_persona("mco_admin").get("/compliance/reports/quarterly-hrc/", {"period": "soon"})
    assert response.status_code == 400
    assert "expected a quarter like 2026Q4" in response.context["form"].errors["period"][0]


def test_an_unknown_rollup_kind_is_not_found(as_persona: Login) -> None:
    assert as_persona("mco_admin").get("/compliance/reports/weekly/").status_code == 404


def test_the_print_page_has_no_navigation_and_uses_the_print_stylesheet(
    as_persona: Login, filed: list[Report], last_month: date
) -> None:
    page = (
        as_persona("mco_admin")
        .get("/compliance/reports/quarterly-state/print/", {"period": last_month.strftime("%Y-%m")})
        .content.decode()
    )
    assert "Quarterly report to the State" in page
    assert "Sign out" not in page
    assert "portal/workspace.css" in page


@pytest.fixture
def hostile(orgs: dict[str, Organisation], file_report: FileReport, last_month: date) -> Report:
    """A report from an agency whose name is a spreadsheet formula."""
    org = Organisation.objects.create(name=INJECTION, kind=OrganisationKind.PROVIDER, code="PRV666")
    user = User.objects.create_user("mal", password=None, organisation=org, role=Role.SUBMITTER)
    return file_report(user, last_month, submitted=at(services.scheme().period_for(last_month).due))


def test_the_csv_download_neutralises_formula_injection(
    as_persona: Login, hostile: Report, last_month: date
) -> None:
    response = as_persona("mco_analyst").get(
        "/compliance/reports/quarterly-hrc/download.csv", {"period": last_month.strftime("%Y-%m")}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "'" + INJECTION in text
    assert "\n" + INJECTION not in text
    assert "," + INJECTION not in text


def test_the_xlsx_download_neutralises_formula_injection(
    as_persona: Login, hostile: Report, last_month: date
) -> None:
    response = as_persona("mco_analyst").get(
        "/compliance/reports/monthly/download.xlsx", {"period": last_month.strftime("%Y-%m")}
    )
    book = load_workbook(io.BytesIO(response.content))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "'" + INJECTION in cells
    assert INJECTION not in cells


def test_the_compliance_csv_neutralises_formula_injection(
    as_persona: Login, hostile: Report
) -> None:
    text = as_persona("mco_admin").get("/compliance/providers/download.csv").content.decode()
    assert "'" + INJECTION in text
    assert "," + INJECTION not in text


def test_every_download_is_audited(as_persona: Login, filed: list[Report]) -> None:
    from carecover.portal.audit.models import AuditEvent

    client = as_persona("mco_admin")
    client.get("/compliance/reports/monthly/download.csv")
    client.get("/compliance/reports/quarterly-hrc/download.xlsx")
    client.get("/compliance/providers/download.csv")
    exports = AuditEvent.objects.filter(action="export", actor_username="adam")
    assert sorted(e.object_type for e in exports) == ["compliance", "rollup", "rollup"]
