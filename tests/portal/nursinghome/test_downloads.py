"""The facility page's downloads: CSV and XLSX of its tables, audited, injection-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from carecover.pbj.measures.staffing import QUARTERLY_COLUMNS
from carecover.portal.audit.models import AuditEvent
from carecover.portal.nursinghome.downloads import DOWNLOADS
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store

BASE = "/nursing-homes/100000/download/"


def rows_of(response: Any) -> list[list[str]]:
    text = (
        b"".join(response).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_every_table_downloads_as_csv_and_xlsx(
    loaded_facility: Facility, as_home_user: Callable[[str], Client], name: str
) -> None:
    client = as_home_user("don")
    response = client.get(f"{BASE}{name}.csv", {"quarter": "2026Q3"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="100000-2026Q3-{name}.csv"'
    header = rows_of(response)[0]
    response = client.get(f"{BASE}{name}.xlsx", {"quarter": "2026Q3"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[3]] == header


def test_the_daily_figures_have_a_row_per_day(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    rows = rows_of(as_home_user("don").get(f"{BASE}daily.csv"))
    assert len(rows) == 1 + 92
    assert rows[1][0] == "2026-07-01"


def test_the_measures_have_the_columns_of_the_cli(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    rows = rows_of(as_home_user("don").get(f"{BASE}measures.csv"))
    assert rows[0] == ["source", *QUARTERLY_COLUMNS]
    assert rows[1][:3] == ["facility PBJ", "100000", "2026Q3"]


def test_a_name_starting_with_equals_is_neutralised(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    client = as_home_user("mds_coordinator")
    first = rows_of(client.get(f"{BASE}missing-assessments.csv"))[1]
    with facility_store(loaded_facility) as con:
        con.execute(
            "UPDATE mds_assessments SET last_name = '=HYPERLINK(\"http://x\")' WHERE last_name = ?",
            [first[0]],
        )
    rows = rows_of(client.get(f"{BASE}missing-assessments.csv"))
    assert '\'=HYPERLINK("http://x")' in [r[0] for r in rows]
    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}missing-assessments.xlsx").content)).active
    assert sheet is not None
    names = [row[0].value for row in sheet.iter_rows(min_row=4)]
    assert '\'=HYPERLINK("http://x")' in names


def test_a_download_is_audited_without_resident_names(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    as_home_user("don").get(f"{BASE}missing-assessments.csv")
    event = AuditEvent.objects.get(object_type="facility")
    assert event.object_id == "100000:missing-assessments"
    assert event.after == {"format": "csv", "quarter": "2026Q3", "rows": 5}


@pytest.mark.parametrize("path", ["roster.csv", "daily.pdf", "daily.CSV"])
def test_an_unknown_download_is_404(
    loaded_facility: Facility, as_home_user: Callable[[str], Client], path: str
) -> None:
    assert as_home_user("don").get(f"{BASE}{path}").status_code == 404


def test_a_facility_without_data_has_nothing_to_download(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    assert (
        as_home_user("corporate").get("/nursing-homes/100001/download/daily.csv").status_code == 404
    )
