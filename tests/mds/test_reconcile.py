"""Census reconciliation against the PBJ public file's MDScensus, with real stores."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError, NotFoundError
from carecover.mds import connect, load_files
from carecover.mds.reconcile import attach_pbj_store, reconcile_census
from carecover.pbj import store as pbj_store
from carecover.pbj.publicfile import loading
from tests.mds.test_store import FIX

PBJ_CSV = FIX / "pbj_055001_2026Q1.csv"  # MDScensus for 055001, 2026-01-28 .. 02-03


@pytest.fixture
def pbj_db(tmp_path: Path) -> Path:
    db = tmp_path / "pbj.duckdb"
    con = pbj_store.connect(db)
    loading.load_files(con, [PBJ_CSV])
    con.close()
    return db


@pytest.fixture
def con() -> Any:
    c = connect(None)
    load_files(c, [FIX / "extract.csv"])
    yield c
    c.close()


def test_it_lists_the_days_where_the_census_differs(con: Any, pbj_db: Path) -> None:
    table = attach_pbj_store(con, pbj_db)
    result = reconcile_census(
        con, date(2026, 1, 28), date(2026, 2, 3), facility="055001", pbj_table=table
    )
    assert [(d.date, d.ours, d.pbj, d.difference) for d in result.differences] == [
        (date(2026, 1, 30), 2, 3, -1),
        (date(2026, 2, 1), 1, 2, -1),
    ]
    assert (result.days_compared, result.days_equal, result.days_without_pbj) == (7, 5, 0)
    assert result.mean_absolute_difference == pytest.approx(2 / 7)


def test_it_counts_our_days_the_pbj_file_lacks(con: Any, pbj_db: Path) -> None:
    table = attach_pbj_store(con, pbj_db)
    result = reconcile_census(con, date(2026, 1, 27), date(2026, 1, 28), pbj_table=table)
    # 055001 on 01-27 and 055002 on both days have no PBJ row.
    assert (result.days_compared, result.days_without_pbj) == (1, 3)


def test_it_works_on_one_store_holding_both(tmp_path: Path) -> None:
    db = tmp_path / "both.duckdb"
    p = pbj_store.connect(db)
    loading.load_files(p, [PBJ_CSV])
    p.close()
    c = connect(db)
    load_files(c, [FIX / "extract.csv"])
    table = attach_pbj_store(c, db, same_file=True)
    result = reconcile_census(c, date(2026, 1, 28), date(2026, 2, 3), pbj_table=table)
    assert result.days_equal == 5
    c.close()


def test_it_says_when_there_is_no_pbj_store_or_table(con: Any, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no PBJ store"):
        attach_pbj_store(con, tmp_path / "none.duckdb")
    with pytest.raises(NotFoundError, match="daily_nurse_staffing"):
        attach_pbj_store(con, con_path(tmp_path))


def con_path(tmp_path: Path) -> Path:
    empty = tmp_path / "empty.duckdb"
    connect(empty).close()  # an MDS-only store
    return empty


def test_it_refuses_a_table_name_that_is_not_one(con: Any) -> None:
    with pytest.raises(InputError):
        reconcile_census(con, date(2026, 1, 1), date(2026, 1, 2), pbj_table="x; DROP TABLE y")
