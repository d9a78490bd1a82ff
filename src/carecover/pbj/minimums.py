"""State minimum staffing: one row per facility, quarter and rule, as an Ibis expression.

Each rule (``minimum_rules``, data in ``data/pbj/minimums``) is applied to the
daily public-file table (the store's ``daily_nurse_staffing``, or the same
columns from files) in engine-neutral Ibis, no row-by-row Python:

1. per day: the rule's weighted hours, its denominator (the MDS census, the
   base hours of a share, or 1 for hours per day) and whether any counted
   column has a value. Only days with residents are judged; a day whose
   counted columns are all empty is *missing* (not zero hours) and is left
   out of the sums (``days_missing`` says how many);
2. per averaging period (the day, the Sunday-to-Saturday week inside the
   quarter, or the quarter): summed hours ÷ summed denominator, never an
   average of daily ratios;
3. per quarter: ``actual`` is the lowest period's value (the quarter's value
   for a quarterly rule), ``compliant`` is true when no period is below the
   requirement. It is left empty — never guessed — when the file cannot
   decide: a reading of a requirement by shift, a figure that misses staff
   the rule counts (a lower bound below the requirement), a requirement that
   depends on the residents' mix (between ``threshold_low`` and
   ``threshold``), or an RN around the clock on days with 24 RN hours.

The rows are what ``carecover pbj minimums`` prints (``COLUMNS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_title
from carecover.pbj.minimum_rules import MinimumRule, RuleSet, rule_sets, select_rule_sets

__all__ = ["COLUMNS", "NOT_COMPUTABLE", "minimum_rows", "minimum_table", "minimums_source"]

COLUMNS = (
    "provnum",
    "state",
    "period",
    "rule",
    "required",
    "actual",
    "compliant",
    "required_low",
    "measure",
    "averaging",
    "quarter_value",
    "periods",
    "periods_below",
    "days",
    "days_below",
    "days_missing",
    "shortfall_hours",
    "status",
    "confidence",
    "note",
    "source",
)
NOT_COMPUTABLE = "not computable from this source"
_KEYS = ["provnum", "state", "quarter"]


def minimums_source(source: Any) -> Any:
    """The Ibis table of daily nurse rows (with ``state``) behind ``source``.

    ``source`` is an Ibis table with the store's columns, a store path
    (``.duckdb``/``.db``), or public CSV files, loaded through the careful
    loader into a scratch store (it keeps the ``STATE`` column and names the
    file, line and field of any bad row).
    """
    from carecover.pbj.loading import load_files
    from carecover.pbj.store import connect, ibis_table

    if hasattr(source, "group_by"):
        return source
    paths = [source] if isinstance(source, str | Path) else list(source)
    if len(paths) == 1 and Path(paths[0]).suffix.lower() in (".duckdb", ".db"):
        return ibis_table(connect(paths[0], read_only=True), "daily_nurse_staffing")
    con = connect(":memory:")
    load_files(con, [Path(p) for p in paths])
    return ibis_table(con, "daily_nurse_staffing")


def _column(code: int) -> str:
    column = job_title(code).puf_column
    assert column is not None  # minimum_rules admits nurse-file codes only
    return column.lower()


def _weighted(t: Any, rule: MinimumRule, codes: Sequence[int]) -> tuple[Any, Any]:
    """Weighted hours of ``codes`` (empty cells as 0), and whether any cell has a value."""
    total: Any = None
    known: Any = None
    for code in codes:
        col = t[_column(code)]
        part = col.fill_null(0) * rule.weight(code) if rule.weight(code) != 1 else col.fill_null(0)
        total = part if total is None else total + part
        known = col.notnull() if known is None else known | col.notnull()
    return total, known


def _period_key(t: Any, rule: MinimumRule) -> Any:
    import ibis

    period = "quarterly" if rule.measure == "reading" else rule.period
    if period == "daily":
        return t.workdate
    if period == "weekly":
        # Weeks run Sunday to Saturday (Florida); ibis counts Monday = 0.
        back = (t.workdate.day_of_week.index() + 1) % 7
        return t.workdate - back.as_interval("D")
    return ibis.literal(None, type="date")  # the quarter (already a key)


def _days(t: Any, rule: MinimumRule, dated: bool) -> Any:
    """One row per facility-day with the rule's hours, denominator and flags."""
    import ibis

    if dated:
        t = t.filter(t.workdate >= rule.effective_from)
        if rule.effective_to is not None:
            # Compared with the next day so that a timestamp column also works.
            t = t.filter(t.workdate < rule.effective_to + timedelta(days=1))
    hours, known = _weighted(t, rule, rule.job_codes)
    census = t.mdscensus
    if rule.measure == "share":
        den, base_known = _weighted(t, rule, rule.base_codes)
        known = known & base_known
    elif rule.measure == "hours_per_day":
        den = ibis.literal(1.0)
    else:
        den = census.cast("float64")
    resident = census > 0
    return t.select(
        provnum=t.provnum,
        state=t.state,
        quarter=t.quarter,
        key=_period_key(t, rule),
        hours=hours,
        den=den,
        judged=resident & known,
        missing=resident & ~known,
    )


