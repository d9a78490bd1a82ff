"""The measures as the text they are printed as, formatted by DuckDB in the query.

CMS publishes HPRD with 5 decimals, hours and the average census with 2, the
contract share with 4 (``DECIMALS``, matched on the end of a column name).
A value prints as Python's ``str(round(value, places))``; on a national
quarter (15,000 rows, 12 such columns) doing that in Python costs a tenth of
``pbj measures``' run, so ``text_query`` wraps a measures query in a SELECT
that prints every cell in DuckDB instead, with the same bytes:

- ``printf('%.Nf')`` rounds the binary value correctly to N decimals, as
  ``round`` does (checked against Python on a million values beside rounding
  ties, tests/pbj/measures/test_text.py); the trailing zeros are then cut
  as ``str`` prints the rounded float (``5.10000`` -> ``5.1``, ``5.00000`` ->
  ``5.0``). That holds for 1e-4 <= |v| < 1e9 and for zero; outside that
  range ``str`` may use exponent notation (``4e-05``), so the cell comes back
  as ``RAW`` plus the exact value (``%.17g``) and ``finish`` prints it in
  Python.
- NULL prints as the empty string, booleans as ``true``/``false``, integers
  and text as they are.

``csv_query`` goes one step further for CSV output: DuckDB joins the cells
into lines and the lines into one text, so Python receives one string
instead of a row of strings per facility-quarter (on a national quarter the
per-row fetch and ``csv.writer`` cost more than the printing). Its float
cells cut the trailing zeros without the regular expression (``5.10000``
-> ``5.1``, ``5.00000`` -> ``5.``) and ``finish_csv`` puts back the zero
after a bare point with a plain text replace, which is faster than
deciding it per cell in SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "DECIMALS",
    "RAW",
    "aligned_table",
    "csv_query",
    "finish",
    "finish_csv",
    "finish_table",
    "places",
    "table_query",
    "text_query",
]

DECIMALS = {"hprd": 5, "avg_census": 2, "contract_share": 4, "hours": 2}
"""Decimal places of printed measures, by the end of the column name."""

RAW = "~"
"""Starts a float cell DuckDB left to Python (the exact value follows)."""

_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
_INTEGERS |= {f"U{t}" for t in _INTEGERS}
_TEXT = {"VARCHAR"}
_RAW_CELL = re.compile(re.escape(RAW) + r"(\d+):([^,\n]*)")


def places(name: str) -> int | None:
    """Decimal places a column prints with (``None``: as it is)."""
    for key, count in DECIMALS.items():
        if name.endswith(key) or name == key:
            return count
    return None


def _cell(name: str, kind: str, *, bare_point: bool = False) -> str | None:
    """SQL printing column ``name`` of type ``kind``; ``None`` for a type not handled.

    ``bare_point``: a float whose decimals are all zeros keeps its point but
    not the zero after it (``finish_csv`` adds it).
    """
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
    if not bare_point:
        return (
            f"CASE WHEN {x} IS NULL THEN '' "
            f"WHEN {x} = 0 OR (abs({x}) >= 1e-4 AND abs({x}) < 1e9) "
            f"THEN regexp_replace(printf('%.{count}f', {x}), "
            f"'(\\.[0-9]*?[1-9]|\\.0)0*$', '\\1') "
            f"ELSE '{RAW}' || printf('%.17g', {x}) END"
        )
    # In CSV and table lines, ``str`` switches to exponent notation only for
    # a rounded value strictly between 0 and 1e-4: with 5 places, k * 1e-5
    # for k = 1..9, printed ``ke-05``; with fewer places no such value
    # exists. A RAW cell carries its places: ``~5:1.2e-10`` (never below
    # 1e9 with at most 5 places).
    tiny = ""
    if count == 5:
        digits = f"printf('%.5f', abs({x}))"
        tiny = (
            f"WHEN {x} <> 0 AND abs({x}) < 1e-4 AND {digits} NOT IN ('0.00000', '0.00010') "
            f"THEN CASE WHEN {x} < 0 THEN '-' ELSE '' END || right({digits}, 1) || 'e-05' "
        )
    elif count > 5:
        tiny = f"WHEN {x} <> 0 AND abs({x}) < 1e-4 THEN '{RAW}{count}:' || printf('%.17g', {x}) "
    return (
        f"CASE WHEN {x} IS NULL THEN '' {tiny}"
        f"WHEN abs({x}) < 1e9 THEN rtrim({_fixed(x, count)}, '0') "
        f"ELSE '{RAW}{count}:' || printf('%.17g', {x}) END"
    )


def _fixed(x: str, count: int) -> str:
    """SQL printing ``x`` (below 1e9 in size) with ``count`` decimals, correctly rounded.

    ``printf`` rounds the exact binary value, as Python does, but costs
    about twice DuckDB's cast to DECIMAL, which multiplies by 10^count and
    rounds the product. Below 1e9 (and ``count`` <= 5) the product is under
    2^47, so its rounding error is at most 2^-7 (under 0.008): when the
    product's fraction is more than 0.01 from one half, the exact value
    rounds the same way and the cast is right. Near a tie, at zero and for
    negative values (the cast drops the sign of ``-0.0``) ``printf`` prints.
    """
    if count > 5:
        return f"printf('%.{count}f', {x})"
    scale = 10**count
    return (
        f"CASE WHEN {x} > 0 AND abs({x} * {scale} - floor({x} * {scale}) - 0.5) > 0.01 "
        f"THEN CAST({x} AS DECIMAL(18, {count}))::VARCHAR "
        f"ELSE printf('%.{count}f', {x}) END"
    )


def _outside(name: str) -> str:
    x = f'"{name}"'
    return f"NOT ({x} IS NULL OR {x} = 0 OR (abs({x}) >= 1e-4 AND abs({x}) < 1e9))"


def text_query(
    con: DuckDBPyConnection, sql: str, params: list[Any], order: tuple[str, ...]
) -> str | None:
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


def _line_cells(names: list[tuple[str, str]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(name, type, SQL of its text) of each printed column; ``bool_and`` of the flag columns.

    Columns starting with ``_`` are not printed; boolean ones are flags,
    ANDed over every row. Raises ``ValueError`` for a type not printed here.
    """
    printed, anded = [], []
    for name, kind in names:
        if name.startswith("_"):
            if kind == "BOOLEAN":
                anded.append(f'bool_and("{name}")')
            continue
        cell = _cell(name, kind, bare_point=True)
        if cell is None:
            raise ValueError(f"no text for column {name} of type {kind}")
        printed.append((name, kind, cell))
    return printed, anded


