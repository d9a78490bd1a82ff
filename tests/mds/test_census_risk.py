"""The census-risk report: the 150-day clock about to run out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.mds import CensusConvention, connect, daily_census
from carecover.mds.census_risk import census_risk
from tests.mds.factories import insert

D0 = date(2026, 1, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture
def con() -> Any:
    c = connect(None)
    yield c
    c.close()


def test_it_lists_a_resident_whose_clock_runs_out_within_30_days(con: Any) -> None:
    insert(con, "r", "01", day(0))
    (risk,) = census_risk(con, day(125))
    assert (risk.gone_on, risk.days_left, risk.last_a0310f) == (day(150), 25, "01")


def test_the_horizon_is_a_setting(con: Any) -> None:
    insert(con, "r", "01", day(0))
    assert census_risk(con, day(110)) == []
    assert [r.days_left for r in census_risk(con, day(110), horizon_days=40)] == [40]


def test_a_quarterly_restarts_the_clock_and_clears_the_risk(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "99", day(100))
    assert census_risk(con, day(125)) == []
    assert [r.gone_on for r in census_risk(con, day(240))] == [day(250)]


def test_a_discharged_resident_is_not_at_risk(con: Any) -> None:
    insert(con, "r", "01", day(0))
    insert(con, "r", "10", day(20), entry=day(0))
    assert census_risk(con, day(130)) == []


def test_a_resident_already_gone_is_not_listed(con: Any) -> None:
    insert(con, "r", "01", day(0))
    assert census_risk(con, day(150)) == []
    assert [r.days_left for r in census_risk(con, day(149))] == [1]


def test_it_follows_the_gone_after_days_setting(con: Any) -> None:
    insert(con, "r", "01", day(0))
    found = census_risk(con, day(80), convention=CensusConvention(gone_after_days=100))
    assert [r.gone_on for r in found] == [day(100)]


def test_it_refuses_a_negative_horizon(con: Any) -> None:
    with pytest.raises(InputError):
        census_risk(con, day(0), horizon_days=-1)


def test_a_horizon_past_the_clock_finds_everyone_the_clock_allows_and_no_more(con: Any) -> None:
    insert(con, "a", "01", day(0))
    insert(con, "b", "01", day(100))
    everyone = census_risk(con, day(120), horizon_days=150)
    assert [r.resident_key for r in everyone] == ["a", "b"]
    # A horizon beyond year 9999 is the same question, not an overflow.
    assert census_risk(con, day(120), horizon_days=10**12) == everyone


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-200, 100), st.sampled_from(["01", "99", "10", "12"])),
        min_size=1,
        max_size=5,
        unique_by=lambda r: r[0],
    ),
    st.integers(0, 60),
)
def test_every_listed_resident_is_counted_today_and_gone_on_the_gone_date(
    records: list[tuple[int, str]], horizon: int
) -> None:
    con = connect(None)
    for t, kind in records:
        insert(con, "r", kind, day(t))
    for risk in census_risk(con, day(100), horizon_days=horizon):
        assert 0 < risk.days_left <= horizon
        (today,) = daily_census(con, day(100), day(100))
        (then,) = daily_census(con, risk.gone_on, risk.gone_on)
        assert (today.census, then.census) == (1, 0)
    con.close()
