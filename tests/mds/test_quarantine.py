"""The Errors report: quarantined records by item, never with an SSN."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from carecover.mds import connect, load_files
from carecover.mds.quarantine import record_errors
from tests.mds.factories import raw, write_extract
from tests.mds.test_store import FIX


@pytest.fixture
def con() -> Any:
    c = connect(None)
    load_files(c, [FIX / "extract.csv", FIX / "mixed.csv"])
    yield c
    c.close()


def test_it_names_the_record_and_the_item_of_each_problem(con: Any) -> None:
    rows = record_errors(con)
    assert [(r.record, r.item) for r in rows] == [
        ("line 3", "A0900"),
        ("line 4", "A2000"),
        ("line 5", "A0800"),
    ]
    assert rows[0].source_file.endswith("mixed.csv")
    assert rows[1].problem == "discharge 2026-01-05 is before entry 2026-01-10"


def test_it_gives_one_row_per_problem_of_a_record(tmp_path: Path) -> None:
    c = connect(None)
    bad = raw(A0800="7", A2300="2026-13-01", A0500A="Jo; Ann")
    load_files(c, [write_extract(tmp_path / "two.csv", [bad])])
    assert {(r.record, r.item) for r in record_errors(c)} == {
        ("line 2", "A0800"),
        ("line 2", "A2300"),
    }


def test_it_never_shows_an_ssn(con: Any) -> None:
    assert "3333" not in str(record_errors(con))  # Bob's SSN on the quarantined line 3


def test_it_filters_by_facility_and_load_date(con: Any) -> None:
    assert record_errors(con, facility="055002") == []
    assert record_errors(con, on=date.today() - timedelta(days=1)) == []
    assert len(record_errors(con, on=date.today())) == 3


def test_records_quarantined_before_the_item_list_existed_still_show(con: Any) -> None:
    con.execute("UPDATE mds_quarantine SET problem_list = NULL WHERE record = 'line 5'")
    row = next(r for r in record_errors(con) if r.record == "line 5")
    assert (row.item, row.problem) == ("", "A0800: unknown code '9'")
