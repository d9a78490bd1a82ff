"""The census rule gives the same days on DuckDB and on Spark (issue 14 §2).

Every edge of the rule in one store (entries, same-day return, death, the
150-day clock, a re-entry, two facilities) and a synthetic extract, under
both census conventions.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from carecover.mds import CensusConvention, connect, daily_census, load_files
from carecover.mds.census import census_on_engine
from carecover.mds.synth import synth_mds
from tests.engines.sessions import spark_engine
from tests.mds.factories import insert

D0 = date(2026, 1, 1)
CONVENTIONS = [
    CensusConvention(),
    CensusConvention(entry_day_present=False, discharge_day_present=True, gone_after_days=100),
]


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture
def edges() -> Any:
    con = connect(None)
    insert(con, "a", "01", day(0))
    insert(con, "a", "10", day(5), entry=day(0))
    insert(con, "a", "01", day(5))  # same-day return
    insert(con, "b", "01", day(2))
    insert(con, "b", "12", day(9), entry=day(2))  # death
    insert(con, "c", "99", day(-200))  # gone by the 150-day clock
    insert(con, "d", "01", day(3), facility="B")
    insert(con, "d", "99", day(40), facility="B")
    insert(con, "e", "10", day(4), entry=day(1))  # a discharge with no entry
    yield con
    con.close()


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_every_edge_gives_the_same_census_on_both_engines(
    edges: Any, convention: CensusConvention
) -> None:
    duck = daily_census(edges, day(-5), day(60), convention=convention)
    spark = census_on_engine(spark_engine(), edges, day(-5), day(60), convention=convention)
    assert spark == duck
    assert any(c.census for c in duck)


def test_one_facility_only_on_both_engines(edges: Any) -> None:
    duck = daily_census(edges, day(0), day(10), facility="B")
    assert census_on_engine(spark_engine(), edges, day(0), day(10), facility="B") == duck
    assert {c.facility for c in duck} == {"B"}


def test_a_synthetic_extract_gives_the_same_census_on_both_engines(tmp_path: Path) -> None:
    extract = tmp_path / "s.csv"
    synth_mds(extract, facilities=2, start=day(0), end=day(120), seed=5, duplicate_rate=0.0)
    con = connect(None)
    load_files(con, [extract])
    duck = daily_census(con, day(30), day(120))
    assert census_on_engine(spark_engine(), con, day(30), day(120)) == duck
    con.close()
