"""The census rules, edge by edge, and against a naive per-day reference."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.mds import CensusConvention, connect, daily_census, load_files, nursing_group_days
from carecover.mds.census import (
    CACHE,
    census_cache_is_fresh,
    census_query,
    refresh_census_cache,
    write_census_csv,
)
from carecover.mds.synth import synth_mds
from tests.mds.factories import insert, raw, write_extract

D0 = date(2026, 1, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture
def con() -> Any:
    c = connect(None)
    yield c
    c.close()


def present(con: Any, first: int, last: int, **conv: Any) -> list[int]:
    rows = daily_census(con, day(first), day(last), convention=CensusConvention(**conv))
    return [r.census for r in rows]


def test_it_counts_the_entry_day_but_not_the_discharge_day(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "10", day(3), entry=day(0))
    assert present(con, -1, 4) == [0, 1, 1, 1, 0, 0]


def test_the_conventions_are_settings(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "10", day(3), entry=day(0))
    assert present(con, -1, 4, entry_day_present=False, discharge_day_present=True) == [
        0,
        0,
        1,
        1,
        1,
        0,
    ]


def test_a_death_record_closes_the_stay(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "12", day(2), entry=day(0))
    assert present(con, 0, 3) == [1, 1, 0, 0]


def test_a_reentry_after_discharge_reopens_the_stay(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "11", day(2), entry=day(0))
    insert(con, "r", "01", day(5))
    assert present(con, 0, 6) == [1, 1, 0, 0, 0, 1, 1]


def test_a_same_day_return_keeps_the_resident_present(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "01", day(2))
    insert(con, "r", "11", day(2), entry=day(0))
    assert present(con, 0, 3) == [1, 1, 1, 1]


def test_a_same_day_admission_and_discharge_counts_no_day(con: Any) -> None:
    insert(con, "r", "10", day(1), entry=day(1))
    insert(con, "r", "01", day(1))
    assert present(con, 0, 2) == [0, 0, 0]


def test_a_discharge_with_no_entry_counts_nobody(con: Any) -> None:
    insert(con, "r", "10", day(2))
    assert present(con, 0, 4) == [0] * 5


def test_two_entries_in_a_row_count_one_resident(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "01", day(2))
    assert present(con, 0, 3) == [1, 1, 1, 1]


def test_the_resident_is_gone_from_the_150th_day(con: Any) -> None:
    insert(con, "r", "01", day(0))
    assert present(con, 148, 151) == [1, 1, 0, 0]


def test_a_quarterly_restarts_the_150_day_clock(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "99", day(90))
    assert present(con, 149, 151) == [1, 1, 1]
    assert present(con, 238, 241) == [1, 1, 0, 0]


def test_a_record_exactly_on_day_150_keeps_the_resident_present(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "99", day(150))
    assert present(con, 149, 151) == [1, 1, 1]


def test_a_record_after_the_150_day_gap_brings_the_resident_back(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "99", day(160))
    assert present(con, 149, 161) == [1] + [0] * 10 + [1, 1]


def test_records_older_than_the_look_back_year_are_ignored(con: Any) -> None:
    insert(con, "r", "01", day(-400))
    insert(con, "r", "10", day(-10), entry=day(-400))
    insert(con, "s", "99", day(-100))
    # r's discharge is inside the look-back; s has a quarterly only.
    assert present(con, 0, 0) == [1]


def test_it_counts_each_facility_separately(con: Any) -> None:
    insert(con, "r", "01", day(0), facility="A")
    insert(con, "s", "01", day(0), facility="B")
    insert(con, "t", "01", day(1), facility="B")
    rows = daily_census(con, day(0), day(1))
    assert [(r.facility, r.census) for r in rows] == [("A", 1), ("A", 1), ("B", 1), ("B", 2)]
    only = daily_census(con, day(0), day(1), facility="B")
    assert {r.facility for r in only} == {"B"}


def test_it_gives_resident_days_by_the_most_recent_nursing_group(con: Any) -> None:
    insert(con, "r", "01", day(0), group="LBC1")
    insert(con, "r", "99", day(10), group="CDE1")
    insert(con, "r", "99", day(20))  # no group: CDE1 carries on
    insert(con, "r", "10", day(30), entry=day(0))
    insert(con, "s", "01", day(5))
    groups = nursing_group_days(con, "055001", day(0), day(39))
    assert groups == {"LBC1": 10, "CDE1": 20, "": 35}


KINDS = st.sampled_from(["01", "99", "10", "11", "12"])


def naive(records: dict[str, list[tuple[int, str]]], first: int, last: int) -> list[int]:
    """Per day: present iff the latest record so far is not a discharge and is < 150 days old."""
    out = []
    for d in range(first, last + 1):
        n = 0
        for recs in records.values():
            before = [(t, k) for t, k in sorted(recs) if t <= d]
            if before and before[-1][1] not in {"10", "11", "12"} and d - before[-1][0] < 150:
                n += 1
        out.append(n)
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.lists(
            st.tuples(st.integers(-200, 300), KINDS),
            min_size=1,
            max_size=6,
            unique_by=lambda r: r[0],
        ),
        min_size=1,
    )
)
def test_the_per_stay_census_equals_a_naive_per_day_count(
    records: dict[str, list[tuple[int, str]]],
) -> None:
    con = connect(None)
    for resident, recs in records.items():
        for t, kind in recs:
            insert(con, resident, kind, day(t))
    # A facility with no record in the window has no rows at all.
    assert (present(con, 0, 200) or [0] * 201) == naive(records, 0, 200)
    con.close()


def test_without_the_entry_day_a_second_entry_leaves_no_gap(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "01", day(2))
    assert present(con, 0, 3, entry_day_present=False) == [0, 1, 1, 1]


def test_a_lone_discharge_does_not_count_its_day_even_when_discharge_days_count(con: Any) -> None:
    insert(con, "r", "10", day(1))
    assert present(con, 0, 2, discharge_day_present=True) == [0, 0, 0]


def test_it_refuses_a_period_that_ends_before_it_starts(con: Any) -> None:
    with pytest.raises(InputError):
        daily_census(con, day(2), day(1))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(1, 1, 1), date(9999, 12, 31)),
        (date(1, 1, 1), date(1, 1, 10)),
        (date(9999, 12, 20), date(9999, 12, 31)),
        (date(1989, 12, 31), date(1990, 1, 5)),
        (date(2099, 12, 1), date(2100, 1, 1)),
    ],
)
def test_a_period_outside_1990_to_2099_is_refused_not_overflowed(
    con: Any, start: date, end: date
) -> None:
    insert(con, "r", "01", day(0))
    with pytest.raises(InputError, match="is not within 1990-01-01 to 2099-12-31"):
        daily_census(con, start, end)


def test_the_first_and_last_days_a_period_may_cover_are_answered(con: Any) -> None:
    insert(con, "r", "01", day(0))
    # No record in their look-back: no facility to count, and no error.
    assert daily_census(con, date(1990, 1, 1), date(1990, 1, 2)) == []
    assert daily_census(con, date(2099, 12, 30), date(2099, 12, 31)) == []


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(-200, 120),
            KINDS,
            st.sampled_from(["", "LBC1", "CDE1"]),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_every_counted_resident_day_carries_exactly_one_nursing_group(
    records: list[tuple[str, int, str, str]],
) -> None:
    con = connect(None)
    for resident, t, kind, group in records:
        insert(con, resident, kind, day(t), group=group)
    census_days = sum(r.census for r in daily_census(con, day(0), day(120)))
    assert sum(nursing_group_days(con, "055001", day(0), day(120)).values()) == census_days
    con.close()


def test_a_reentry_without_a_group_carries_the_last_known_group(con: Any) -> None:
    insert(con, "r", "01", day(0), group="LBC1")
    insert(con, "r", "11", day(5), entry=day(0))
    insert(con, "r", "01", day(10))
    assert nursing_group_days(con, "055001", day(0), day(11)) == {"LBC1": 7}


def test_the_cached_intervals_give_the_same_census_as_deriving_them(tmp_path: Path) -> None:
    extract = tmp_path / "s.csv"
    synth_mds(extract, facilities=3, start=day(0), end=day(89), seed=3, duplicate_rate=0.05)
    con = connect(None)
    load_files(con, [extract])
    assert CACHE in census_query(con, day(0), day(89))[0]
    cached = daily_census(con, day(0), day(89))
    con.execute("DROP TABLE mds_census_intervals_state")  # the cache no longer counts as fresh
    assert CACHE not in census_query(con, day(0), day(89))[0]
    assert daily_census(con, day(0), day(89)) == cached
    assert sum(c.census for c in cached) > 0


def test_a_stale_cache_or_another_convention_is_not_used(con: Any) -> None:
    refresh_census_cache(con)
    insert(con, "r", "01", day(0))  # a record the cache does not know
    assert CACHE not in census_query(con, day(0), day(0))[0]
    assert present(con, 0, 0) == [1]
    refresh_census_cache(con)
    assert CACHE in census_query(con, day(0), day(0))[0]
    other = CensusConvention(gone_after_days=100)
    assert CACHE not in census_query(con, day(0), day(0), convention=other)[0]


def test_the_census_csv_holds_the_rows_of_the_daily_census(con: Any, tmp_path: Path) -> None:
    insert(con, "r", "01", day(0), facility="A")
    insert(con, "s", "01", day(1), facility="B")
    out = tmp_path / "c.csv"
    write_census_csv(con, day(0), day(2), out)
    expected = [f"{r.facility},{r.date},{r.census}" for r in daily_census(con, day(0), day(2))]
    assert out.read_text(encoding="utf-8").splitlines() == ["facility,date,census", *expected]


def _intervals(con: Any) -> list[tuple[Any, ...]]:
    return con.execute(f"SELECT * FROM {CACHE} ORDER BY ALL").fetchall()


def _halves(tmp_path: Path) -> tuple[Path, Path]:
    """One synthetic extract cut in two: most residents have records in both files."""
    whole = tmp_path / "whole.csv"
    synth_mds(whole, facilities=3, start=day(0), end=day(89), seed=5)
    header, *lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(header + "".join(lines[::2]), encoding="utf-8")
    second.write_text(header + "".join(lines[1::2]), encoding="utf-8")
    return first, second


def test_a_load_into_a_fresh_cache_gives_the_intervals_a_rebuild_gives(tmp_path: Path) -> None:
    first, second = _halves(tmp_path)
    con = connect(None)
    load_files(con, [first])
    load_files(con, [second])  # only the second file's residents are derived again
    assert census_cache_is_fresh(con)
    step_by_step = _intervals(con)
    refresh_census_cache(con)
    assert _intervals(con) == step_by_step
    assert len(step_by_step) > 100


def test_a_load_derives_again_only_the_intervals_of_its_own_residents(tmp_path: Path) -> None:
    first, _ = _halves(tmp_path)
    con = connect(None)
    load_files(con, [first])
    # A cached interval of a resident the next file does not name: left as it is.
    con.execute(f"UPDATE {CACHE} SET end_date = end_date + 1 WHERE facility = '100000'")
    marked = _intervals(con)
    extra = tmp_path / "extra.csv"
    write_extract(extra, [raw(A0100B="055002", A0500A="Zoe")])
    load_files(con, [extra])
    assert set(marked) <= set(_intervals(con))
    refresh_census_cache(con)  # a rebuild derives every resident again
    assert not set(marked) <= set(_intervals(con))


def test_a_cache_stale_before_the_load_is_rebuilt_whole(tmp_path: Path) -> None:
    first, _ = _halves(tmp_path)
    con = connect(None)
    load_files(con, [first])
    expected = _intervals(con)
    con.execute(f"UPDATE {CACHE} SET end_date = end_date + 1 WHERE facility = '100000'")
    con.execute("DROP TABLE mds_census_intervals_state")
    extra = tmp_path / "extra.csv"
    write_extract(extra, [raw(A0100B="055002", A0500A="Zoe")])
    load_files(con, [extra])
    assert set(expected) <= set(_intervals(con))
