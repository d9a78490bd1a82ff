"""Admissions-and-reentries and discharges reports over a period."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.mds import connect, load_files
from carecover.mds.movements import admissions, discharges
from tests.mds.factories import raw, write_extract
from tests.mds.test_store import FIX


@pytest.fixture
def con() -> Any:
    c = connect(None)
    load_files(c, [FIX / "extract.csv"])
    yield c
    c.close()


def test_it_lists_admissions_and_reentries_in_the_period(con: Any) -> None:
    rows = admissions(con, date(2026, 1, 1), date(2026, 12, 31))
    assert [(r.first_name, r.entry_date, r.kind) for r in rows] == [
        ("Ann", date(2026, 1, 1), "admission"),
        ("Bob", date(2026, 1, 15), "admission"),
        ("Ann", date(2026, 4, 20), "reentry"),
    ]
    assert rows[0].record.endswith("extract.csv line 2")


def test_the_period_bounds_are_inclusive(con: Any) -> None:
    rows = admissions(con, date(2026, 1, 15), date(2026, 4, 20))
    assert [r.entry_date for r in rows] == [date(2026, 1, 15), date(2026, 4, 20)]


def test_it_lists_discharges_by_kind_with_the_days_since_entry(con: Any) -> None:
    rows = discharges(con, date(2026, 1, 1), date(2026, 12, 31), facility="055001")
    assert [(r.first_name, r.kind, r.discharge_status, r.days_since_entry) for r in rows] == [
        ("Bob", "death", "08", 17),
        ("Ann", "return anticipated", "03", 99),
    ]


def test_it_names_a_discharge_with_return_not_anticipated(tmp_path: Path) -> None:
    c = connect(None)
    extract = write_extract(
        tmp_path / "d.csv",
        [raw(A0310F="10", A0310A="99", A2000="20260205", A2100="01", A2300="")],
    )
    load_files(c, [extract])
    (row,) = discharges(c, date(2026, 2, 1), date(2026, 2, 28))
    assert (row.a0310f, row.kind, row.days_since_entry) == ("10", "return not anticipated", 35)


def test_an_entry_without_a1700_is_listed_as_not_coded(tmp_path: Path) -> None:
    c = connect(None)
    load_files(c, [write_extract(tmp_path / "e.csv", [raw(A0310F="01", A2300="")])])
    assert [r.kind for r in admissions(c, date(2026, 1, 1), date(2026, 1, 1))] == ["not coded"]


def test_it_refuses_a_period_that_ends_before_it_starts(con: Any) -> None:
    with pytest.raises(InputError):
        discharges(con, date(2026, 2, 1), date(2026, 1, 1))
