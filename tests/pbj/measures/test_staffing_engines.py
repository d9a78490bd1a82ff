"""The measures and RN coverage give the same rows on DuckDB and on Spark (``local[1]``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.measures.coverage import rn_coverage
from carecover.pbj.measures.staffing import daily_measures, quarterly_measures, to_rows
from tests.engines.sessions import assert_same_rows, spark_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
GOOD = sorted(
    set(FIXTURES.glob("*.csv"))
    - {FIXTURES / f"{bad}.csv" for bad in ("duplicate_day", "float_ccn", "negative_hours")}
    - {FIXTURES / f"{bad}.csv" for bad in ("truncated", "utf16")}
)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_quarterly_and_daily_measures_are_equal_on_both_engines(path: Path) -> None:
    spark = spark_engine()
    assert_same_rows(
        to_rows(quarterly_measures(path)), spark.to_rows(quarterly_measures(path, engine=spark))
    )
    assert_same_rows(
        to_rows(daily_measures(path)), spark.to_rows(daily_measures(path, engine=spark))
    )


def test_the_34_quarter_file_gives_equal_measures_on_both_engines(shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    spark = spark_engine()
    rows = spark.to_rows(quarterly_measures(path, engine=spark))
    assert len(rows) == 34
    assert_same_rows(to_rows(quarterly_measures(path)), rows)


def test_rn_coverage_is_equal_on_both_engines() -> None:
    path = FIXTURES / "rn_coverage.csv"
    assert rn_coverage(path, engine=spark_engine()) == rn_coverage(path)


def test_a_bad_row_is_refused_before_spark_runs_the_rule() -> None:
    with pytest.raises(InputError, match=r"negative_hours\.csv"):
        quarterly_measures(FIXTURES / "negative_hours.csv", engine=spark_engine())
