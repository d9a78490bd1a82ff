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
from datetime import date
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_title
from carecover.pbj.measures.minimum_rules import MinimumRule, RuleSet, rule_sets, select_rule_sets

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
    from carecover.pbj.publicfile.loading import load_files
    from carecover.pbj.sources import FilesSource, StoreSource, TableSource, resolve
    from carecover.pbj.store import connect, ibis_table

    match resolve(source):
        case TableSource(table):
            return table
        case StoreSource(path):
            return ibis_table(connect(path, read_only=True), "daily_nurse_staffing")
        case FilesSource(paths):
            con = connect(":memory:")
            load_files(con, list(paths))
            return ibis_table(con, "daily_nurse_staffing")


_NURSE_CODES = tuple(range(5, 13))  # the Daily Nurse Staffing columns, codes 5-12
_FAR = date(9999, 12, 31)


def _column(code: int) -> str:
    column = job_title(code).puf_column
    assert column is not None  # codes 5-12 all have a nurse-file column
    return column.lower()


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


def _rule_row(rule: MinimumRule, rule_set: RuleSet, everyone: bool) -> dict[str, Any]:
    """One rule as a row of the rules table the expression joins to the days."""
    reading = rule.measure == "reading"
    row: dict[str, Any] = {
        "rule": rule.id,
        "rule_state": "*" if everyone else rule_set.state,
        # A repealed rule set is a what-if: every day is judged.
        "date_from": date(1, 1, 1) if rule_set.what_if else rule.effective_from,
        "date_to": _FAR if rule_set.what_if else (rule.effective_to or _FAR),
        "measure": rule.measure,
        "averaging": "quarterly" if reading else rule.period,
        "required": None if reading else rule.threshold,
        "required_low": rule.threshold_low,
        "lower_bound": rule.lower_bound,
        "status": rule_set.status,
        "confidence": rule.confidence,
        "note": _note(rule, rule_set),
        "source": f"{rule.source} <{rule.url}>",
    }
    for code in _NURSE_CODES:
        row[f"w_{code}"] = rule.weight(code) if code in rule.job_codes else 0.0
        row[f"b_{code}"] = 1.0 if code in rule.base_codes else 0.0
    return row


def _rules_table(applied: list[tuple[RuleSet, bool]]) -> Any:
    import ibis
    import pyarrow as pa  # type: ignore[import-untyped]

    rows: dict[str, dict[str, Any]] = {}
    for rule_set, everyone in applied:
        for rule in rule_set.rules:
            rows.setdefault(rule.id, _rule_row(rule, rule_set, everyone))
    schema = pa.schema(
        [
            ("rule", pa.string()),
            ("rule_state", pa.string()),
            ("date_from", pa.date32()),
            ("date_to", pa.date32()),
            ("measure", pa.string()),
            ("averaging", pa.string()),
            ("required", pa.float64()),
            ("required_low", pa.float64()),
            ("lower_bound", pa.bool_()),
            ("status", pa.string()),
            ("confidence", pa.string()),
            ("note", pa.string()),
            ("source", pa.string()),
        ]
        + [(f"{k}_{c}", pa.float64()) for k in ("w", "b") for c in _NURSE_CODES]
    )
    return ibis.memtable(pa.Table.from_pylist(list(rows.values()), schema=schema))


def _days(t: Any, r: Any) -> Any:
    """One row per facility-day and applicable rule: its hours, denominator and flags."""
    import ibis

    # Two joins, not one on an OR: a state's rules by an equi-join (hashed), the
    # rules applied to every facility by a cross join with those few rows.
    own = t.join(r.filter(r.rule_state != "*"), t.state == r.rule_state)
    j = own.union(t.cross_join(r.filter(r.rule_state == "*")))
    j = j.filter((j.workdate >= j.date_from) & (j.workdate <= j.date_to))
    hours: Any = ibis.literal(0.0)
    base: Any = ibis.literal(0.0)
    known: Any = ibis.literal(False)
    base_known: Any = ibis.literal(False)
    for code in _NURSE_CODES:
        col = j[_column(code)]
        weight, in_base = j[f"w_{code}"], j[f"b_{code}"]
        hours = hours + weight * col.fill_null(0)
        base = base + in_base * col.fill_null(0)
        known = known | ((weight > 0) & col.notnull())
        base_known = base_known | ((in_base > 0) & col.notnull())
    census = j.mdscensus.cast("float64")
    den = ibis.cases(
        (j.measure == "share", base), (j.measure == "hours_per_day", 1.0), else_=census
    )
    known = ibis.ifelse(j.measure == "share", known & base_known, known)
    # Weeks run Sunday to Saturday (Florida); ibis counts Monday = 0.
    back = (j.workdate.day_of_week.index() + 1) % 7
    key = ibis.cases(
        (j.averaging == "daily", j.workdate),
        (j.averaging == "weekly", j.workdate - back.as_interval("D")),
        else_=ibis.null("date"),
    )
    resident = j.mdscensus > 0
    return j.select(
        provnum=j.provnum,
        state=j.state,
        quarter=j.quarter,
        rule=j.rule,
        key=key,
        hours=hours,
        den=den,
        required=j.required,
        required_low=j.required_low,
        measure=j.measure,
        judged=resident & known,
        missing=resident & ~known,
    )


