"""A facility among its peers, read from the history store's facility-quarter table.

The same rule as ``benchmark.benchmark_table`` (``peer_comparison``: mid-rank
percentile, interpolated peer median, excluded facility-quarters and empty
values are not peers), run on the store's connection over ``history_measures``
— a few hundred thousand facility-quarters instead of tens of millions of
days — and
with the peer groups the daily files cannot give: ``chain`` (the chain name
of the facility's latest provider-information release) and ``beds`` (its
band of certified beds), and the turnover measures of the releases.
"""

from __future__ import annotations

from typing import Any

from carecover.engines.duckdb import rows_of, table_of
from carecover.errors import NotFoundError, RuleError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history import HISTORY_MEASURES
from carecover.pbj.peer_comparison import compare_with_peers
from carecover.pbj.peer_groups import BENCHMARK_COLUMNS, PEER_GROUPS

__all__ = ["history_benchmark_rows", "peer_key"]


def peer_key(history: Any, peers: str) -> Any:
    """The peer-group key of each ``history_measures`` row, as an Ibis column."""
    import ibis

    if peers not in PEER_GROUPS:
        raise RuleError(f"unknown peer group {peers!r} (one of {', '.join(PEER_GROUPS)})")
    if peers == "state":
        return history.state.fill_null("")
    if peers == "national":
        return ibis.literal("US") + history.provnum.substr(0, 0)  # a column, not a scalar
    return history["beds_band" if peers == "beds" else peers]


def history_benchmark_rows(
    con: Any,
    table: str,
    *,
    facility: str,
    quarter: Quarter | str | None = None,
    peers: str = "state",
) -> list[dict[str, Any]]:
    """Benchmark rows (``BENCHMARK_COLUMNS``) of ``facility`` from the history table ``table``."""
    history = table_of(con, table)
    if peers in ("chain", "beds"):
        column = "chain" if peers == "chain" else "beds_band"
        [known] = rows_of(con, history.aggregate(rows=history[column].count()))
        if not known["rows"]:
            raise RuleError(
                f"peers by {peers} need the provider information file (chain, certified beds); "
                "no release of it is in this store: load one with `pbj history load`"
            )
    wide = history.mutate(peer_key=peer_key(history, peers))
    label = None
    if quarter is not None:
        label = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        wide = wide.filter(wide.quarter == label)
    rows = rows_of(
        con,
        compare_with_peers(wide, facility=facility, measures=HISTORY_MEASURES, peer_group=peers),
    )
    if not rows:
        raise NotFoundError(
            f"facility {facility} has no quarter in the history store"
            + (f" for {label}" if label is not None else "")
        )
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    rows.sort(key=lambda r: (r["quarter"], order[r["measure"]]))
    return [{c: r[c] for c in BENCHMARK_COLUMNS} for r in rows]
