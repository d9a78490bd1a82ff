"""The values a provider-file column may hold: stars 1-5, HPRD 0-24, turnover 0-100 %.

A number outside its range is refused with the file, line and column, never
rated (issue 12 §1: an ``inf`` adjusted HPRD earned 5 stars, -5 HPRD 3 stars,
-50 % turnover 5 stars). The ranges are data (``data/rating/provider_ranges.csv``,
with their source); an empty cell stays a missing value, handled by the
method's missing-measure policy.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from carecover.errors import InputError

__all__ = ["Range", "check_range", "check_value", "ranges"]


@dataclass(frozen=True)
class Range:
    """The allowed values of one numeric provider-file field."""

    field: str
    minimum: float
    maximum: float
    whole: bool
    unit: str

    def describe(self) -> str:
        """The range in words, e.g. ``0 to 24 hours per resident per day``."""
        return f"{self.minimum:g} to {self.maximum:g} {self.unit}"


@cache
def ranges() -> dict[str, Range]:
    """Every numeric field's range, from ``data/rating/provider_ranges.csv``."""
    text = (
        resources.files("carecover")
        .joinpath("data", "rating", "provider_ranges.csv")
        .read_text(encoding="utf-8")
    )
    return {
        row["field"]: Range(
            field=row["field"],
            minimum=float(row["minimum"]),
            maximum=float(row["maximum"]),
            whole=row["whole"] == "yes",
            unit=row["unit"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def check_range(
    field: str,
    values: npt.NDArray[np.float64],
    lines: list[int],
    *,
    header: str,
    file: str,
) -> None:
    """Raise ``InputError`` naming the first value of ``values`` outside ``field``'s range.

    NaN is a missing cell (``providerfile`` reads empty, ``.`` and ``NA`` as
    NaN) and passes; infinities and out-of-range numbers do not.
    """
    allowed = ranges().get(field)
    if allowed is None:
        return
    present = ~np.isnan(values)
    bad = present & ((values < allowed.minimum) | (values > allowed.maximum))
    if allowed.whole:
        bad |= present & np.isfinite(values) & (values != np.floor(values))
    if not bad.any():
        return
    at = int(np.argmax(bad))
    value = float(values[at])
    shown = f"{value:g}" if abs(value) < 1e15 or not np.isfinite(value) else f"{value:.3g}"
    kind = "a whole number from" if allowed.whole else "a number from"
    more = int(bad.sum()) - 1
    tail = f" (and {more} more row(s))" if more else ""
    raise InputError(
        f"{shown} is out of range: expected {kind} {allowed.describe()}{tail}",
        file=file,
        line=lines[at],
        field=header,
    )


def check_value(field: str, value: float | None, *, name: str | None = None) -> None:
    """Raise ``InputError`` (naming ``name``, else ``field``) when ``value`` is outside the range.

    One value a user gives (a projection's case-mix ratio or turnover):
    ``None`` is a value not given and passes; NaN, infinities and numbers
    outside ``field``'s range do not.
    """
    if value is None:
        return
    allowed = ranges()[field]
    number = float(value)
    inside = math.isfinite(number) and allowed.minimum <= number <= allowed.maximum
    if inside and (not allowed.whole or number.is_integer()):
        return
    kind = "a whole number from" if allowed.whole else "a number from"
    raise InputError(
        f"{number:g} is out of range: expected {kind} {allowed.describe()}", field=name or field
    )
