"""Contract share, weekend staffing, hour outliers and turnover of Employee Detail rows.

Each rule's fixture runs on DuckDB and on Spark (``local[1]``): equal rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from carecover.engines import connect
from carecover.pbj.calendar import Quarter
from carecover.pbj.employees.detail import read_employee_detail
from carecover.pbj.employees.measures import contract_share, hour_outliers, weekend_staffing
from carecover.rating.methods import method
from carecover.rating.turnover import turnover, turnover_expression, turnover_window
from tests.engines.sessions import assert_same_rows, spark_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "employee_detail"
FILES = [FIXTURES / "two_facilities_2024Q2.csv", FIXTURES / "long_month_drifted_header.csv"]


def on_duckdb(rule: Callable[[Any], Any], rows: pa.Table) -> list[dict[str, Any]]:
    engine = connect("duckdb")
    try:
        return engine.to_rows(rule(engine.from_arrow(rows)))
    finally:
        engine.close()


def keyed(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["provnum"], r["category"]): r for r in rows}


def test_contract_share_is_contract_hours_over_all_hours_by_category() -> None:
    rows = keyed(on_duckdb(contract_share, read_employee_detail(FILES)))
    assert rows["015001", "nurse"]["hours"] == 60.5
    assert rows["015001", "nurse"]["contract_share"] == pytest.approx(20 / 60.5)
    assert rows["015001", "rn"]["contract_share"] == pytest.approx(12 / 28)
    assert rows["015001", "admin"]["contract_share"] == 0.0
    # A job code decides the category row by row: RN admin hours count as RN.
    assert (rows["015002", "rn"]["hours"], rows["015002", "lpn"]["hours"]) == (0.5, 7.5)
    assert rows["015003", "aide"]["contract_share"] == 1.0


def test_weekend_staffing_compares_hours_a_weekend_day_with_a_weekday() -> None:
    rows = keyed(on_duckdb(weekend_staffing, read_employee_detail(FILES)))
    nurse = rows["015001", "nurse"]  # Friday 5 April and Saturday 6 April 2024
    assert (nurse["weekday_days"], nurse["weekend_days"]) == (1, 1)
    assert (nurse["weekday_hours"], nurse["weekend_hours"]) == (36.5, 24.0)
    assert nurse["weekend_ratio"] == pytest.approx(24 / 36.5)
    assert rows["015002", "nurse"]["weekend_day_hours"] is None  # no weekend day reported


def test_outliers_are_over_16_hours_a_day_or_400_hours_a_month() -> None:
    rows = on_duckdb(hour_outliers, read_employee_detail(FILES))
    found = [(r["provnum"], r["employee_id"], r["kind"], r["period"], r["hours"]) for r in rows]
    assert found == [
        ("015001", "CNA-1", "day", "2024-04-05", 16.5),
        ("015003", "AIDE-9", "month", "2024-04", 420.0),
    ]


@pytest.mark.parametrize("rule", [contract_share, weekend_staffing, hour_outliers])
def test_each_rule_gives_equal_rows_on_both_engines(rule: Callable[[Any], Any]) -> None:
    rows = read_employee_detail(FILES)
    spark = spark_engine()
    assert_same_rows(on_duckdb(rule, rows), spark.to_rows(rule(spark.from_arrow(rows))))


LAST = Quarter.parse("2024Q2")
W0, P0, P1, W1 = turnover_window(LAST)


def six_quarters(tmp_path: Path) -> Path:
    """An Employee Detail file of six quarters: one RN stays, one leaves, a CNA on leave."""
    spans = [
        ("RN-1", 7, W0, W1),
        ("RN-2", 7, W0, date(2023, 9, 30)),
        ("CNA-1", 10, W0, date(2023, 8, 1)),
        ("CNA-1", 10, date(2023, 10, 31), W1),
    ]
    lines = ["PROVNUM,CY_Qtr,SYS_EMPLYEE_ID,WorkDate,JOB_TITLE_CD,PAY_TYPE_CD,HRS_WRKD"]
    for employee, code, first, last in spans:
        day = first
        while day <= last:
            quarter = Quarter.containing(day)
            lines.append(f"015001,{quarter},{employee},{day:%Y%m%d},{code},2,8")
            day += timedelta(days=1)
    path = tmp_path / "six_quarters.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_turnover_from_the_file_is_the_rating_rule_on_the_same_hours(tmp_path: Path) -> None:
    rule = method("2024-07").turnover
    assert rule is not None
    rows = read_employee_detail([six_quarters(tmp_path)])
    from_file = on_duckdb(lambda t: turnover_expression(t, LAST, rule), rows)
    assert (from_file[0]["rn_eligible"], from_file[0]["rn_departures"]) == (2, 1)
    con = duckdb.connect(":memory:")
    con.register("hours_arrow", rows)
    con.execute("CREATE TABLE employee_hours AS SELECT * FROM hours_arrow")
    (stored,) = turnover(con, LAST, rule)
    assert (stored.rn_eligible, stored.rn_departures) == (2, 1)
    assert stored.nurse_departures == from_file[0]["nurse_departures"] == 1
    spark = spark_engine()
    assert_same_rows(
        from_file, spark.to_rows(turnover_expression(spark.from_arrow(rows), LAST, rule))
    )