def _shortfall(rule: MinimumRule, hours: Any, den: Any) -> Any:
    """Hours that would have lifted a period to the requirement (for a period below it)."""
    threshold = rule.threshold or 0.0
    if rule.measure == "share":
        # Adding x counted hours adds them to the base too: (h + x) / (b + x) = s.
        return (threshold * den - hours) / (1 - threshold) if threshold < 1 else hours * 0
    return threshold * den - hours


def _literal(value: Any, kind: str) -> Any:
    import ibis

    if kind == "float64" and value is not None:
        # Ibis writes 2.4 as a bare SQL literal, which DuckDB reads as DECIMAL.
        return ibis.literal(repr(float(value))).cast("float64")
    return ibis.literal(value, type=kind)


def _note(rule: MinimumRule, rule_set: RuleSet) -> str:
    parts = [rule.not_computable or ""]
    if rule.lower_bound:
        left_out = ", ".join(str(c) for c in rule.not_counted_codes)
        parts.append(
            f"lower bound: hours of job codes {left_out} count but are not in the nurse file, "
            f"so a figure below the requirement is {NOT_COMPUTABLE}"
        )
    if rule.threshold_low is not None:
        parts.append(
            f"the requirement lies between {rule.threshold_low:g} and {rule.threshold:g} "
            f"(resident mix not in the file): in between is {NOT_COMPUTABLE}"
        )
    if rule.measure == "hours_per_day":
        parts.append(
            f"an RN on site every hour is {NOT_COMPUTABLE}; a day under "
            f"{rule.threshold:g} RN hours shows it was not"
        )
    if rule_set.what_if:
        parts.append(f"{rule_set.status.upper()} (what-if): {rule_set.status_note}")
    parts.append(rule.note)
    return "; ".join(" ".join(p.split()).rstrip(".") for p in parts if p) + "."


def _compliant(rule: MinimumRule, q: Any) -> Any:
    import ibis

    unknown = ibis.null("boolean")
    if rule.measure == "reading":
        return unknown
    meets = q.periods_below == 0
    if rule.measure == "hours_per_day":
        return ibis.ifelse(meets, unknown, False)
    if rule.lower_bound:
        return ibis.ifelse(meets, True, unknown)
    if rule.threshold_low is not None:
        return ibis.ifelse(meets, True, ibis.ifelse(q.periods_below_low > 0, False, unknown))
    return meets


