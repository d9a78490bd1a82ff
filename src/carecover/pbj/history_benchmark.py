"""A facility among its peers, read from the history store's facility-quarter table.

The same rows and arithmetic as ``benchmark.benchmark_table`` (mid-rank
percentile, interpolated peer median, excluded facility-quarters and empty
values are not peers), as one DuckDB query over ``history_measures`` — a few
hundred thousand facility-quarters instead of tens of millions of days — and
with the peer groups the daily files cannot give: ``chain`` (the chain name
of the facility's latest provider-information release) and ``beds`` (its
band of certified beds), and the turnover measures of the releases.
"""

from __future__ import annotations

from typing import Any

from carecover.errors import NotFoundError, RuleError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history import HISTORY_MEASURES
from carecover.pbj.peer_groups import BENCHMARK_COLUMNS, PEER_GROUPS

__all__ = ["history_benchmark_rows", "peer_key_sql"]

_KEYS = {
    "state": "coalesce(state, '')",
    "county": "county",
    "national": "'US'",
    "chain": "chain",
    "beds": "beds_band",
}


def peer_key_sql(peers: str) -> str:
    """SQL of the peer-group key of a ``history_measures`` row."""
    if peers not in PEER_GROUPS:
        raise RuleError(f"unknown peer group {peers!r} (one of {', '.join(PEER_GROUPS)})")
    return _KEYS[peers]


def _sql(table: str, peers: str, with_quarter: bool) -> str:
    key = peer_key_sql(peers)
    measures = ", ".join(HISTORY_MEASURES)
    names = "[" + ", ".join(f"'{m}'" for m in HISTORY_MEASURES) + "]"
    quarter = " AND quarter = ?" if with_quarter else ""
    return f"""
        WITH mine AS (
            SELECT * FROM {table} WHERE provnum = ?{quarter}
        ),
        mine_long AS (
            SELECT provnum, quarter, {key} AS peer_key, excluded,
                   unnest({names}) AS measure, unnest([{measures}]) AS value
            FROM mine
        ),
        peers AS (
            SELECT * FROM (
                SELECT quarter, {key} AS peer_key,
                       unnest({names}) AS measure, unnest([{measures}]) AS value
                FROM {table}
                WHERE NOT excluded
                  AND (quarter, {key}) IN (SELECT quarter, {key} FROM mine)
            ) WHERE value IS NOT NULL
        ),
        stats AS (
            SELECT p.quarter, p.measure, p.peer_key, count(*) AS peers,
                   median(p.value) AS peer_median,
                   count(*) FILTER (WHERE p.value < m.value) AS below,
                   count(*) FILTER (WHERE p.value = m.value) AS equal
            FROM peers p JOIN mine_long m
              ON p.quarter = m.quarter AND p.measure = m.measure AND p.peer_key = m.peer_key
            GROUP BY ALL
        )
        SELECT m.provnum, m.quarter, m.measure, round(m.value, 5) AS value,
               CASE WHEN NOT m.excluded AND m.value IS NOT NULL
                    THEN round(100 * (s.below + 0.5 * s.equal) / s.peers, 1) END AS percentile,
               round(s.peer_median, 5) AS peer_median, coalesce(s.peers, 0) AS peers,
               '{peers}' AS peer_group, m.peer_key, m.excluded
        FROM mine_long m LEFT JOIN stats s USING (quarter, measure, peer_key)
    """


def history_benchmark_rows(
    con: Any,
    table: str,
    *,
    facility: str,
    quarter: Quarter | str | None = None,
    peers: str = "state",
) -> list[dict[str, Any]]:
    """Benchmark rows (``BENCHMARK_COLUMNS``) of ``facility`` from the history table ``table``."""
    if peers in ("chain", "beds"):
        column = "chain" if peers == "chain" else "beds_band"
        known = con.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL").fetchall()
        if not known[0][0]:
            raise RuleError(
                f"peers by {peers} need the provider information file (chain, certified beds); "
                "no release of it is in this store: load one with `pbj history load`"
            )
    params: list[Any] = [facility]
    if quarter is not None:
        params.append(str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)))
    cursor = con.execute(_sql(table, peers, quarter is not None), params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    if not rows:
        raise NotFoundError(
            f"facility {facility} has no quarter in the history store"
            + (f" for {params[1]}" if quarter is not None else "")
        )
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    rows.sort(key=lambda r: (r["quarter"], order[r["measure"]]))
    return [{c: r[c] for c in BENCHMARK_COLUMNS} for r in rows]
