"""Benchmarks from the history store: the same figures as the daily rows, plus chain and beds."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carecover.errors import NotFoundError, RuleError
from carecover.pbj.history.benchmark import history_benchmark_rows
from carecover.pbj.history.table import HISTORY_TABLE, load_history
from carecover.pbj.measures.benchmark import MEASURES, benchmark_rows
from carecover.pbj.store import connect, ibis_table
from tests.pbj.history.files import FILES


def _direct(value: float, peers: list[float]) -> tuple[float, float]:
    below = sum(p < value for p in peers)
    equal = sum(p == value for p in peers)
    return round(100 * (below + 0.5 * equal) / len(peers), 1), statistics.median(peers)


@pytest.mark.parametrize("peers", ["state", "county", "national"])
@pytest.mark.parametrize("facility", ["335001", "335002", "335003", "335004"])
def test_it_gives_the_same_rows_as_the_computation_over_the_daily_rows(
    con: Any, peers: str, facility: str
) -> None:
    fast = history_benchmark_rows(con, HISTORY_TABLE, facility=facility, peers=peers)
    slow = benchmark_rows(ibis_table(con, "daily_nurse_staffing"), facility=facility, peers=peers)
    assert [r for r in fast if r["measure"] in MEASURES] == slow


def test_chain_peers_are_the_facilities_of_the_same_chain(con: Any) -> None:
    rows = history_benchmark_rows(
        con, HISTORY_TABLE, facility="335001", quarter="2024Q2", peers="chain"
    )
    total = next(r for r in rows if r["measure"] == "total_hprd")
    chain = dict(
        con.execute(
            f"SELECT provnum, total_hprd FROM {HISTORY_TABLE} WHERE chain = 'ACME CARE' "
            "AND quarter = '2024Q2'"
        ).fetchall()
    )
    assert (total["peers"], total["peer_key"]) == (2, "ACME CARE")
    percentile, median = _direct(chain["335001"], list(chain.values()))
    assert total["percentile"] == percentile
    assert total["peer_median"] == pytest.approx(median, abs=1e-5)


def test_a_facility_without_a_chain_has_no_chain_peers(con: Any) -> None:
    rows = history_benchmark_rows(con, HISTORY_TABLE, facility="335003", peers="chain")
    assert {r["peers"] for r in rows} == {0}
    assert {r["percentile"] for r in rows} == {None}


def test_beds_peers_are_the_facilities_of_the_same_band(con: Any) -> None:
    rows = history_benchmark_rows(con, HISTORY_TABLE, facility="335002", peers="beds")
    assert {(r["peer_key"], r["peers"]) for r in rows if r["measure"] == "total_hprd"} == {
        ("50-99", 1)
    }


def test_turnover_is_benchmarked_in_the_quarter_its_release_shows(con: Any) -> None:
    rows = history_benchmark_rows(con, HISTORY_TABLE, facility="335004", peers="state")
    turnover = {r["quarter"]: r for r in rows if r["measure"] == "total_turnover"}
    assert turnover["2024Q1"]["value"] is None
    assert (turnover["2024Q2"]["value"], turnover["2024Q2"]["percentile"]) == (70.0, 87.5)
    rn = next(r for r in rows if r["measure"] == "rn_turnover" and r["quarter"] == "2024Q2")
    assert rn["peers"] == 3  # 335003's empty RN turnover is no peer


def test_an_unknown_facility_or_peer_group_is_an_error(con: Any) -> None:
    with pytest.raises(NotFoundError, match="999999"):
        history_benchmark_rows(con, HISTORY_TABLE, facility="999999")
    with pytest.raises(RuleError, match="unknown peer group"):
        history_benchmark_rows(con, HISTORY_TABLE, facility="335001", peers="city")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(values=[151, 150, 150, 150, 150, 150, 150, 150], pick=0)  # 81.25: a half to round
@given(
    values=st.lists(st.integers(150, 600), min_size=1, max_size=10),
    pick=st.integers(0, 9),
)
def test_percentile_and_median_match_a_direct_computation(values: list[int], pick: int) -> None:
    con = connect(":memory:")
    con.execute(
        f"CREATE TABLE {HISTORY_TABLE} AS SELECT printf('33%04d', i) AS provnum, "
        "'2024Q2' AS quarter, 'NY' AS state, 'NY/1' AS county, NULL::VARCHAR AS chain, "
        "NULL::VARCHAR AS beds_band, v / 100 AS total_hprd, false AS excluded, "
        + ", ".join(
            f"NULL::DOUBLE AS {m}"
            for m in (
                "rn_hprd",
                "lpn_hprd",
                "aide_hprd",
                "weekend_total_hprd",
                "weekend_gap_hprd",
                "contract_share",
                "zero_rn_days",
                "rn_under_8h_days",
                "total_turnover",
                "rn_turnover",
            )
        )
        + " FROM (SELECT unnest(range(?)) AS i, unnest(?) AS v)",
        [len(values), values],
    )
    mine = pick % len(values)
    rows = history_benchmark_rows(con, HISTORY_TABLE, facility=f"33{mine:04d}")
    total = next(r for r in rows if r["measure"] == "total_hprd")
    hprds = [v / 100 for v in values]
    below = sum(p < hprds[mine] for p in hprds)
    equal = sum(p == hprds[mine] for p in hprds)
    exact = 100 * (below + 0.5 * equal) / len(hprds)
    median = statistics.median(hprds)
    # Shown to one decimal: within half a tenth of the exact share, whichever way a
    # half rounds (DuckDB away from zero, Python to even: 81.25 is 81.3 or 81.2).
    assert total["percentile"] == pytest.approx(exact, abs=0.05 + 1e-9)
    assert total["peer_median"] == pytest.approx(median, abs=1e-5)
    assert total["peers"] == len(values)
    con.close()


def test_pbj_benchmark_on_a_store_path_reads_the_history_table(tmp_path: Path) -> None:
    db = tmp_path / "history.duckdb"
    writer = connect(db)
    load_history(writer, FILES)
    writer.close()
    rows = benchmark_rows(db, facility="335001", peers="chain", quarter="2024Q2")
    assert {r["peer_key"] for r in rows} == {"ACME CARE"}
