"""Which facility-quarters stay out of the staffing rating: CMS's exclusion rules.

The rules are data (``data/pbj/exclusion_rules.csv``: measure, operator,
threshold, the data quarters they apply to, source and confidence); each
operator is read through ``comparison.parse_comparison``. ``excluded`` is
the rule as an Ibis expression over the quarterly measures (``pbj.measures``
adds it as the ``excluded`` column): a quarter without resident-days, or any
rule in force for its quarter that its measures break. A measure that cannot
be computed (NULL) triggers no rule.

The methods' own ``[[rules.exclusions]]`` apply the same tests to reported
values (``scoring``); both share ``Comparison``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from carecover.rating.comparison import Comparison, parse_comparison

__all__ = ["ExclusionRule", "excluded", "exclusion_rules"]


@dataclass(frozen=True)
class ExclusionRule:
    """One implausible-value test that keeps a quarter out of the measures."""

    measure: str
    operator: Comparison
    threshold: float
    first_quarter: str | None
    last_quarter: str | None
    source: str
    confidence: str


@cache
def exclusion_rules() -> tuple[ExclusionRule, ...]:
    """The exclusion rules shipped in ``data/pbj/exclusion_rules.csv``."""
    text = (
        resources.files("carecover")
        .joinpath("data", "pbj", "exclusion_rules.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(
        ExclusionRule(
            measure=row["measure"],
            operator=parse_comparison(row["operator"], where=f"exclusion_rules.csv line {line}"),
            threshold=float(row["threshold"]),
            first_quarter=row["first_quarter"] or None,
            last_quarter=row["last_quarter"] or None,
            source=row["source"],
            confidence=row["confidence"],
        )
        for line, row in enumerate(csv.DictReader(text.splitlines()), start=2)
    )


def _rule_hit(rule: ExclusionRule, m: Any) -> Any:
    test = rule.operator.test(m[rule.measure], rule.threshold)
    if rule.first_quarter:
        test = test & (m.quarter >= rule.first_quarter)
    if rule.last_quarter:
        test = test & (m.quarter <= rule.last_quarter)
    # A measure that cannot be computed (NULL) does not trigger the rule.
    return test.fill_null(False)


def excluded(m: Any) -> Any:
    """Whether each facility-quarter of the quarterly measures ``m`` is excluded (Ibis)."""
    out = m.resident_days.fill_null(0) <= 0
    for rule in exclusion_rules():
        out = out | _rule_hit(rule, m)
    return out
