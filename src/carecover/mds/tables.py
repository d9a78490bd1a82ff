"""The MDS store's tables as Ibis expressions, and an expression run on the store's connection.

The rules are Ibis (``census_rule``, ``census_risk``, ``reports``,
``sequencing``); on the default engine they run as compiled DuckDB SQL on the
store's own connection, where temporary tables and an attached PBJ store
are visible (an Ibis backend of its own would not see them).
"""

from __future__ import annotations

from typing import Any

__all__ = ["rows", "sql", "table"]


def table(con: Any, name: str) -> Any:
    """The store table ``name`` as an Ibis table."""
    from carecover.pbj.store import ibis_connection, quiet_ibis

    with quiet_ibis():
        return ibis_connection(con).table(name)


def sql(expression: Any) -> str:
    """An Ibis expression as DuckDB SQL, to run on the store's own connection."""
    import ibis

    return str(ibis.to_sql(expression, dialect="duckdb"))


def rows(con: Any, expression: Any) -> list[dict[str, Any]]:
    """Run ``expression`` on the store's connection; its rows as dictionaries, in its order."""
    result = con.execute(sql(expression))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
