from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from carecover.backup.mco import parse_mco_profile, resolve_mco_profile
from carecover.backup.mco_export import (
    export_period,
    export_rows,
    load_layout,
    to_html,
    to_layout_csv,
    write_layout_xlsx,
)
from carecover.backup.periods import PeriodScheme
from carecover.backup.report import ReportStatus
from carecover.errors import ConfigError
from tests.backup.factories import report

PERIOD = PeriodScheme.semi_monthly(5).period_for(date(2026, 10, 3))
REPORTS = [
    report(incident_date=date(2026, 10, 3), provider_name='=HYPERLINK("x")'),
    report(incident_date=date(2026, 10, 16)),  # next period
    report(incident_date=date(2026, 10, 4), provider_id="P999"),  # another provider
    report(incident_date=date(2026, 10, 5), status=ReportStatus.DRAFT),  # not filed
]


def test_partners_csv_holds_the_providers_filed_reports_of_the_period_neutralised() -> None:
    layout = load_layout("partners")
    rows = list(
        csv.reader(io.StringIO(to_layout_csv(layout, export_rows(REPORTS, layout, PERIOD, "P001"))))
    )
    assert rows[0][:3] == ["Report ID", "Provider", "Provider ID"]
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("x")'


def test_alliance_xlsx_has_its_columns_and_one_row_per_report(tmp_path: Path) -> None:
    layout = load_layout("alliance")
    path = write_layout_xlsx(
        layout, export_rows(REPORTS, layout, PERIOD, "P001"), tmp_path / "a.xlsx"
    )
    sheet = load_workbook(path).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Provider Name"
    assert len(values) == 2
    assert values[1][0] == '\'=HYPERLINK("x")'
    assert values[1][7] == "08:00-12:00"


def test_vaya_printable_page_escapes_text_and_breaks_pages_for_print() -> None:
    layout = load_layout("vaya")
    page = to_html(layout, export_rows(REPORTS, layout, PERIOD, "P001"), "Backup staffing <P001>")
    assert "&lt;P001&gt;" in page
    assert "<P001>" not in page
    assert "page-break-after" in page
    assert page.count('class="form"') == 1


def test_an_unknown_mco_layout_is_refused() -> None:
    with pytest.raises(ConfigError, match="no export layout"):
        load_layout("../mco")


@given(day=st.dates(date(2024, 1, 1), date(2027, 12, 31)), offset=st.integers(-20, 20))
def test_an_incident_is_exported_exactly_when_its_day_is_in_the_alliance_cycle(
    day: date, offset: int
) -> None:
    layout = load_layout("alliance")
    scheme = resolve_mco_profile("alliance").scheme(5)
    period = scheme.period_for(day)
    incident = day + timedelta(days=offset)
    rows = export_rows([report(incident_date=incident)], layout, period, "P001")
    assert len(rows) == (1 if period.start <= incident <= period.end else 0)


def test_a_period_export_is_the_layouts_sheet_in_the_profiles_format(tmp_path: Path) -> None:
    made = export_period(REPORTS, resolve_mco_profile("alliance"), PERIOD, "P001")
    assert made.filename == f"P001-{PERIOD.start}-{PERIOD.end}.xlsx"
    assert made.media_type.startswith("application/vnd.openxmlformats")
    assert made.count == 1
    layout = load_layout("alliance")
    sheet_path = write_layout_xlsx(
        layout, export_rows(REPORTS, layout, PERIOD, "P001"), tmp_path / "a.xlsx"
    )
    made_sheet = load_workbook(io.BytesIO(made.content)).active
    written_sheet = load_workbook(sheet_path).active
    assert made_sheet is not None
    assert written_sheet is not None
    assert list(made_sheet.iter_rows(values_only=True)) == list(
        written_sheet.iter_rows(values_only=True)
    )


def test_a_period_export_file_name_carries_no_path_or_quote() -> None:
    made = export_period(REPORTS, resolve_mco_profile("vaya"), PERIOD, '../P"001')
    assert made.filename == f"___P_001-{PERIOD.start}-{PERIOD.end}.html"


def test_a_period_export_for_a_profile_without_a_layout_is_refused() -> None:
    text = _partners_text()
    profile = parse_mco_profile(
        "\n".join(
            line
            for line in text.splitlines()
            if not line.startswith(("channel", "layout", "format"))
        )
    )
    with pytest.raises(ConfigError, match="names no export layout"):
        export_period(REPORTS, profile, PERIOD, "P001")


def _partners_text() -> str:
    return resources.files("carecover").joinpath("data", "backup", "mco.toml").read_text("utf-8")
