"""What a load changed: marks that keep readers off derived rows until they catch up.

A loader never recomputes a derived table (the stored quarterly measures and
what is built on them). Inside the transaction that changes a quarter's daily
rows it marks the quarter here; ``derived.refresh`` recomputes the marked
quarters after the commit and clears the marks in one transaction of its own.
A mark left by a load whose refresh never ran (a killed process, a library
caller of ``loading`` alone) tells every reader to compute from the daily
rows instead, until the next refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["PENDING", "clear", "mark_changed", "pending_quarters"]

PENDING = "pbj_derived_pending"
"""The store table of quarters whose derived rows are out of date."""

_DDL = f"CREATE TABLE IF NOT EXISTS {PENDING} (quarter VARCHAR PRIMARY KEY)"


def mark_changed(con: DuckDBPyConnection, quarters: Sequence[str]) -> None:
    """Mark ``quarters`` as changed (call it inside the transaction that changes them)."""
    con.execute(_DDL)
    if quarters:
        con.executemany(
            f"INSERT INTO {PENDING} VALUES (?) ON CONFLICT DO NOTHING", [[q] for q in quarters]
        )


def pending_quarters(con: DuckDBPyConnection) -> tuple[str, ...]:
    """The quarters marked and not yet refreshed (none in a store that never marked any)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = ? AND table_schema = current_schema()",
        [PENDING],
    ).fetchall()
    if not exists[0][0]:
        return ()
    rows = con.execute(f"SELECT quarter FROM {PENDING} ORDER BY quarter").fetchall()
    return tuple(q for (q,) in rows)


def clear(con: DuckDBPyConnection, quarters: Sequence[str]) -> None:
    """Remove the marks of ``quarters`` (their derived rows are current again)."""
    if quarters:
        marks = ", ".join("?" for _ in quarters)
        con.execute(f"DELETE FROM {PENDING} WHERE quarter IN ({marks})", list(quarters))
