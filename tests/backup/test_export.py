from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from carecover.backup.compliance import period_compliance
from carecover.backup.export import (
    compliance_json,
    compliance_table,
    neutralise,
    rollup_json,
    rollup_tables,
    to_csv,
    to_text,
    write_xlsx,
)
from carecover.backup.rollup import Rollup, monthly_snapshot
from tests.backup.factories import report

EVIL = '=HYPERLINK("http://evil.example","click")'


def rollup() -> Rollup:
    return monthly_snapshot(
        [
            report(provider_id="P1", provider_name=EVIL, hours=3.5),
            report(provider_id="P2", provider_name="@SUM(A1)", incident_date=date(2026, 10, 20)),
            report(provider_id="P2", incident_date=date(2026, 9, 20)),
        ],
        date(2026, 10, 1),
    )


def test_it_neutralises_text_a_spreadsheet_would_run_as_a_formula() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Acme Care") == "Acme Care"
    assert neutralise(-3) == -3


def test_csv_shows_a_formula_provider_name_as_text() -> None:
    text = to_csv(rollup_tables(rollup()))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + EVIL in cells
    assert "'@SUM(A1)" in cells
    assert EVIL not in cells
    assert not any(c.startswith(("=", "@", "+")) for c in cells)


def test_csv_puts_each_table_after_its_title() -> None:
    text = to_csv(rollup_tables(rollup()))
    titles = [line for line in text.splitlines() if line.startswith("# ")]
    assert titles[0].startswith("# Monthly Quality of Care Committee snapshot: 2026-10-01..")
    assert "# By provider / EOR" in titles
    assert "Figure (code),Figure,Value,Previous period,Change" in text
    assert "reports,Reports,2,1,1" in text


def test_csv_heads_columns_with_labels_or_on_request_with_codes() -> None:
    tables = rollup_tables(rollup())
    assert "Provider / EOR number,Provider / EOR,Reporter kind (code)" in to_csv(tables)
    assert "provider_id,provider_name,reporter_kind" in to_csv(tables, codes=True)


def test_xlsx_has_one_sheet_per_table_and_neutralised_names(tmp_path: Path) -> None:
    path = write_xlsx(rollup_tables(rollup()), tmp_path / "out.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "headline",
        "by_provider",
        "by_reason",
        "by_service",
        "by_period",
        "repeated_members",
        "details",
    ]
    sheet = book["by_provider"]
    assert [c.value for c in sheet[3]][:4] == [
        "Provider / EOR number",
        "Provider / EOR",
        "Reporter kind (code)",
        "Reporter kind",
    ]
    assert sheet["B4"].value == "'" + EVIL
    assert sheet["B4"].data_type == "s"
    assert book["headline"]["C4"].value == 2


def test_json_holds_figures_with_their_change_and_tables_as_records() -> None:
    data = json.loads(json.dumps(rollup_json(rollup())))
    assert data["kind"] == "monthly"
    assert data["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert data["figures"]["reports"] == {
        "label": "Reports",
        "value": 2,
        "previous": 1,
        "change": 1,
    }
    first = data["tables"]["by_provider"]["rows"][0]
    assert first["provider_id"] == "P1"
    assert first["hours_without_staff"] == 3.5


def test_compliance_rows_render_as_csv_json_and_text() -> None:
    rows = period_compliance(
        [report(provider_id="P1", submitted_at=datetime(2026, 10, 22, 8, 30))],
        [],
        ["P1"],
        date(2026, 10, 1),
        date(2026, 10, 1),
        as_of=date(2026, 11, 1),
    )
    text = to_csv([compliance_table(rows)], codes=True)
    assert text.splitlines()[1] == (
        "P1,Provider P1,2026-10-01,2026-10-15,2026-10-20,late,Late,1,1,no,2026-10-22T08:30,2"
    )
    assert compliance_json(rows)[0]["status"] == "late"
    assert "late" in to_text([compliance_table(rows)])


def test_the_text_table_shows_unknown_values_as_n_a_and_empty_tables_as_none() -> None:
    text = to_text(rollup_tables(monthly_snapshot([], date(2026, 10, 1))))
    assert "Late provider-periods" in text
    assert "n/a" in text
    assert "(none)" in text
