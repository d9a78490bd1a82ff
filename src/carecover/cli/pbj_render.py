"""How ``pbj measures`` and ``pbj coverage`` print rows: an aligned table, CSV or JSON.

Lines go straight to ``sys.stdout`` (looked up at each call, so captured
output sees them).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from itertools import chain
from typing import Any

from carecover.pbj.measures.text import aligned_table
from carecover.pbj.measures.text import places as _places

__all__ = ["Format", "render", "render_tuples", "rounded_texts"]


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


_FLOATS = {float, type(None)}


def _round(name: str, value: Any) -> Any:
    places = _places(name)
    if places is None or not isinstance(value, float):
        return value
    return round(value, places)


def _cell(value: Any, places: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if places is not None and isinstance(value, float):
        value = round(value, places)
    return str(value)


def rounded_texts(values: list[float | None], places: int) -> list[str]:
    """``str(round(v, places))`` of each value ("" for None), about twice as fast.

    ``fmt % v`` rounds exactly as ``round`` does (both correctly round the
    binary value to ``places`` decimals); for 1e-4 <= |v| < 1e9 that decimal
    has at most 15 significant digits, so ``str`` of the rounded float prints
    it back, without the trailing zeros. Outside that range ``str`` may switch
    to exponent notation: ask it.
    """
    fmt = f"%.{places}f"
    texts = []
    for v in values:
        if v is None:
            texts.append("")
        elif 1e-4 <= abs(v) < 1e9:
            text = (fmt % v).rstrip("0")
            texts.append(text + "0" if text[-1] == "." else text)
        else:
            texts.append(str(round(v, places)))
    return texts


def _column_texts(values: list[Any], places: int | None) -> list[str]:
    # The type test runs in C (set of types), not a Python generator per cell.
    types = set(map(type, values))
    if places is not None and types <= _FLOATS:
        # The hot case (hours, HPRD): one loop per column, not a call per cell.
        return rounded_texts(values, places)
    if types <= {str}:
        return values
    if types <= {int}:
        return list(map(str, values))
    return [_cell(v, places) for v in values]


def _texts(rows: list[tuple[Any, ...]], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    if set(map(type, chain.from_iterable(rows))) <= {str}:
        return rows  # printed already (``quarterly_table(as_text=True)``)
    # Column by column: the rounding of each is looked up once, not once per cell.
    texts = [
        _column_texts(list(values), _places(c))
        for c, values in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    return list(zip(*texts, strict=True)) if rows else []


def render(rows: list[dict[str, Any]], columns: Sequence[str], fmt: Format) -> None:
    """Print ``rows`` (dictionaries with ``columns``) to stdout in ``fmt`` (``render_tuples``)."""
    render_tuples([tuple(map(r.__getitem__, columns)) for r in rows], columns, fmt)


def render_tuples(rows: list[tuple[Any, ...]], columns: Sequence[str], fmt: Format) -> None:
    """Print ``rows`` (tuples in the order of ``columns``) to stdout in ``fmt``.

    Hours print with 2 decimals, HPRD with 5, the average census with 2 and
    the contract share with 4 (as CMS publishes them); ``table`` right-aligns
    each column and says so when no row matched. Rows of text print as they are.
    """
    out = sys.stdout
    if fmt is Format.JSON:
        data = [{c: _round(c, v) for c, v in zip(columns, r, strict=True)} for r in rows]
        out.write(json.dumps(data, indent=2, default=str) + "\n")
        return
    if fmt is Format.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(_texts(rows, columns))
        return
    out.write(aligned_table(columns, _texts(rows, columns), empty="(no facility-days match)"))
