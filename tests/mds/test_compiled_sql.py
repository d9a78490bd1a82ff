"""The MDS rules' SQL is compiled once per code version and store shape, then read from disk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from carecover.mds import connect, daily_census, nursing_group_days
from carecover.mds.census import census_query
from carecover.mds.synth import synth_mds
from tests.engines.fresh_cli import run_cli
from tests.mds.factories import insert, raw, write_extract

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "sql-cache"
    monkeypatch.setenv("CARECOVER_CACHE_DIR", str(path))
    return path


def _files(cache: Path, rule: str) -> list[str]:
    return sorted(p.name for p in cache.glob(f"mds-{rule}-*.sql"))


def test_one_census_sql_serves_every_period(cache: Path) -> None:
    con = connect(None)
    insert(con, "r", "01", date(2026, 1, 5))
    insert(con, "s", "01", date(2026, 2, 1), facility="B")
    first = daily_census(con, *Q1)
    assert len(_files(cache, "census")) == 1
    march = daily_census(con, date(2026, 3, 1), date(2026, 3, 31))
    assert len(_files(cache, "census")) == 1
    assert march == [c for c in first if c.date >= date(2026, 3, 1)]
    only_b = daily_census(con, *Q1, facility="B")
    assert only_b == [c for c in first if c.facility == "B"]
    assert len(_files(cache, "census")) == 2  # with a facility, a variant of its own


def test_the_period_and_facility_are_parameters_not_text_of_the_sql(cache: Path) -> None:
    con = connect(None)
    insert(con, "r", "01", date(2026, 1, 5), facility="055001")
    sql, values = census_query(con, *Q1, facility="055001")
    assert "055001" not in sql
    assert "2026" not in sql
    assert values == [Q1[0], Q1[1], date(2025, 1, 1), "055001"]
    # A facility id that is SQL text stays a value.
    assert daily_census(con, *Q1, facility="x' OR '1'='1") == []


def test_a_store_of_another_shape_compiles_its_own_census_sql(cache: Path) -> None:
    con = connect(None)
    insert(con, "r", "01", date(2026, 1, 5))
    expected = daily_census(con, *Q1)
    con.execute("ALTER TABLE mds_assessments ADD COLUMN note VARCHAR")
    assert daily_census(con, *Q1) == expected
    assert len(_files(cache, "census")) == 2


def test_nursing_group_days_are_compiled_once_for_every_facility_and_period(
    cache: Path,
) -> None:
    con = connect(None)
    insert(con, "r", "01", date(2026, 1, 5), facility="A", group="CBC1")
    insert(con, "s", "01", date(2026, 1, 5), facility="B", group="PDE1")
    assert nursing_group_days(con, "A", *Q1) == {"CBC1": 86}
    assert nursing_group_days(con, "B", date(2026, 2, 1), date(2026, 2, 28)) == {"PDE1": 28}
    assert len(_files(cache, "groups")) == 1


def test_load_and_census_run_without_importing_ibis_once_their_sql_is_cached(
    cache: Path, tmp_path: Path
) -> None:
    extract = write_extract(tmp_path / "x.csv", [raw(), raw(A0800="9")])
    more = write_extract(tmp_path / "y.csv", [raw(A0100B="055002", A0500A="Zoe")])
    other = tmp_path / "s.csv"
    synth_mds(other, facilities=2, start=Q1[0], end=Q1[1], seed=2)
    db = tmp_path / "store.duckdb"
    census = ["mds", "census", "--db", str(db), "--from", "2026-01-01", "--to", "2026-01-31"]
    # The first runs compile: a load into an empty store, one into a store
    # with a census cache (only the new residents' intervals), a census.
    assert run_cli(["mds", "load", str(extract), "--db", str(db)], cache)[0]
    assert run_cli(["mds", "load", str(more), "--db", str(db)], cache)[0]
    assert run_cli([*census, "--format", "csv"], cache)[0]
    imported, printed = run_cli(["mds", "load", str(other), "--db", str(db)], cache)
    assert not imported
    assert "quarantined" in printed
    imported, printed = run_cli([*census, "--format", "csv"], cache)
    assert not imported
    assert printed.splitlines()[0] == "facility,date,census"
    con = connect(db)
    try:
        assert printed.count("\n") == len(daily_census(con, Q1[0], date(2026, 1, 31)))
    finally:
        con.close()
