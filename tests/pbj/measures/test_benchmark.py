"""A facility among its peers: percentiles and medians checked against a direct computation."""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carecover.errors import RuleError
from carecover.pbj.measures.benchmark import MEASURES, benchmark_rows
from carecover.pbj.store import connect, ibis_table


def _store(facilities: list[tuple[str, str, str, float]], quarters: int = 1) -> object:
    """One Monday a quarter per facility (provnum, state, county, total HPRD), census 100."""
    con = connect(":memory:")
    for provnum, state, county, hprd in facilities:
        for q in range(quarters):
            day = date(2024, 4 + 3 * q, 1)
            con.execute(
                "INSERT INTO daily_nurse_staffing (provnum, state, county_fips, quarter, workdate, "
                "mdscensus, source_file, hrs_rn, hrs_lpn, hrs_cna) VALUES (?, ?, ?, ?, ?, 100, "
                "'hand-made', ?, ?, ?)",
                # A quarter each RN and LPN, half aide: under the aide exclusion (5.25).
                [provnum, state, county, f"2024Q{2 + q}", day, hprd * 25, hprd * 25, hprd * 50],
            )
    return ibis_table(con, "daily_nurse_staffing")


def _direct(value: float, peers: list[float]) -> tuple[float, float]:
    """The exact mid-rank share (unrounded) and the median."""
    below = sum(p < value for p in peers)
    equal = sum(p == value for p in peers)
    return 100 * (below + 0.5 * equal) / len(peers), statistics.median(peers)


def _row(rows: list[dict[str, object]], measure: str, quarter: str = "2024Q2") -> dict[str, object]:
    [row] = [r for r in rows if r["measure"] == measure and r["quarter"] == quarter]
    return row


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(values=[150, 150, 150, 300, 300, 300, 300, 300], pick=0)  # 18.75: a half
@given(
    values=st.lists(st.integers(150, 600), min_size=1, max_size=12),
    pick=st.integers(0, 11),
)
def test_the_percentile_and_median_match_a_direct_computation(values: list[int], pick: int) -> None:
    hprds = [v / 100 for v in values]  # ties are likely: integers in a narrow range
    facilities = [(f"33{i:04d}", "NY", "001", h) for i, h in enumerate(hprds)]
    facilities.append(("050001", "CA", "001", 9.0))  # another state: not a peer
    mine = facilities[pick % len(hprds)]
    rows = benchmark_rows(_store(facilities), facility=mine[0], peers="state")
    row = _row(rows, "total_hprd")
    share, median = _direct(mine[3], hprds)
    # Rounded to a tenth: within half a tenth of the exact share, whichever way
    # a half rounds (6.25 may be 6.2 or 6.3; against Python's round() it failed at random).
    assert row["percentile"] == pytest.approx(share, abs=0.05 + 1e-9)
    assert row["peer_median"] == pytest.approx(median, abs=1e-5)
    assert row["peers"] == len(hprds)


def test_an_excluded_facility_quarter_is_not_a_peer() -> None:
    # 13 HPRD breaks CMS's exclusion rule (total > 12).
    table = _store(
        [("330001", "NY", "001", 3.0), ("330002", "NY", "001", 4.0), ("330003", "NY", "001", 13.0)]
    )
    row = _row(benchmark_rows(table, facility="330001"), "total_hprd")
    assert (row["peers"], row["percentile"], row["peer_median"]) == (2, 25.0, 3.5)
    excluded = _row(benchmark_rows(table, facility="330003"), "total_hprd")
    assert excluded["excluded"] is True
    assert excluded["percentile"] is None


def test_county_peers_are_the_facilities_of_the_same_county_and_state() -> None:
    table = _store(
        [
            ("330001", "NY", "001", 3.0),
            ("330002", "NY", "001", 4.0),
            ("330003", "NY", "002", 5.0),
            ("050001", "CA", "001", 6.0),
        ]
    )
    rows = benchmark_rows(table, facility="330001", peers="county")
    row = _row(rows, "total_hprd")
    assert (row["peers"], row["peer_key"]) == (2, "NY/001")
    national = _row(benchmark_rows(table, facility="330001", peers="national"), "total_hprd")
    assert (national["peers"], national["percentile"]) == (4, 12.5)


def test_every_measure_is_given_for_every_quarter_the_trend() -> None:
    table = _store([("330001", "NY", "001", 3.0), ("330002", "NY", "001", 4.0)], quarters=2)
    rows = benchmark_rows(table, facility="330002")
    assert [(r["quarter"], r["measure"]) for r in rows] == [
        (q, m) for q in ("2024Q2", "2024Q3") for m in MEASURES
    ]
    # Mondays only (1 April, 1 July 2024): no weekend, so no weekend gap.
    assert _row(rows, "weekend_gap_hprd")["value"] is None
    only = benchmark_rows(table, facility="330002", quarter="2024Q3")
    assert {r["quarter"] for r in only} == {"2024Q3"}


@pytest.mark.parametrize("peers", ["chain", "beds"])
def test_peers_the_daily_files_cannot_tell_are_refused(peers: str) -> None:
    table = _store([("330001", "NY", "001", 3.0)])
    with pytest.raises(RuleError, match="not computable from this source"):
        benchmark_rows(table, facility="330001", peers=peers)


def test_the_real_files_put_335513_below_015009_on_total_staffing(shared: Path) -> None:
    files = [
        shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv",
        shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv",
    ]
    rows = benchmark_rows(files, facility="335513", quarter="2024Q2", peers="national")
    row = _row(rows, "total_hprd")
    assert (row["value"], row["peers"], row["percentile"]) == (2.86626, 2, 25.0)
    assert row["peer_median"] == pytest.approx((2.86626 + 4.29361) / 2, abs=1e-5)