def _rule_table(t: Any, rule: MinimumRule, rule_set: RuleSet) -> Any:
    """The quarterly rows of one rule over the daily rows ``t``."""
    import ibis

    days = _days(t, rule, dated=not rule_set.what_if)
    p = days.group_by([*_KEYS, "key"]).aggregate(
        hours=days.hours.sum(where=days.judged),
        den=days.den.sum(where=days.judged),
        days=days.count(where=days.judged),
        days_missing=days.count(where=days.missing),
        # A day below on its own (informative for weekly and quarterly rules).
        # (compared as a ratio, like the periods: 358 h / 100 = 3.58 exactly,
        # where 3.58 * 100 is a little above 358 in binary).
        days_below=days.count(
            where=days.judged & (days.den > 0) & (days.hours / days.den < (rule.threshold or 0.0))
        ),
    )
    value = ibis.ifelse(p.den > 0, p.hours / p.den, ibis.null("float64"))
    p = p.mutate(value=value)
    threshold = rule.threshold if rule.measure != "reading" else None
    below = (p.value < threshold).fill_null(False) if threshold is not None else ibis.literal(False)
    low = rule.threshold_low if rule.threshold_low is not None else threshold
    below_low = (p.value < low).fill_null(False) if low is not None else ibis.literal(False)
    p = p.mutate(below=below, below_low=below_low, short=_shortfall(rule, p.hours, p.den))
    q = p.group_by(_KEYS).aggregate(
        periods=p.count(where=p.value.notnull()),
        periods_below=p.count(where=p.below),
        periods_below_low=p.count(where=p.below_low),
        lowest=p.value.min(),
        hours=p.hours.sum(),
        den=p.den.sum(),
        days=p.days.sum(),
        days_below=p.days_below.sum(),
        days_missing=p.days_missing.sum(),
        shortfall=p.short.sum(where=p.below),
    )
    quarter_value = ibis.ifelse(q.den > 0, q.hours / q.den, ibis.null("float64"))
    reading = rule.measure == "reading"
    return q.select(
        provnum=q.provnum,
        state=q.state,
        period=q.quarter,
        rule=_literal(rule.id, "string"),
        required=_literal(rule.threshold, "float64"),
        actual=(quarter_value if reading else q.lowest).round(5),
        compliant=_compliant(rule, q),
        required_low=_literal(rule.threshold_low, "float64"),
        measure=_literal(rule.measure, "string"),
        averaging=_literal("quarterly" if reading else rule.period, "string"),
        quarter_value=quarter_value.round(5),
        periods=q.periods,
        periods_below=q.periods_below if not reading else _literal(None, "int64"),
        days=q.days,
        days_below=q.days_below if not reading else _literal(None, "int64"),
        days_missing=q.days_missing,
        shortfall_hours=(
            _literal(None, "float64") if reading else q.shortfall.fill_null(0.0).round(2)
        ),
        status=_literal(rule_set.status, "string"),
        confidence=_literal(rule.confidence, "string"),
        note=_literal(_note(rule, rule_set), "string"),
        source=_literal(f"{rule.source} <{rule.url}>", "string"),
    ).filter(lambda r: r.days + r.days_missing > 0)


def _cast_counts(table: Any) -> Any:
    """Counts as int64 in every branch, so the union's columns agree."""
    return table.mutate(
        **{
            c: table[c].cast("int64")
            for c in ("periods", "periods_below", "days", "days_below", "days_missing")
        }
    )


def minimum_table(
    source: Any,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    state: str | None = None,
    rules: Sequence[str] | None = None,
    what_if: bool = False,
) -> Any:
    """Every applicable rule's rows for the facility-quarters of ``source`` (``COLUMNS``).

    Without ``rules`` each facility meets the rule sets in force in its own
    state; ``rules`` (rule-set names such as ``NY`` or ``federal-2024``, or
    rule ids) applies those to every facility instead; ``what_if`` adds the
    repealed federal rule of 2024. Repealed sets ignore their dates (a
    what-if); the others judge only the days they were in force.
    """
    import ibis

    t = minimums_source(source)
    if quarter is not None:
        label = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        t = t.filter(t.quarter == label)
    if facility is not None:
        t = t.filter(t.provnum == facility)
    if state is not None:
        t = t.filter(t.state == state.upper())
    applied: list[tuple[RuleSet, bool]] = []  # (set, for every facility)
    if rules:
        applied += [(s, True) for s in select_rule_sets(list(rules))]
    else:
        applied += [
            (s, False)
            for s in rule_sets()
            if not s.what_if and (state is None or s.state == state.upper())
        ]
    if what_if and not any(s.name == "federal-2024" for s, _ in applied):
        applied += [(s, True) for s in select_rule_sets(["federal-2024"])]
    parts = []
    for rule_set, everyone in applied:
        rows = t if everyone else t.filter(t.state == rule_set.state)
        parts += [_cast_counts(_rule_table(rows, rule, rule_set)) for rule in rule_set.rules]
    if not parts:
        # No rule applies (e.g. --state AL): the columns, no rows.
        empty = _cast_counts(_rule_table(t.limit(0), rule_sets()[0].rules[0], rule_sets()[0]))
        return empty.select(*COLUMNS)
    table = parts[0] if len(parts) == 1 else ibis.union(*parts)
    return table.select(*COLUMNS).order_by(["provnum", "period", "rule"])


def minimum_rows(source: Any, **kw: Any) -> list[dict[str, Any]]:
    """``minimum_table(source, **kw)`` executed: a list of row dictionaries."""
    from carecover.pbj.measures import to_rows

    return to_rows(minimum_table(source, **kw))