def _compliant(q: Any) -> Any:
    import ibis

    unknown = ibis.null("boolean")
    meets = q.periods_below == 0
    return ibis.cases(
        # No day with residents and hours: nothing to judge.
        (q.periods == 0, unknown),
        (q.measure == "reading", unknown),
        (q.measure == "hours_per_day", ibis.ifelse(meets, unknown, False)),
        (q.lower_bound, ibis.ifelse(meets, True, unknown)),
        (
            q.required_low.notnull(),
            ibis.ifelse(meets, True, ibis.ifelse(q.periods_below_low > 0, False, unknown)),
        ),
        else_=meets,
    )


def _expression(t: Any, r: Any) -> Any:
    """The quarterly rows of every rule in ``r`` over the daily rows ``t``."""
    import ibis

    days = _days(t, r)
    p = days.group_by(["provnum", "state", "quarter", "rule", "key"]).aggregate(
        hours=days.hours.sum(where=days.judged),
        den=days.den.sum(where=days.judged),
        days=days.count(where=days.judged),
        days_missing=days.count(where=days.missing),
        # A day below on its own (informative for weekly and quarterly rules),
        # compared as a ratio like the periods: 358 h / 100 = 3.58 exactly,
        # where 3.58 * 100 is a little above 358 in binary.
        days_below=days.count(
            where=days.judged & (days.den > 0) & (days.hours / days.den < days.required)
        ),
        required=days.required.max(),
        required_low=days.required_low.max(),
        measure=days.measure.max(),
    )
    value = ibis.ifelse(p.den > 0, p.hours / p.den, ibis.null("float64"))
    p = p.mutate(value=value)
    low = p.required_low.fill_null(p.required)
    need = p.required * p.den - p.hours
    p = p.mutate(
        below=(p.value < p.required).fill_null(False),
        below_low=(p.value < low).fill_null(False),
        # Hours that would have lifted the period to the requirement; for a share,
        # hours added count in the base too: (h + x) / (b + x) = s.
        short=ibis.ifelse(p.measure == "share", need / (1 - p.required), need),
    )
    q = p.group_by(["provnum", "state", "quarter", "rule"]).aggregate(
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
    q = q.join(r, q.rule == r.rule)
    quarter_value = ibis.ifelse(q.den > 0, q.hours / q.den, ibis.null("float64"))
    reading = q.measure == "reading"
    none_int = ibis.null("int64")
    q = q.select(
        provnum=q.provnum,
        state=q.state,
        period=q.quarter,
        rule=q.rule,
        required=q.required,
        actual=ibis.ifelse(reading, quarter_value, q.lowest).round(5),
        compliant=_compliant(q),
        required_low=q.required_low,
        measure=q.measure,
        averaging=q.averaging,
        quarter_value=quarter_value.round(5),
        periods=q.periods.cast("int64"),
        periods_below=ibis.ifelse(reading, none_int, q.periods_below.cast("int64")),
        days=q.days.cast("int64"),
        days_below=ibis.ifelse(reading, none_int, q.days_below.cast("int64")),
        days_missing=q.days_missing.cast("int64"),
        shortfall_hours=ibis.ifelse(
            reading, ibis.null("float64"), q.shortfall.fill_null(0.0).round(2)
        ),
        status=q.status,
        confidence=q.confidence,
        note=q.note,
        source=q.source,
    )
    return q.filter(q.days + q.days_missing > 0)


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
    what-if); the others judge only the days they were in force. The rules
    are rows of a small table joined to the days: one expression, whatever
    the number of rules.
    """
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
    table = _expression(t, _rules_table(applied))
    return table.select(*COLUMNS).order_by(["provnum", "period", "rule"])


def minimum_rows(source: Any, **kw: Any) -> list[dict[str, Any]]:
    """``minimum_table(source, **kw)`` executed: a list of row dictionaries."""
    from carecover.pbj.store import quiet_ibis

    with quiet_ibis():
        # Through Ibis's own execution: it registers the rules table (a memtable).
        rows: list[dict[str, Any]] = minimum_table(source, **kw).to_pyarrow().to_pylist()
    return rows
