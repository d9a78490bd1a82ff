"""The tests of CMS's exclusion rules, and the one HPRD formula.

An exclusion rule compares a measure with a threshold: ``eq``, ``gt`` or
``lt``. The rules live in two kinds of data file (``data/pbj/
exclusion_rules.csv``, keyed by data quarter, applied to measures computed
from PBJ; each method's ``[[rules.exclusions]]``, applied to reported
values), and both are read through ``parse_comparison``, so an operator
that is not one of the three stops the load with the file named, never
silently becoming ``<``. ``Comparison.test`` is written once and works on
whatever the rule runs over: an Ibis column, a numpy array or a number.

``hprd`` is the HPRD formula (cms-staffing-methodology.md §3a): hours
summed over the days ÷ the MDS census summed over the same days, never an
average of daily ratios; no resident-days, no HPRD.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, overload

from carecover.errors import ConfigError

__all__ = ["Comparison", "hprd", "parse_comparison"]


class Comparison(StrEnum):
    """How an exclusion rule compares a measure with its threshold."""

    EQ = "eq"
    GT = "gt"
    LT = "lt"

    def test(self, value: Any, threshold: float) -> Any:
        """``value`` compared with ``threshold``: a bool, a numpy mask or an Ibis expression."""
        if self is Comparison.EQ:
            return value == threshold
        if self is Comparison.GT:
            return value > threshold
        return value < threshold


def parse_comparison(text: object, *, where: str) -> Comparison:
    """The operator ``text`` of a rule read from ``where``; ``ConfigError`` if unknown."""
    try:
        return Comparison(str(text).strip())
    except ValueError:
        known = ", ".join(c.value for c in Comparison)
        raise ConfigError(f"{where}: operator must be one of {known}, not {text!r}") from None


@overload
def hprd(hours: float, resident_days: float) -> float | None: ...
@overload
def hprd(hours: Any, resident_days: Any) -> Any: ...
def hprd(hours: Any, resident_days: Any) -> Any:
    """Hours per resident day: ``hours`` ÷ ``resident_days``; None (NULL) without resident-days.

    Numbers give a float or None; Ibis columns give a nullable float column.
    """
    if isinstance(resident_days, int | float):
        return hours / resident_days if resident_days > 0 else None
    import ibis

    return ibis.ifelse(resident_days > 0, hours / resident_days, ibis.null("float64"))
