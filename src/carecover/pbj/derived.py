"""The PBJ store's derived tables, refreshed after a load commits: the one place that does it.

Derived from the daily rows: the stored quarterly measures
(``measures.compiled.SUMMARY``), which ``pbj measures --db``, the history and the
benchmarks read instead of recomputing every quarter. Loaders only mark the
quarters they change (``changes``); after each file commits, its caller
(``ingest``, the portal's upload, ``history``) calls ``refresh``, which
recomputes the marked quarters and clears their marks in one transaction. A
reader uses the stored rows only when they were computed by this code and
nothing is marked (``measures.compiled.summary_is_current``); otherwise it
computes from the daily rows, so a refresh that never ran costs time, never
a wrong figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carecover.pbj.changes import clear, pending_quarters
from carecover.pbj.measures.compiled import refresh_stored
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["catch_up", "refresh"]


def catch_up(con: DuckDBPyConnection) -> None:
    """Recompute what the marks name, inside the caller's transaction, then clear them.

    A summary that is missing or was computed by other code is rebuilt whole.
    """
    quarters = pending_quarters(con)
    refresh_stored(con, quarters)
    clear(con, quarters)


def refresh(con: DuckDBPyConnection) -> None:
    """``catch_up`` in a transaction of its own (after a load's commit)."""
    if not pending_quarters(con):
        return
    con.execute("BEGIN TRANSACTION")
    try:
        catch_up(con)
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
