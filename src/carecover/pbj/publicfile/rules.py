"""The public-file loader rules: one table of (column, predicate, message), written once.

Every rule a CMS daily staffing file must keep is a row of ``rules(kind)``:
the column a message names, the predicate that says a row breaks the rule
and the message, each an Ibis expression over a ``Row``. Three users read
the one table:

- the careful loader (``loading``) marks each row with the messages of every
  rule it breaks (``marked``), so its errors and quarantine rows name file,
  line and column;
- the quick check of a typed file scan (``publicfile.view_problems``)
  counts the rows that break any rule (``broken``: the same predicates,
  ORed), plus facility-days given twice; a file passing it loads without
  the careful pass;
- the measures read in place (``measures``, ``checked=True``) sum
  ``broken(..., grouped=True)`` per facility-quarter, beside their own
  duplicate-day check, and test the ``per_group`` rules once per
  facility-quarter (``broken_group``).

``per_group`` rules read only what a facility-quarter shares (the CCN and
CY_Qtr) or the day against the quarter. Rows grouped by CCN and CY_Qtr break
one of them exactly when the group's first or last day does: the keys are the
same on every row, and a quarter is one range of days, so every day lies in
it when the first and the last do. A caller that groups tests them on 120,000
facility-quarters instead of 11 million rows (the CCN's regular expressions
were a quarter of the measures' time over 8 national quarters).

A ``Row`` holds the typed values of a row (``provnum``; ``quarter``, CY_Qtr
normalised by ``quarter_of``; ``day``; ``census``; each hours column) and, in
the careful loader only, the text as written. A rule reading the text
(``parse``: an hours value that is not a number) is enforced by the typed
readers themselves: their scan fails, and the careful loader names the row.

The hours rules are one rule per column for messages; ``broken`` tests all
columns at once with one LEAST and one GREATEST (LEAST is below 0 exactly
when some column is, GREATEST is above the day's limit exactly when some
column is or is NaN: ``plausible``), the same predicates over the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from carecover.pbj.codes import job_titles
from carecover.pbj.columns import FileKind, hour_columns
from carecover.pbj.publicfile.plausible import census_too_large, too_many_hours, value_bounds

__all__ = [
    "Row",
    "Rule",
    "broken",
    "broken_group",
    "display_name",
    "duplicate_day",
    "marked",
    "quarter_of",
    "refusal",
    "rules",
]

# A CCN a spreadsheet turned into a number: 15009.0, 1.5009E+04.
_FLOAT_MANGLED = r"^(?:[0-9]+\.[0-9]*|[0-9.]+[eE][+-]?[0-9]+)$"
_CCN = r"^[0-9A-Za-z]{6}$"
_QUARTER = r"^(?:CY_?)?[0-9]{4}Q[1-4]$"
_LONG_WORD = re.compile(r"[^\s;,()']{41,}")


@dataclass(frozen=True)
class Row:
    """A file row as rules read it: typed values, and in the careful loader the text."""

    provnum: Any  # string
    quarter: Any  # string like 2024Q2, NULL when CY_Qtr is not a quarter (``quarter_of``)
    day: Any  # date, NULL when WorkDate is not a date
    census: Any  # float64, NULL when MDScensus is not a number
    hours: Mapping[str, Any]  # hours column (lower case) -> float64
    text: Mapping[str, Any] = field(default_factory=dict)  # column -> string as written


@dataclass(frozen=True)
class Rule:
    """One loader rule: a row ``breaks`` it when the predicate is true."""

    column: str  # the store column a message names (``display_name`` spells it as CMS does)
    breaks: Callable[[Row], Any]
    message: Callable[[Row], Any]
    parse: bool = False  # reads the text: the typed readers enforce it by failing
    per_group: bool = False  # a facility-quarter's first and last day tell (module docstring)


def quarter_of(cy_qtr: Any) -> Any:
    """CY_Qtr as ``2024Q2`` (``CY2024Q2``, ``cy_2024q2`` accepted), NULL when it is none."""
    import ibis

    upper = cy_qtr.strip().upper()
    return ibis.ifelse(upper.re_search(_QUARTER), upper.right(6), ibis.null("string"))


@cache
def display_name(column: str) -> str:
    """How CMS spells a store column in its files (``hrs_rn_emp`` -> ``Hrs_RN_emp``)."""
    names = {"provnum": "PROVNUM", "cy_qtr": "CY_Qtr", "workdate": "WorkDate"}
    names["mdscensus"] = "MDScensus"
    for t in job_titles():
        if t.puf_column:
            for suffix in ("", "_emp", "_ctr"):
                names[(t.puf_column + suffix).lower()] = t.puf_column + suffix
    return names.get(column, column)


def _text(row: Row, column: str) -> Any:
    import ibis

    return row.text.get(column, ibis.null("string")).fill_null("")


def _limit(census: Any) -> Any:
    """The most hours one column may hold on the day (``plausible``)."""
    import ibis

    b = value_bounds()
    return ibis.greatest(census, 0) * b.hours_per_resident_day + b.hours_margin_per_day


def _outside_quarter(row: Row) -> Any:
    # try_cast: the measures read CY_Qtr as written, and refuse any other
    # spelling than 2024Q2 per facility-quarter (``measures._clean``).
    year = row.quarter.left(4).try_cast("int64")
    number = row.quarter.right(1).try_cast("int64")
    return (row.day.year() != year) | (row.day.quarter() != number)


def _whole(census: Any) -> Any:
    # `% 1`, not floor(): Ibis casts floor() to BIGINT, which fails on inf.
    return ~(census.isnan() | census.isinf()) & (census >= 0) & ((census % 1) == 0)


def _hours_rules(column: str) -> list[Rule]:
    import ibis

    def hours(row: Row) -> Any:
        return row.hours[column]

    def why(row: Row) -> Any:
        b = value_bounds()
        return (
            f" (not finite, or above {b.hours_per_resident_day:g} h x "
            + row.census.try_cast("int64").cast("string")
            + f" resident(s) + {b.hours_margin_per_day:g} h = "
            + _limit(row.census).try_cast("int64").cast("string")
            + ")"
        )

    return [
        Rule(
            column,
            lambda row: row.text[column].notnull() & hours(row).isnull(),
            lambda row: "not a number: " + _text(row, column),
            parse=True,
        ),
        Rule(
            column,
            lambda row: (hours(row) < 0) | too_many_hours(hours(row), row.census),
            lambda row: ibis.ifelse(
                hours(row) < 0,
                "negative hours: " + _text(row, column),
                "implausible hours " + _text(row, column) + " in one day" + why(row),
            ),
        ),
    ]


@cache
def rules(kind: FileKind) -> tuple[Rule, ...]:
    """Every loader rule of a ``kind`` file, in the order messages list them."""
    import ibis

    max_census = value_bounds().max_census
    table = [
        Rule(
            "provnum",
            lambda r: r.provnum.isnull(),
            lambda r: ibis.literal("missing"),
            per_group=True,
        ),
        Rule(
            "provnum",
            lambda r: r.provnum.re_search(_FLOAT_MANGLED),
            lambda r: (
                "float-mangled CCN "
                + r.provnum
                + " (CCNs are 6-character text: re-export the file keeping PROVNUM as text, "
                "with leading zeros)"
            ),
            per_group=True,
        ),
        Rule(
            "provnum",
            lambda r: ~r.provnum.re_search(_CCN),
            lambda r: (
                "CCN must be 6 letters or digits, got "
                + r.provnum
                + ibis.ifelse(r.provnum.re_search(r"^[0-9]{5}$"), " (leading zero lost?)", "")
            ),
            per_group=True,
        ),
        Rule(
            "cy_qtr",
            lambda r: r.quarter.isnull(),
            lambda r: "not a quarter like 2024Q2: " + _text(r, "cy_qtr"),
            per_group=True,
        ),
        Rule(
            "workdate",
            lambda r: r.day.isnull(),
            lambda r: "not a date (YYYYMMDD or YYYY-MM-DD): " + _text(r, "workdate"),
        ),
        Rule(
            "workdate",
            _outside_quarter,
            lambda r: r.day.strftime("%Y-%m-%d") + " is outside CY_Qtr " + r.quarter,
            per_group=True,
        ),
        Rule(
            "mdscensus",
            lambda r: r.census.isnull() | ~_whole(r.census),
            lambda r: "not a whole number of residents: " + _text(r, "mdscensus"),
        ),
        Rule(
            "mdscensus",
            lambda r: ~(r.census.isnan() | r.census.isinf()) & census_too_large(r.census),
            lambda r: (
                "implausible census "
                + _text(r, "mdscensus")
                + f" (more than {max_census} residents)"
            ),
        ),
    ]
    for column in hour_columns(kind):
        table += _hours_rules(column)
    return tuple(table)


def broken(row: Row, kind: FileKind, *, grouped: bool = False) -> Any:
    """True when the row breaks a rule that the typed values can show (``parse`` ones excepted).

    The per-column hours rules are tested together: one LEAST below 0, one
    GREATEST above the day's limit (or NaN), over the columns ``row`` holds.
    ``grouped``: leave out the ``per_group`` rules, which a caller grouping
    rows by CCN and CY_Qtr tests with ``broken_group``.
    """
    import ibis

    each = [
        rule.breaks(row)
        for rule in rules(kind)
        if not _on_hours(rule) and not rule.parse and not (grouped and rule.per_group)
    ]
    values = list(row.hours.values())
    if values:
        each.append(ibis.least(*values) < 0)
        each.append(too_many_hours(ibis.greatest(*values), row.census))
    return _any(each)


def broken_group(first: Row, last: Row, kind: FileKind) -> Any:
    """True when a facility-quarter breaks a ``per_group`` rule.

    ``first`` and ``last`` hold the group's CCN, CY_Qtr and its earliest and
    latest day (the module docstring says why these two rows tell for all).
    """
    tests = [rule.breaks(row) for rule in rules(kind) if rule.per_group for row in (first, last)]
    return _any(tests)


def _any(tests: list[Any]) -> Any:
    test = tests[0]
    for more in tests[1:]:
        test = test | more
    return test.fill_null(False)


def _on_hours(rule: Rule) -> bool:
    return rule.column.startswith("hrs_")


def marked(table: Any, row: Row, kind: FileKind) -> Any:
    """``table`` with ``reason`` (every broken rule's message, ``'; '``-joined; ``''`` when
    none) and ``field`` (the first broken rule's column as CMS spells it; NULL when none)."""
    import ibis

    table_rules = rules(kind)
    tests = [rule.breaks(row).fill_null(False) for rule in table_rules]
    bad = tests[0]
    for test in tests[1:]:
        bad = bad | test
    reasons = [
        ibis.ifelse(test, f"{display_name(rule.column)}: " + rule.message(row), ibis.null("string"))
        for rule, test in zip(table_rules, tests, strict=True)
    ]
    first = ibis.cases(
        *((test, display_name(rule.column)) for rule, test in zip(table_rules, tests, strict=True))
    )
    # Good rows skip the message building: CASE evaluates only the branch it takes.
    return table.mutate(
        reason=ibis.ifelse(bad, ibis.literal("; ").join(reasons), ""),
        field=ibis.ifelse(bad, first, ibis.null("string")),
    )


def refusal(reason: str, field: str | None, total: int) -> str:
    """The message refusing a file at its first bad row: ``marked``'s ``reason`` of that row.

    Without the leading ``field: `` (the error names the field), any word
    over 40 characters cut (a 400-digit number is not echoed), and how many
    more rows are bad (``total`` counts them all).
    """
    if field and reason.startswith(f"{field}: "):
        reason = reason[len(field) + 2 :]
    reason = _LONG_WORD.sub(
        lambda m: f"{m.group(0)[:20]}... ({len(m.group(0))} characters)", reason
    )
    more = f" (and {total - 1} more bad row(s); use --quarantine to load the rest)"
    return reason + (more if total > 1 else "")


def duplicate_day(provnum: str, day: Any, lines: Sequence[int], groups: int) -> str:
    """The message refusing a file that gives a facility-day twice (on ``lines``).

    ``groups``: how many facility-days are given more than once. Which row
    is right cannot be decided, so the file is refused whatever the mode.
    """
    more = f" (and {groups - 1} more duplicated facility-day(s))" if groups > 1 else ""
    shown = ", ".join(str(n) for n in lines)
    return f"duplicate facility-day {provnum} {day.isoformat()} on lines {shown}{more}"