def csv_query(sql: str, names: list[tuple[str, str]], order: tuple[str, ...], where: str) -> str:
    """SQL of one row: the CSV lines of ``sql``'s rows matching ``where``, and flags.

    ``names`` are the (column, DuckDB type) pairs of ``sql`` (its DESCRIBE);
    columns starting with ``_`` are left out of the lines, except boolean
    ones, which come back ANDed over every row (``where`` or not). The row
    is ``(header, lines, unsafe, *anded)``: the header line, ``lines`` joined by newlines in
    ``order`` (NULL when no row matches), ``unsafe`` true when a matching
    row has a text cell ``finish_csv`` cannot take (one CSV would quote, or
    with a point at its end or a ``RAW`` mark). Raises ``ValueError`` for a
    type this module does not print.
    """
    printed, anded = _line_cells(names)
    cells, unsafe = [], []
    for name, kind, cell in printed:
        if kind in _TEXT:
            # Text CSV would quote, or that finish_csv would change.
            unsafe.append(f"""regexp_matches(coalesce("{name}", ''), '[,"\\r\\n{RAW}]|[.]$')""")
        cells.append(cell)
    keys = ", ".join(f'"{k}"' for k in order)
    header = ",".join(name for name, _ in names if not name.startswith("_")).replace("'", "''")
    columns = [
        f"'{header}'",
        f"string_agg(concat_ws(',', {', '.join(cells)}), chr(10) ORDER BY {keys}) "
        f"FILTER (WHERE {where})",
        f"coalesce(bool_or({' OR '.join(unsafe) or 'false'}) FILTER (WHERE {where}), false)",
        *anded,
    ]
    return f"SELECT {', '.join(columns)} FROM ({sql})"


