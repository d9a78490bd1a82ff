"""The measures as the text they are printed as, formatted by DuckDB in the query.

CMS publishes HPRD with 5 decimals, hours and the average census with 2, the
contract share with 4 (``DECIMALS``, matched on the end of a column name).
A value prints as Python's ``str(round(value, places))``; on a national
quarter (15,000 rows, 12 such columns) doing that in Python costs a tenth of
``pbj measures``' run, so ``text_query`` wraps a measures query in a SELECT
that prints every cell in DuckDB instead, with the same bytes:

- ``printf('%.Nf')`` rounds the binary value correctly to N decimals, as
  ``round`` does (checked against Python on a million values beside rounding
  ties, tests/pbj/test_measures_text.py); the trailing zeros are then cut
  as ``str`` prints the rounded float (``5.10000`` -> ``5.1``, ``5.00000`` ->
  ``5.0``). That holds for 1e-4 <= |v| < 1e9 and for zero; outside that
  range ``str`` may use exponent notation (``4e-05``), so the cell comes back
  as ``RAW`` plus the exact value (``%.17g``) and ``finish`` prints it in
  Python.
- NULL prints as the empty string, booleans as ``true``/``false``, integers
  and text as they are.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DECIMALS", "RAW", "finish", "places", "text_query"]

DECIMALS = {"hprd": 5, "avg_census": 2, "contract_share": 4, "hours": 2}
"""Decimal places of printed measures, by the end of the column name."""

RAW = "~"
"""Starts a float cell DuckDB left to Python (the exact value follows)."""

_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
_INTEGERS |= {f"U{t}" for t in _INTEGERS}
_TEXT = {"VARCHAR"}


def places(name: str) -> int | None:
    """Decimal places a column prints with (``None``: as it is)."""
    for key, count in DECIMALS.items():
        if name.endswith(key) or name == key:
            return count
    return None


def _cell(name: str, kind: str) -> str | None:
    """SQL printing column ``name`` of type ``kind``; ``None`` for a type not handled."""
    x = f'"{name}"'
    if kind in _TEXT:
        return f"coalesce({x}, '')"
    if kind in _INTEGERS:
        return f"coalesce(CAST({x} AS VARCHAR), '')"
    if kind == "BOOLEAN":
        return f"CASE WHEN {x} IS NULL THEN '' WHEN {x} THEN 'true' ELSE 'false' END"
    count = places(name)
    if kind != "DOUBLE" or count is None:
        return None
    # Cut trailing zeros but keep one after the point, as str() of a float does.
    # NaN is larger than any number in DuckDB: it falls to RAW with infinities.
    return (
        f"CASE WHEN {x} IS NULL THEN '' "
        f"WHEN {x} = 0 OR (abs({x}) >= 1e-4 AND abs({x}) < 1e9) "
        f"THEN regexp_replace(printf('%.{count}f', {x}), '(\\.[0-9]*?[1-9]|\\.0)0*$', '\\1') "
        f"ELSE '{RAW}' || printf('%.17g', {x}) END"
    )


def _outside(name: str) -> str:
    x = f'"{name}"'
    return f"NOT ({x} IS NULL OR {x} = 0 OR (abs({x}) >= 1e-4 AND abs({x}) < 1e9))"


def text_query(con: Any, sql: str, params: list[Any], order: tuple[str, ...]) -> str | None:
    """``sql`` (params ``params``) with every cell printed, ordered by ``order``.

    Columns starting with ``_`` pass through; ``_raw`` is added: true on a
    row with a ``RAW`` cell. ``None`` when a column has a type this module
    does not print (run ``sql`` and print its values in Python).
    """
    described = con.execute(f"DESCRIBE {sql}", params).fetchall()
    cells, outside = [], []
    for name, kind, *_ in described:
        cell = f'"{name}"' if name.startswith("_") else _cell(name, kind)
        if cell is None:
            return None
        if kind == "DOUBLE" and not name.startswith("_"):
            outside.append(_outside(name))
        cells.append(f'{cell} AS "{name}"')
    cells.append(f"({' OR '.join(outside) or 'false'}) AS _raw")
    keys = ", ".join(f'"{k}"' for k in order)
    return f"SELECT {', '.join(cells)} FROM ({sql}) ORDER BY {keys}"


def finish(
    names: list[str], rows: list[tuple[Any, ...]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Drop ``_raw``; print in Python the cells ``text_query`` left as ``RAW`` (tiny shares)."""
    raw = names.index("_raw")
    counts = [places(name) for name in names[:raw]]
    done = []
    for row in rows:
        if row[raw]:
            row = tuple(
                str(round(float(v[1:]), n)) if n and type(v) is str and v[:1] == RAW else v
                for v, n in zip(row, counts, strict=False)
            )
        done.append(row[:raw])
    return names[:raw], done
