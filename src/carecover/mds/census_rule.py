"""The census rule as Ibis expressions: presence intervals, then residents per day.

Written once, run on any engine (issue 14 §1-§2): on DuckDB the expressions
are compiled to SQL and run on the store's own connection (``census``); with
``--engine spark`` the store's checked records move to Spark as Arrow and the
same expressions run there. The rule itself is described in ``stays`` (CMS's
census, the 150-day clock, same-day order) and ``census`` (a difference
array over a date spine).

Days are whole numbers (days since 1970-01-01) inside the rule, so date
arithmetic is the same integer arithmetic on every engine; the outputs are
dates again. A period's bounds and the facility are dates and text, or Ibis
scalars of the run-time parameters (``engines.duckdb.parameters``), so the
DuckDB SQL is compiled once for every period (``census``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carecover.mds.stays import CensusConvention

__all__ = [
    "OUT_CODES",
    "census_expression",
    "day_number",
    "facilities_expression",
    "latest_records",
    "presence_intervals",
    "rank_in_day",
]

#: A0310F codes that end a stay: discharges (10, 11) and death in facility (12).
OUT_CODES = ("10", "11", "12")
_EPOCH = date(1970, 1, 1)


def day_number(value: Any) -> Any:
    """Days since 1970-01-01 of a date, or of an Ibis date scalar (a run-time parameter)."""
    if isinstance(value, date):
        return (value - _EPOCH).days
    return value.epoch_days().cast("int64")


def _as_date(days: Any) -> Any:
    import ibis

    # Through a timestamp: DuckDB's DATE + INTERVAL is a TIMESTAMP whatever Ibis
    # believes, so the cast back to a date must be one Ibis cannot drop.
    return (ibis.timestamp(f"{_EPOCH.isoformat()} 00:00:00") + days.as_interval("D")).date()


def rank_in_day(a: Any) -> Any:
    """The order of a resident's records on one target date (``stays``).

    A discharge that closes an earlier stay (entry before its date) first (0),
    entries and other records next (1), a same-day discharge or death last (2).
    """
    import ibis

    out = a.a0310f.isin(OUT_CODES)
    return ibis.cases((out & (a.entry_date < a.target_date), 0), (out, 2), else_=1)


def latest_records(a: Any, upto: date, *, since: date | None = None) -> Any:
    """Each resident's most recent record dated up to ``upto`` (and after ``since``).

    "Most recent": the latest target date, then the same-day order
    (``rank_in_day``), then the later file and record, so the choice is the
    same on every engine and every run.
    """
    import ibis

    window = a.filter(a.target_date <= upto)
    if since is not None:
        window = window.filter(window.target_date > since)
    order = [
        ibis.desc(window.target_date),
        ibis.desc(rank_in_day(window)),
        ibis.desc(window.source_file),
        ibis.desc(window.record),
    ]
    w = ibis.window(group_by=[window.ccn, window.resident_key], order_by=order)
    ranked = window.mutate(_n=ibis.row_number().over(w))
    return ranked.filter(ranked._n == 0).drop("_n")


def presence_intervals(
    a: Any, convention: CensusConvention, lo: Any, hi: Any, *, with_groups: bool = True
) -> Any:
    """Presence intervals of the records of ``a`` (``mds_assessments``) dated ``lo``..``hi``.

    Columns ``facility``, ``resident_key``, ``start_date`` (inclusive),
    ``end_date`` (exclusive) and ``nursing_group`` (of the most recent record
    with one; NULL without ``with_groups``, which the census does not need).
    """
    import ibis

    gone = int(convention.gone_after_days)
    entry_shift = 0 if convention.entry_day_present else 1
    out = a.a0310f.isin(OUT_CODES)
    recs = a.filter(a.target_date.between(lo, hi)).select(
        facility=a.ccn,
        resident_key=a.resident_key,
        t=a.target_date.epoch_days().cast("int64"),
        a0310f=a.a0310f,
        is_out=out,
        nursing_group=a.nursing_group.nullif(""),
        # A discharge that closes an earlier stay first, entries and others next,
        # a same-day discharge last.
        rank_in_day=rank_in_day(a),
        record=a.record,
        source_file=a.source_file,
    )
    # Which of two same-day records is "most recent" decides the group; without
    # groups, same-day records of one rank give the same intervals in any order.
    order = ["t", "rank_in_day", "source_file", "record"] if with_groups else ["t", "rank_in_day"]
    w = ibis.window(group_by=["facility", "resident_key"], order_by=order)
    if with_groups:
        # The last group seen so far (last_value IGNORE NULLS, which Ibis does not
        # compile): number the grouped records as they come; each record's run
        # holds exactly one group, its first record's.
        seen = recs.nursing_group.count().over(
            ibis.cumulative_window(group_by=["facility", "resident_key"], order_by=order)
        )
        recs = recs.mutate(seen=seen)
        recs = recs.mutate(
            current_group=recs.nursing_group.max().over(
                ibis.window(group_by=["facility", "resident_key", "seen"])
            )
        )
    else:
        recs = recs.mutate(current_group=ibis.null("string"))
    ordered = recs.mutate(
        next_t=recs.t.lead().over(w),
        prev_t=recs.t.lag().over(w),
        prev_out=recs.is_out.lag().over(w),
    )
    # Present the day before: the previous record kept them in and its clock ran.
    present_before = (~ordered.prev_out & (ordered.t - ordered.prev_t <= gone)).fill_null(False)
    flagged = ordered.mutate(present_before=present_before)
    stay_end = ibis.least(flagged.next_t.fill_null(flagged.t + gone), flagged.t + gone)
    stays = flagged.filter(~flagged.is_out).select(
        "facility",
        "resident_key",
        nursing_group=flagged.current_group,
        start=ibis.ifelse(
            (flagged.a0310f == "01") & ~flagged.present_before,
            flagged.t + entry_shift,
            flagged.t,
        ),
        end=stay_end,
    )
    if convention.discharge_day_present:
        # The day of a discharge counts when the resident was present the day before.
        last_days = flagged.filter(flagged.is_out & flagged.present_before).select(
            "facility",
            "resident_key",
            nursing_group=flagged.current_group,
            start=flagged.t,
            end=ibis.least(flagged.next_t.fill_null(flagged.t + 1), flagged.t + 1),
        )
        stays = stays.union(last_days, distinct=False)
    stays = stays.filter(stays.start < stays.end)
    return stays.select(
        "facility",
        "resident_key",
        start_date=_as_date(stays.start),
        end_date=_as_date(stays.end),
        nursing_group=stays.nursing_group.cast("string"),
    )


def facilities_expression(a: Any, lo: Any, hi: Any, facility: Any) -> Any:
    """The facilities with a record in ``lo``..``hi`` (or just ``facility``): one row each."""
    rows = a.filter(a.target_date.between(lo, hi))
    if facility is not None:
        rows = rows.filter(rows.ccn == facility)
    return rows.select(facility=rows.ccn).distinct()


def census_expression(
    intervals: Any, facilities: Any, start: Any, end: Any, *, facility: Any = None
) -> Any:
    """Residents present per facility and day ``start``..``end``: ``facility``, ``d``, ``census``.

    ``intervals`` as ``presence_intervals`` gives them; ``facilities`` as
    ``facilities_expression``: each has a row for every day, 0 when nobody
    was present. A difference array: +1 where a clipped interval starts, -1
    where it ends, a running sum over the days.
    """
    import ibis

    lo, hi = day_number(start), day_number(end) + 1
    iv = intervals
    if facility is not None:
        iv = iv.filter(iv.facility == facility)
    iv = iv.select(
        "facility",
        s=ibis.greatest(iv.start_date.epoch_days().cast("int64"), lo),
        e=ibis.least(iv.end_date.epoch_days().cast("int64"), hi),
    )
    iv = iv.filter(iv.s < iv.e)
    events = iv.select("facility", day=iv.s, delta=ibis.literal(1)).union(
        iv.select("facility", day=iv.e, delta=ibis.literal(-1)), distinct=False
    )
    per_day = events.group_by(["facility", "day"]).aggregate(delta=events.delta.sum())
    spine = facilities.select("facility", off=ibis.range(0, hi - lo).unnest())
    spine = spine.select("facility", day=spine.off.cast("int64") + lo)
    joined = spine.left_join(per_day, ["facility", "day"]).select(
        spine.facility, spine.day, delta=per_day.delta.fill_null(0)
    )
    running = joined.delta.sum().over(ibis.cumulative_window(group_by="facility", order_by="day"))
    return joined.select("facility", d=_as_date(joined.day), census=running.cast("int64")).order_by(
        ["facility", "d"]
    )
