"""Which numbers a PBJ public file may hold: the one home of the bad-number rule.

A value that cannot be hours worked on one day is refused, never computed
(issue 12 §1): the loader rules (``publicfile.rules``), which the public-file
loader (careful and fast paths), the measures and coverage read in place and
the portal upload all apply, ask this module.

- Every hours column of a day must be a number no greater than
  ``24 × MDScensus + 240`` (``data/pbj/plausible_values.csv``). That refuses
  ``NaN``, ``inf``, ``1e308`` and a 400-digit number (DuckDB reads it as
  ``inf``) with the implausible ones: in DuckDB NaN sorts above every
  number, so one comparison catches all of them.
- MDScensus must be at most ``max_census`` (2000): a census of 3000000000 is
  a typing error, not a facility.

These are carecover's bounds, not CMS's. CMS's implausible-value rules are
quarterly (total nurse HPRD above 12, aide HPRD above 5.25: ``exclusion_rules``):
a quarter beyond them is still computed and marked ``excluded``, as CMS does.
A day beyond the bounds here cannot be a real day of work, so its file is
refused (or, with ``--quarantine``, the row is quarantined).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "ValueBounds",
    "census_too_large",
    "too_many_hours",
    "value_bounds",
]


@dataclass(frozen=True)
class ValueBounds:
    """The largest values a public-file day may hold."""

    hours_per_resident_day: float
    hours_margin_per_day: float
    max_census: int

    def hours_limit(self, census: float) -> float:
        """The most hours one column may hold on a day with ``census`` residents."""
        return self.hours_per_resident_day * max(census, 0) + self.hours_margin_per_day


@cache
def value_bounds() -> ValueBounds:
    """The bounds shipped in ``data/pbj/plausible_values.csv``."""
    text = (
        resources.files("carecover")
        .joinpath("data", "pbj", "plausible_values.csv")
        .read_text(encoding="utf-8")
    )
    values = {row["setting"]: row["value"] for row in csv.DictReader(text.splitlines())}
    return ValueBounds(
        hours_per_resident_day=float(values["hours_per_resident_day"]),
        hours_margin_per_day=float(values["hours_margin_per_day"]),
        max_census=int(values["max_census"]),
    )


def too_many_hours(hours: Any, census: Any) -> Any:
    """``hours`` is NaN, infinite or above the day's limit (NULL when either is unknown).

    An Ibis expression: DuckDB orders NaN above +inf, so ``>`` is true for
    NaN as well; the loader rules (``publicfile.rules``) use it on every path.
    """
    b = value_bounds()
    import ibis

    limit = ibis.greatest(census, 0) * b.hours_per_resident_day + b.hours_margin_per_day
    return hours > limit


def census_too_large(census: Any) -> Any:
    """``census`` is above the largest plausible census (an Ibis expression)."""
    return census > value_bounds().max_census
