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

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import parameters, rows_of_sql, sql_of, table_of
from carecover.errors import NotFoundError, RuleError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history.table import HISTORY_MEASURES
from carecover.pbj.measures.peer_comparison import compare_with_peers
from carecover.pbj.measures.peer_groups import BENCHMARK_COLUMNS, PEER_GROUPS

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["history_benchmark_rows", "peer_key", "prepare"]


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


@lru_cache(maxsize=64)
def _compiled(table: str, schema: Any, peers: str, by_quarter: bool) -> str:
    """The benchmark of one facility (and quarter), compiled once per table and peer group."""
    import ibis

    history = ibis.table(schema, name=table)
    wide = history.mutate(peer_key=peer_key(history, peers))
    if by_quarter:
        given = parameters(facility="string", quarter="string")
        wide = wide.filter(wide.quarter == given.quarter.as_scalar())
    else:
        given = parameters(facility="string")
    facility = given.facility.as_scalar()
    return sql_of(
        compare_with_peers(wide, facility=facility, measures=HISTORY_MEASURES, peer_group=peers)
    )


@lru_cache(maxsize=64)
def _known(table: str, schema: Any, column: str) -> str:
    import ibis

    history = ibis.table(schema, name=table)
    return sql_of(history.aggregate(rows=history[column].count()))


def prepare(con: DuckDBPyConnection, table: str, *, peers: str = "state") -> None:
    """Compile the benchmark of ``table`` for ``peers`` ahead of its first use (a server's boot)."""
    schema = table_of(con, table).schema()
    _compiled(table, schema, peers, True)
    _compiled(table, schema, peers, False)


def history_benchmark_rows(
    con: DuckDBPyConnection,
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
        [known] = rows_of_sql(con, _known(table, history.schema(), column))
        if not known["rows"]:
            raise RuleError(
                f"peers by {peers} need the provider information file (chain, certified beds); "
                "no release of it is in this store: load one with `pbj history load`"
            )
    label = None
    values = {"facility": facility}
    if quarter is not None:
        label = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        values["quarter"] = label
    sql = _compiled(table, history.schema(), peers, label is not None)
    rows = rows_of_sql(con, sql, parameters=values)
    if not rows:
        raise NotFoundError(
            f"facility {facility} has no quarter in the history store"
            + (f" for {label}" if label is not None else "")
        )
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    rows.sort(key=lambda r: (r["quarter"], order[r["measure"]]))
    return [{c: r[c] for c in BENCHMARK_COLUMNS} for r in rows]
