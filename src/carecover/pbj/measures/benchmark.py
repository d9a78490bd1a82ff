"""A facility among its peers: each staffing measure's value, percentile and peer median.

Written in Ibis over the quarterly measures (``measures.quarterly_expression``)
of every facility in the source, so it runs on any backend; the comparison
itself is ``peer_comparison.compare_with_peers``, shared with the history
store's benchmark:

- peers are the facilities of the same quarter in the same state, county
  (``county_fips`` within the state) or the whole source (``national``);
  ``chain`` and ``beds`` need the provider information file, which the
  daily files do not hold: they are refused (``RuleError``), not guessed;
- a facility-quarter excluded by CMS's exclusion rules, or without a
  value, is not a peer (and gets no percentile itself);
- percentile = 100 × (peers below + ½ × peers equal, the facility
  included) ÷ peers: the mid-rank percentile, so ties share one value;
- the peer median is the interpolated median of the peers' values.

One row per quarter and measure: the quarter asked for, or every quarter
in the source (the trend).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecover.errors import RuleError
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.peer_comparison import compare_with_peers
from carecover.pbj.measures.peer_groups import BENCHMARK_COLUMNS, MEASURES, PEER_GROUPS

__all__ = ["BENCHMARK_COLUMNS", "MEASURES", "PEER_GROUPS", "benchmark_rows", "benchmark_table"]


def _peer_key(days: Any, peers: str) -> Any:
    import ibis

    if peers == "state":
        return days.state.fill_null("")
    if peers == "county":
        return days.state.fill_null("") + "/" + days.county_fips.cast("string").fill_null("")
    return ibis.literal("US") + days.provnum.substr(0, 0)  # a column, not a scalar


def benchmark_table(
    source: Any, *, facility: str, quarter: Quarter | str | None = None, peers: str = "state"
) -> Any:
    """The benchmark rows of ``facility`` (``BENCHMARK_COLUMNS``) as an Ibis table."""
    from carecover.pbj.measures.minimums import minimums_source
    from carecover.pbj.measures.staffing import quarterly_expression

    if peers not in PEER_GROUPS:
        raise RuleError(f"unknown peer group {peers!r} (one of {', '.join(PEER_GROUPS)})")
    if peers in ("chain", "beds"):
        raise RuleError(
            f"peers by {peers} need the provider information file (chain, certified beds); "
            "the daily staffing files do not hold it: not computable from this source"
        )
    t = minimums_source(source)
    if quarter is not None:
        label = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        t = t.filter(t.quarter == label)
    keyed = t.select("provnum", "quarter", peer_key=_peer_key(t, peers))
    keys = keyed.group_by(["provnum", "quarter"]).aggregate(peer_key=keyed.peer_key.max())
    m = quarterly_expression(t)
    m = m.mutate(weekend_gap_hprd=m.total_hprd - m.weekend_total_hprd)
    m = m.join(keys, ["provnum", "quarter"])
    return compare_with_peers(m, facility=facility, measures=MEASURES, peer_group=peers)


def _store_path(source: Any) -> Path | None:
    from carecover.pbj.sources import StoreSource, resolve

    found = resolve(source)
    return found.path if isinstance(found, StoreSource) else None


def benchmark_rows(source: Any, **kw: Any) -> list[dict[str, Any]]:
    """``benchmark_table(source, **kw)`` executed: row dictionaries, in ``MEASURES`` order.

    A store path is read from its facility-quarter table (``history_benchmark``):
    the same figures, with chain, beds and turnover when provider files were loaded.
    """
    from carecover.pbj.store import quiet_ibis

    store = _store_path(source)
    if store is not None:
        from carecover.pbj.history.benchmark import history_benchmark_rows
        from carecover.pbj.history.table import history_table
        from carecover.pbj.store import connect

        con = connect(store, read_only=True)
        try:
            return history_benchmark_rows(con, history_table(con), **kw)
        finally:
            con.close()

    with quiet_ibis():
        rows: list[dict[str, Any]] = benchmark_table(source, **kw).to_pyarrow().to_pylist()
    order = {m: i for i, m in enumerate(MEASURES)}
    return sorted(rows, key=lambda r: (r["quarter"], order[r["measure"]]))
