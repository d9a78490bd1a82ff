"""Warnings for days missing, blank or without nurse staffing (issue 15 §2).

A quarter with days absent from the file, days whose RN cells are blank, or
days with residents and no nurse hours is never measured silently: every
command that shows a facility-quarter's figures (``pbj measures``, ``pbj
validate``, ``rating project``, ``facility figures``, the facility page)
words the same warnings from the same counts (``measures.QUARTERLY_COLUMNS``
``days_missing``, ``days_blank``, ``days_without_nurse_staffing``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["day_warnings", "printed_warnings", "summarised"]

_SHOWN = 10  # warnings listed before "and N more" (a national file has thousands)


def day_warnings(row: Mapping[str, Any]) -> list[str]:
    """The warnings for one facility-quarter's day counts (empty when every day is there)."""
    where = f"{row.get('provnum', '')} {row.get('quarter', '')}".strip()
    out = []
    missing = int(row.get("days_missing") or 0)
    if missing:
        out.append(
            f"{where}: {missing} day(s) of the quarter missing from the data; "
            "a missing day is not a day of full staffing (the measures cover "
            f"{row.get('days_reported', 0)} day(s))"
        )
    blank = int(row.get("days_blank") or 0)
    if blank:
        out.append(f"{where}: {blank} day(s) with blank RN hours (counted as 0, census kept)")
    no_nurse = int(row.get("days_without_nurse_staffing") or 0)
    if no_nurse:
        out.append(
            f"{where}: {no_nurse} day(s) with residents and no nurse hours: CMS leaves out "
            "facilities with missing nurse staffing on days with census (threshold "
            "UNCONFIRMED, ours: any day; see exclusion_rules.csv)"
        )
    return out


def summarised(warnings: Iterable[str], shown: int = _SHOWN) -> list[str]:
    """The first ``shown`` warnings and a line counting the rest."""
    items = list(warnings)
    if len(items) <= shown:
        return items
    return [*items[:shown], f"... and {len(items) - shown} more warning(s) of missing days"]


def printed_warnings(text: str, layout: str) -> list[str]:
    """The day warnings of measures already printed as ``csv`` or ``table`` text.

    Read back from the text so the fast path (DuckDB prints the table) runs
    no second query. The table's dashed line gives each column's span.
    """
    lines = text.splitlines()
    if len(lines) < 2:
        return []
    if layout == "csv":
        rows: Iterable[Mapping[str, Any]] = _counted_rows(text)
    else:
        spans, start = [], None
        dashes = lines[1]
        for i, ch in enumerate(dashes + " "):
            if ch == "-" and start is None:
                start = i
            elif ch != "-" and start is not None:
                spans.append((start, i))
                start = None
        names = [lines[0][a:b].strip() for a, b in spans]
        rows = (
            {n: line[a:b].strip() for n, (a, b) in zip(names, spans, strict=True)}
            for line in lines[2:]
        )
    out: list[str] = []
    for row in rows:
        try:
            out.extend(day_warnings(row))
        except ValueError:
            continue  # a line that is not a measures row (e.g. "(no facility-days match)")
    return out


_COUNTS = ("days_missing", "days_blank", "days_without_nurse_staffing")


def _counted_rows(text: str) -> Iterable[Mapping[str, Any]]:
    """The rows of CSV ``text`` that count a day (most do not: no dict is built for those).

    A national file prints 15,000 facility-quarters or more; reading each
    back as a dictionary cost about a twentieth of ``pbj measures``.
    """
    reader = csv.reader(io.StringIO(text))
    names = next(reader)
    at = [names.index(c) for c in _COUNTS if c in names]
    for row in reader:
        if any(i < len(row) and row[i] not in ("0", "") for i in at):
            yield dict(zip(names, row, strict=False))
