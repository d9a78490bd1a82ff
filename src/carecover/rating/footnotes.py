"""CMS's Care Compare footnote legend, as data (``data/rating/footnotes.csv``).

Only some footnotes change a rating; ``effect`` says how:

- ``one_star``: the staffing rating is one star whatever the figures (12, 23,
  24; 25 is our reading, UNCONFIRMED);
- ``no_rating``: no rating is given (1, 2, 18);
- ``lowest_points`` / ``drop``: on a turnover column, the measure gets the
  lowest points (26) or is left out and the score rescaled (27);
- ``measure_missing``: the measure could not be computed (6, 10) — the
  method's missing-measure policy applies;
- ``none``: informational.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache

from carecover.rating.methods import data_text

__all__ = ["Footnote", "footnote", "footnotes", "parse_codes"]

_CODE = re.compile(r"\d+(?:\.0+)?")


@dataclass(frozen=True)
class Footnote:
    """One entry of the legend."""

    code: int
    text: str
    effect: str
    source: str
    confidence: str


@cache
def footnotes() -> dict[int, Footnote]:
    """The legend, by code."""
    rows = csv.DictReader(data_text("footnotes.csv").splitlines())
    return {
        int(r["code"]): Footnote(
            int(r["code"]), r["text"], r["effect"], r["source"], r["confidence"]
        )
        for r in rows
    }


def footnote(code: int) -> Footnote | None:
    """The legend entry for ``code``, or None for a code we do not know."""
    return footnotes().get(code)


def parse_codes(cell: str) -> tuple[int, ...]:
    """Footnote codes in a cell: ``"12"``, ``"12.0"``, ``"1, 12"`` → (12,), (12,), (1, 12).

    A number too large for a float (400 digits) is no code we know, like any
    other unknown code: it is left out rather than overflowing.
    """
    values = (float(c) for c in _CODE.findall(cell or ""))
    return tuple(int(v) for v in values if math.isfinite(v))