def finish_csv(lines: str | None) -> str:
    """The lines of ``csv_query`` as CSV text: a zero after each bare point, a final newline.

    ``RAW`` cells (tiny shares) are printed here, in Python.
    """
    if not lines:
        return ""
    # Only float cells can end with a point (the others are integers,
    # booleans, empty, or text without one at the end: see csv_query).
    lines = lines.replace(".,", ".0,").replace(".\n", ".0\n")
    if lines.endswith("."):
        lines += "0"
    if RAW in lines:
        lines = _RAW_CELL.sub(lambda m: str(round(float(m[2]), int(m[1]))), lines)
    return lines + "\n"


def table_query(sql: str, names: list[tuple[str, str]], order: tuple[str, ...], where: str) -> str:
    """SQL of one row: ``sql``'s rows matching ``where`` as right-aligned table lines, and flags.

    As ``csv_query``, but the row is ``(names, widths, lines, unsafe,
    *anded)``: ``names`` of the printed columns, ``widths`` the width of
    each (its name included),
    ``lines`` each matching row's cells right-aligned to them, two spaces
    apart, trailing spaces cut, joined by newlines in ``order``. A float
    cell with a bare point (``5.``) is padded one short: ``finish_table``
    adds its zero. ``unsafe`` is true also when a matching row has a
    ``RAW`` cell (Python decides its width).
    """
    printed, anded = _line_cells(names)
    cells: list[str] = []
    widths: list[str] = []
    padded: list[str] = []
    unsafe: list[str] = []
    for name, kind, cell in printed:
        i = len(cells)
        cells.append(f'{cell} AS "_c{i}"')
        bare = f"""ends_with("_c{i}", '.')::INTEGER""" if kind == "DOUBLE" else "0"
        # A window over every row, not a second pass over a CTE: cheaper.
        size = f'max(length("_c{i}") + {bare}) FILTER (WHERE "_m") OVER ()'
        widths.append(f'greatest({len(name)}, coalesce({size}, 0)) AS "_w{i}"')
        padded.append(f"""lpad("_c{i}", ("_w{i}" - {bare})::INTEGER, ' ')""")
        if kind == "DOUBLE":
            unsafe.append(f"""starts_with("_c{i}", '{RAW}')""")
        elif kind in _TEXT:
            unsafe.append(f"""regexp_matches(coalesce("{name}", ''), '[\\s{RAW}]|[.]$')""")
    keys = ", ".join(f'"{k}"' for k in order)
    kept = ", ".join(f'"{k}"' for k in order) + "".join(
        f', "{name}"' for name, kind in names if name.startswith("_") and kind == "BOOLEAN"
    )
    flag = " OR ".join(unsafe) or "false"
    titles = ", ".join("'{}'".format(name.replace("'", "''")) for name, _, _ in printed)
    columns = [
        f"[{titles}]",
        f"[{', '.join(f'any_value(_w{i})' for i in range(len(widths)))}]",
        f"string_agg(rtrim(concat_ws('  ', {', '.join(padded)})), chr(10) ORDER BY {keys}) "
        'FILTER (WHERE "_m")',
        'coalesce(bool_or("_u") FILTER (WHERE "_m"), false)',
        *anded,
    ]
    inner = f"SELECT {', '.join(cells)}, {kept}, ({where}) AS _m, ({flag}) AS _u FROM ({sql})"
    return f"SELECT {', '.join(columns)} FROM (SELECT *, {', '.join(widths)} FROM ({inner}))"


def finish_table(names: list[str], widths: list[int], lines: str | None) -> str:
    """The table of ``table_query``: header, dashes, lines with their bare points' zeros."""
    header = "  ".join(n.rjust(w) for n, w in zip(names, widths, strict=True)).rstrip()
    dashes = "  ".join("-" * w for w in widths)
    if not lines:
        return f"{header}\n{dashes}\n(no facility-days match)\n"
    # A bare point ends a float cell padded one short: before the two
    # spaces to the next cell, or at the end of a line.
    lines = lines.replace(".  ", ".0  ").replace(".\n", ".0\n")
    if lines.endswith("."):
        lines += "0"
    return f"{header}\n{dashes}\n{lines}\n"


def aligned_table(names: Sequence[str], rows: Sequence[Sequence[str]], *, empty: str) -> str:
    """``rows`` of text under ``names``, each column right-aligned, two spaces apart.

    A line of dashes under the header; ``empty`` when there is no row. The
    layout ``table_query`` and ``finish_table`` produce in DuckDB.
    """
    table = [tuple(names), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(names))]
    lines = [
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if not rows:
        lines.append(empty)
    return "\n".join(lines) + "\n"
