"""Staffing measures computed from public files, checked against CMS's published values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.staffing import (
    QUARTERLY_COLUMNS,
    daily_measures,
    exclusion_rules,
    quarterly_measures,
    to_rows,
)
from carecover.pbj.publicfile.loading import load_file
from carecover.pbj.store import connect, ibis_table

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"


def one(source: Any, **kw: Any) -> dict[str, Any]:
    [row] = to_rows(quarterly_measures(source, **kw))
    return row


def test_it_reproduces_cms_published_values_for_facility_015009(shared: Path) -> None:
    row = one(shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv")
    assert (row["provnum"], row["quarter"], row["days_reported"]) == ("015009", "2024Q2", 91)
    assert round(row["rn_hprd"], 5) == 1.28749
    assert round(row["lpn_hprd"], 5) == 0.42259
    assert round(row["aide_hprd"], 5) == 2.58352
    assert round(row["total_hprd"], 5) == 4.29361
    assert round(row["weekend_total_hprd"], 5) == 3.30871
    assert round(row["weekend_rn_hprd"], 5) == 0.76957
    assert round(row["avg_census"], 2) == 53.29
    assert row["excluded"] is False


def test_it_gives_one_row_per_quarter_for_the_34_quarter_file(shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    rows = to_rows(quarterly_measures([path]))
    quarters = [r["quarter"] for r in rows]
    assert len(rows) == 34
    assert quarters == sorted(set(quarters))
    assert "2018Q1" not in quarters
    assert {r["provnum"] for r in rows} == {"335513"}


def test_it_filters_by_quarter_and_facility(shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    row = one([path], quarter=Quarter.parse("2024Q2"), facility="335513")
    assert row["quarter"] == "2024Q2"
    assert to_rows(quarterly_measures([path], facility="999999")) == []


def test_it_has_exactly_the_documented_columns() -> None:
    table = quarterly_measures(FIXTURES / "nurse_2024Q2_plain.csv")
    assert tuple(table.columns) == QUARTERLY_COLUMNS


def test_it_divides_summed_hours_by_summed_census() -> None:
    row = one(FIXTURES / "nurse_2024Q2_plain.csv")
    # 7 days x (24 RN + 30 LPN + 100 CNA) hours over 7 x 40 residents.
    assert row["resident_days"] == 280
    assert row["total_hours"] == pytest.approx(7 * 154)
    assert row["total_hprd"] == pytest.approx(154 / 40)
    assert row["rn_hprd"] == pytest.approx(24 / 40)
    assert row["contract_share"] == 0.0


def test_it_counts_a_day_with_only_don_hours_as_rn_covered() -> None:
    days = {
        r["workdate"].isoformat(): r for r in to_rows(daily_measures(FIXTURES / "rn_coverage.csv"))
    }
    assert days["2024-04-07"]["zero_rn"] is False
    assert days["2024-04-07"]["rn_hours"] == 8
    assert days["2024-04-06"]["zero_rn"] is True
    assert days["2024-04-06"]["weekend"] is True
    assert days["2024-04-05"]["weekend"] is False


def test_it_counts_zero_rn_days_only_when_residents_were_present_and_hours_reported() -> None:
    row = one(FIXTURES / "rn_coverage.csv")
    # 6 Apr has residents and no RN; 9 Apr has no residents; 10 Apr's RN cells are empty.
    assert row["zero_rn_days"] == 1
    # 6 Apr (0 h) and 8 Apr (6 h) are under 8 RN hours; 7 Apr has exactly 8.
    assert row["rn_under_8h_days"] == 2
    assert row["days_reported"] == 10


def test_it_flags_implausible_quarters_as_excluded() -> None:
    con = connect(":memory:")
    load_file(con, FIXTURES / "nurse_2024Q2_plain.csv")
    con.execute("UPDATE daily_nurse_staffing SET hrs_cna = 300")
    row = one(ibis_table(con, "daily_nurse_staffing"))
    assert row["aide_hprd"] == pytest.approx(7.5)
    assert row["excluded"] is True
    con.close()


def test_the_pre_2022_low_staffing_rule_stops_at_2021q4() -> None:
    [low] = [r for r in exclusion_rules() if r.operator == "lt"]
    assert (low.threshold, low.last_quarter) == (1.5, "2021Q4")
    assert "UNCONFIRMED" in low.confidence


def test_it_reads_measures_from_a_store_file(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    con = connect(path)
    load_file(con, FIXTURES / "nurse_2024Q2_plain.csv")
    con.close()
    assert one(path)["days_reported"] == 7


def test_a_bad_row_in_a_file_read_directly_is_named_by_file_line_and_field() -> None:
    with pytest.raises(InputError, match=r"negative_hours.csv:3: Hrs_RN: negative hours"):
        to_rows(quarterly_measures(FIXTURES / "negative_hours.csv"))


def test_the_same_facility_days_in_two_files_are_counted_once(tmp_path: Path) -> None:
    copy = tmp_path / "republished.csv"
    copy.write_bytes((FIXTURES / "nurse_2024Q2_plain.csv").read_bytes() + b"\n")
    row = one([FIXTURES / "nurse_2024Q2_plain.csv", copy])
    assert row["days_reported"] == 7


def test_it_reads_old_lower_case_cp1252_files_directly() -> None:
    rows = to_rows(
        quarterly_measures([FIXTURES / "lowercase_2017Q1.csv", FIXTURES / "cp1252_name.csv"])
    )
    assert [(r["provnum"], r["quarter"]) for r in rows] == [
        ("015002", "2024Q2"),
        ("335513", "2017Q1"),
    ]
    assert rows[1]["rn_hours"] == pytest.approx(3 * 24 + 8)
