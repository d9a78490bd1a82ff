"""The state view and the chain view of the history store, against hand-made facility-quarters."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from carecover.errors import NotFoundError
from carecover.pbj.history.table import HISTORY_TABLE
from carecover.pbj.history.views import chain_view, chains, state_view
from carecover.pbj.measures.minimums import minimum_rows
from carecover.pbj.store import ibis_table


def _state(con: Any, **kw: Any) -> list[dict[str, Any]]:
    daily = ibis_table(con, "daily_nurse_staffing")
    return state_view(
        con, HISTORY_TABLE, state="ny", minimum_rows_of=lambda **k: minimum_rows(daily, **k), **kw
    )


def test_the_distribution_is_the_quantiles_of_the_states_facilities(con: Any) -> None:
    rows = [r for r in _state(con) if r["section"] == "distribution"]
    total = next(r for r in rows if r["measure"] == "total_hprd")
    values = [
        v
        for (v,) in con.execute(
            f"SELECT total_hprd FROM {HISTORY_TABLE} WHERE quarter = '2024Q2'"
        ).fetchall()
    ]
    assert total["quarter"] == "2024Q2"  # the latest quarter by default
    assert total["facilities"] == 4
    assert total["median"] == pytest.approx(statistics.median(values), abs=1e-5)
    assert total["p10"] <= total["p25"] <= total["median"] <= total["p75"] <= total["p90"]


def test_facilities_below_the_state_minimum_are_listed_with_days_and_shortfall(con: Any) -> None:
    below = [r for r in _state(con) if r["section"] == "below_minimum"]
    total = {r["provnum"]: r for r in below if r["rule"] == "ny-total"}
    # 3.5 total HPRD in New York: 335001 (3.14) and 335004 (2.76) are below, 335002 (3.5) is not.
    assert sorted(total) == ["335001", "335004"]
    assert total["335004"]["provname"] == "BETA ON THE LAKE"
    assert total["335004"]["days_below"] == 91
    assert total["335004"]["shortfall_hours"] > total["335001"]["shortfall_hours"] > 0


def test_the_widest_weekend_gaps_come_first(con: Any) -> None:
    gaps = [r for r in _state(con) if r["section"] == "weekend_gap"]
    assert [r["provnum"] for r in gaps] == ["335003", "335001", "335004", "335002"]
    # 2024Q2 is 13 whole weeks: 65 weekdays of 390 h and 26 weekend days of 330 h, census 100.
    all_days = (65 * 390 + 26 * 330) / (91 * 100)
    assert gaps[0]["value"] == pytest.approx(all_days - 3.3, abs=1e-5)


def test_zero_rn_days_list_only_facilities_that_had_them(con: Any) -> None:
    zero = [r for r in _state(con, quarter="2024Q1") if r["section"] == "zero_rn"]
    assert [(r["provnum"], r["value"]) for r in zero] == [("335004", 13.0)]  # 13 Sundays


def test_the_trend_has_every_quarter(con: Any) -> None:
    trend = [r for r in _state(con) if r["section"] == "trend" and r["measure"] == "total_hprd"]
    assert [r["quarter"] for r in trend] == ["2024Q1", "2024Q2"]


def test_the_chain_view_lists_the_chains_facilities_and_their_distribution(con: Any) -> None:
    rows = chain_view(con, HISTORY_TABLE, chain="acme care")
    facilities = {r["provnum"] for r in rows if r["section"] == "facility"}
    assert facilities == {"335001", "335002"}
    total = next(r for r in rows if r["section"] == "distribution" and r["measure"] == "total_hprd")
    assert total["facilities"] == 2
    assert chains(con, HISTORY_TABLE, search="ac") == [("ACME CARE", 2)]


def test_an_unknown_state_or_chain_is_not_found(con: Any) -> None:
    with pytest.raises(NotFoundError, match="state ZZ"):
        state_view(con, HISTORY_TABLE, state="zz")
    with pytest.raises(NotFoundError, match="chain 'NOBODY'"):
        chain_view(con, HISTORY_TABLE, chain="NOBODY")
