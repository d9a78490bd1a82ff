"""The reporting-periods page's download: a period's reports in the configured MCO's layout,
made by the same library function as ``carecover backup export``, for the user's own
organisation only, audited."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from carecover.backup.mco import resolve_mco_profile
from carecover.backup.mco_export import export_period
from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.compliance import services
from carecover.portal.compliance.models import Attestation
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.models import Report
from tests.portal.compliance.conftest import FileReport, at

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
SHIPPED = Path(services.__file__).parents[2] / "data" / "backup"


@pytest.fixture
def use_profile(settings: Any) -> Iterator[Callable[[str], None]]:
    """Configure ``CARECOVER_MCO_PROFILE`` (a name or a path) for one test."""

    def use(value: str) -> None:
        settings.CARECOVER_MCO_PROFILE = value
        services.profile.cache_clear()

    yield use
    services.profile.cache_clear()


def _period(today: date) -> ReportingPeriod:
    """A period of the configured scheme that ended weeks ago."""
    return services.scheme().period_for(today - timedelta(days=40))


def _url(period: ReportingPeriod, extension: str) -> str:
    return f"/compliance/periods/{period.label}/download.{extension}"


@pytest.fixture
def filed(
    use_profile: Callable[[str], None],
    personas: dict[str, User],
    file_report: FileReport,
    today: date,
) -> tuple[ReportingPeriod, Report]:
    """Alliance configured by name; the submitter's agency filed one report (its contact's
    name a formula) and holds one draft in a past period."""
    use_profile("alliance")
    period = _period(today)
    row = file_report(
        personas["submitter"],
        period.start,
        submitted=at(period.start + timedelta(days=1)),
        contact_name="=HYPERLINK(x)",
    )
    file_report(
        personas["submitter"],
        period.end,
        member_last_name="Draftson",
        member_medicaid_id="900005555B",
    )
    return period, row


@pytest.fixture
def outsider_filed(
    filed: tuple[ReportingPeriod, Report],
    personas: dict[str, User],
    file_report: FileReport,
) -> tuple[ReportingPeriod, Report]:
    """``filed``, and another agency filed a report in the same period."""
    period, _ = filed
    file_report(
        personas["other_provider"],
        period.start,
        submitted=at(period.start + timedelta(days=1)),
        member_last_name="Outsider",
        member_medicaid_id="900009999Z",
    )
    return filed


def _cells(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_download_is_the_library_export_of_the_organisations_filed_reports(
    as_persona: Login, outsider_filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = outsider_filed
    response = as_persona("submitter").get(_url(period, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="PRV001-{period.start}-{period.end}.xlsx"'
    )
    reports = [to_domain(r) for r in Report.objects.all()]
    expected = export_period(reports, resolve_mco_profile("alliance"), period, "PRV001")
    cells = _cells(response.content)
    assert cells == _cells(expected.content)
    assert len(cells) == 2  # headings and the one filed report: no draft, no other agency
    assert cells[0][0] == "Provider Name"
    flat = " ".join(str(c) for line in cells for c in line)
    assert "Dixon" in flat
    assert "Draftson" not in flat
    assert "Outsider" not in flat


def test_a_formula_in_a_report_is_neutralised_in_the_spreadsheet(
    as_persona: Login, filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = filed
    cells = _cells(as_persona("submitter").get(_url(period, "xlsx")).content)
    contact = cells[0].index("Contact")
    assert cells[1][contact] == "'=HYPERLINK(x)"


def test_each_download_is_recorded_in_the_audit_log_with_the_reports_it_held(
    as_persona: Login, filed: tuple[ReportingPeriod, Report], personas: dict[str, User]
) -> None:
    period, row = filed
    as_persona("manager").get(_url(period, "xlsx"))
    as_persona("manager").get(_url(period, "xlsx"))
    events = AuditEvent.objects.filter(object_type="period_export")
    assert events.count() == 2
    event = events.first()
    assert event is not None
    assert (event.action, event.object_id, event.actor_id) == (
        Action.EXPORT,
        period.label,
        personas["manager"].pk,
    )
    assert event.after == {
        "organisation": "PRV001",
        "format": "xlsx",
        "count": 1,
        "reports": [row.report_id],
    }


def test_the_periods_page_offers_the_spreadsheet_only_for_periods_with_reports(
    as_persona: Login, filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = filed
    page = as_persona("submitter").get("/compliance/periods/").content.decode()
    assert f'href="{_url(period, "xlsx")}"' in page
    assert page.count("/download.xlsx") == 1
    assert "Alliance Health asks for a spreadsheet" in page
    # The period scheme shown is the configured profile's.
    assert "14-day cycles from 2022-07-01" in page


@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_another_organisations_user_gets_404_and_learns_nothing(
    as_persona: Login, filed: tuple[ReportingPeriod, Report], persona: str
) -> None:
    period, _ = filed
    response = as_persona(persona).get(_url(period, "xlsx"))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Dixon" not in body
    assert "900001234A" not in body
    assert "PRV001" not in body
    assert not AuditEvent.objects.filter(object_type="period_export").exists()


def test_an_outsiders_download_holds_only_its_own_reports(
    as_persona: Login, outsider_filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = outsider_filed
    response = as_persona("other_provider").get(_url(period, "xlsx"))
    assert response.status_code == 200
    flat = " ".join(str(c) for line in _cells(response.content) for c in line)
    assert "Outsider" in flat
    assert "Dixon" not in flat
    assert "PRV001" not in flat
    assert response["Content-Disposition"].startswith('attachment; filename="PRV002-')


@pytest.mark.parametrize("persona", ["mco_analyst", "mco_admin"])
def test_mco_users_may_not_download_a_providers_file(
    as_persona: Login, filed: tuple[ReportingPeriod, Report], persona: str
) -> None:
    period, _ = filed
    assert as_persona(persona).get(_url(period, "xlsx")).status_code == 403
    assert not AuditEvent.objects.filter(object_type="period_export").exists()


def test_a_signed_out_visitor_is_sent_to_the_login_page(
    as_persona: Login, filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = filed
    response = as_persona("anonymous").get(_url(period, "xlsx"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_format_or_a_label_of_no_period_answers_404(
    as_persona: Login, filed: tuple[ReportingPeriod, Report]
) -> None:
    period, _ = filed
    client = as_persona("submitter")
    assert client.get(_url(period, "html")).status_code == 404
    assert client.get(_url(period, "csv")).status_code == 404
    shifted = ReportingPeriod(period.start + timedelta(days=1), period.end, period.due)
    assert client.get(_url(shifted, "xlsx")).status_code == 404
    assert client.get("/compliance/periods/2026-02-30..2026-03-12/download.xlsx").status_code == 404
    assert client.get("/compliance/periods/x/download.xlsx").status_code == 404
    assert client.get("/compliance/periods/9999-12-25..9999-12-31/download.xlsx").status_code == 404
    assert client.get("/compliance/periods/0001-01-01..0001-01-14/download.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(object_type="period_export").exists()


def test_a_post_changes_nothing(as_persona: Login, filed: tuple[ReportingPeriod, Report]) -> None:
    period, _ = filed
    assert as_persona("submitter").post(_url(period, "xlsx")).status_code == 405
    assert not AuditEvent.objects.filter(object_type="period_export").exists()


def test_a_profile_by_path_gives_vayas_printable_page(
    as_persona: Login,
    use_profile: Callable[[str], None],
    tmp_path: Path,
    personas: dict[str, User],
    file_report: FileReport,
    today: date,
) -> None:
    path = tmp_path / "vaya.toml"
    path.write_text((SHIPPED / "mcos" / "vaya.toml").read_text("utf-8"), "utf-8")
    use_profile(str(path))
    period = _period(today)
    file_report(
        personas["submitter"],
        period.start,
        submitted=at(period.start + timedelta(days=1)),
        contact_name="<b>Jordan</b>",
    )
    page = as_persona("submitter").get("/compliance/periods/").content.decode()
    assert "Vaya Health asks you to keep a form" in page
    assert f'href="{_url(period, "html")}"' in page
    response = as_persona("submitter").get(_url(period, "html"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="PRV001-{period.start}-{period.end}.html"'
    )
    reports = [to_domain(r) for r in Report.objects.all()]
    expected = export_period(reports, resolve_mco_profile(str(path)), period, "PRV001")
    assert response.content == expected.content
    assert b"&lt;b&gt;Jordan" in response.content
    assert b"<b>Jordan" not in response.content


def test_partners_takes_its_portal_form_so_no_file_is_offered(
    as_persona: Login,
    use_profile: Callable[[str], None],
    personas: dict[str, User],
    file_report: FileReport,
    today: date,
) -> None:
    use_profile("partners")
    period = _period(today)
    file_report(personas["submitter"], period.start, submitted=at(period.start))
    page = as_persona("submitter").get("/compliance/periods/").content.decode()
    assert "takes the reports through its portal form" in page
    assert "/download." not in page
    for extension in ("csv", "xlsx", "html"):
        assert as_persona("submitter").get(_url(period, extension)).status_code == 404


def test_attestations_and_the_api_follow_a_profile_configured_by_name(
    as_persona: Login, use_profile: Callable[[str], None], today: date
) -> None:
    use_profile("alliance")
    cycle = _period(today)
    assert (cycle.end - cycle.start).days == 13
    assert (cycle.start - date(2022, 7, 1)).days % 14 == 0
    client = as_persona("submitter")
    middle = cycle.start + timedelta(days=6)
    client.post("/compliance/periods/attest/", {"period_start": middle.isoformat()})
    assert list(Attestation.objects.values_list("period_start", flat=True)) == [cycle.start]
    listed = client.get("/api/periods").json()
    assert {(p["start"], p["end"]) for p in listed} >= {
        (cycle.start.isoformat(), cycle.end.isoformat())
    }
    assert all((date.fromisoformat(p["start"]) - date(2022, 7, 1)).days % 14 == 0 for p in listed)
