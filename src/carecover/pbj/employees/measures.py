"""Measures of the Employee Detail rows, as Ibis expressions (any engine).

Over a table with ``employee_detail.COLUMNS``:

- ``contract_share``: per facility-quarter and category, hours and the share
  worked by contract staff (pay type 3);
- ``weekend_staffing``: per facility-quarter and category, average hours a
  weekend day (Saturday, Sunday) and a weekday, and their ratio;
- ``hour_outliers``: an employee id with more than 16 hours in a day or more
  than 400 hours in a month (audit flags PBJ validators raise,
  peers-and-public-files.md), thresholds in ``OUTLIER_LIMITS``;
- turnover is the rating method's rule itself (``rating.turnover``), run on
  these rows by ``turnover_rows``.

Categories: RN = job codes 5-7 (DON, RN admin, RN), LPN = 8-9, aide = 10-12,
nurse = all of 5-12, admin = 1 (cms-staffing-methodology.md §3a).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CATEGORIES",
    "OUTLIER_LIMITS",
    "contract_share",
    "hour_outliers",
    "weekend_staffing",
]

CATEGORIES = {
    "nurse": tuple(range(5, 13)),
    "rn": (5, 6, 7),
    "lpn": (8, 9),
    "aide": (10, 11, 12),
    "admin": (1,),
}
OUTLIER_LIMITS = {"day": 16.0, "month": 400.0}
CONTRACT = 3  # PBJ pay type code 3 = contract (data/pbj/pay_type_codes.csv)


def _by_category(t: Any) -> Any:
    """``t`` with one copy of each row per category its job code belongs to (``category``)."""
    import ibis

    return ibis.union(
        *(
            t.filter(t.job_title_code.isin(list(codes))).mutate(category=ibis.literal(name))
            for name, codes in CATEGORIES.items()
        )
    )


def contract_share(t: Any) -> Any:
    """Per facility, quarter and category: hours, contract hours and contract share."""
    # One pass over the rows to one row per employee, job and pay type (about
    # 60 times fewer), then one copy per category of that: not one per category
    # of every row.
    per_employee = t.group_by(
        ["provnum", "quarter", "employee_id", "job_title_code", "pay_type_code"]
    ).aggregate(hours=t.hours.sum())
    c = _by_category(per_employee)
    g = c.group_by(["provnum", "quarter", "category"]).aggregate(
        hours=c.hours.sum(),
        contract_hours=c.hours.sum(where=c.pay_type_code == CONTRACT).fill_null(0.0),
        employees=c.employee_id.nunique(),
    )
    import ibis

    share = ibis.ifelse(g.hours > 0, g.contract_hours / g.hours, ibis.null("float64"))
    return g.mutate(contract_share=share).order_by(["provnum", "quarter", "category"])


def weekend_staffing(t: Any) -> Any:
    """Per facility, quarter and category: hours a weekend day and a weekday, and their ratio.

    Days are the days the facility reported any hours in the file (a day with
    no row at all is not counted as a day with 0 hours).
    """
    import ibis

    weekend = t.workdate.day_of_week.index() >= 5  # ibis: Monday 0 ... Sunday 6
    days = (
        t.mutate(weekend=weekend)
        .group_by(["provnum", "quarter"])
        .aggregate(
            weekend_days=ibis._.workdate.nunique(where=ibis._.weekend),
            weekday_days=ibis._.workdate.nunique(where=~ibis._.weekend),
        )
    )
    c = _by_category(t.mutate(weekend=weekend))
    g = c.group_by(["provnum", "quarter", "category"]).aggregate(
        weekend_hours=c.hours.sum(where=c.weekend).fill_null(0.0),
        weekday_hours=c.hours.sum(where=~c.weekend).fill_null(0.0),
    )
    g = g.join(days, ["provnum", "quarter"])
    per_weekend = ibis.ifelse(
        g.weekend_days > 0, g.weekend_hours / g.weekend_days, ibis.null("float64")
    )
    per_weekday = ibis.ifelse(
        g.weekday_days > 0, g.weekday_hours / g.weekday_days, ibis.null("float64")
    )
    g = g.mutate(weekend_day_hours=per_weekend, weekday_day_hours=per_weekday)
    ratio = ibis.ifelse(
        g.weekday_day_hours > 0, g.weekend_day_hours / g.weekday_day_hours, ibis.null("float64")
    )
    return g.mutate(weekend_ratio=ratio).order_by(["provnum", "quarter", "category"])


def hour_outliers(t: Any) -> Any:
    """Employee ids over ``OUTLIER_LIMITS``: ``kind`` day or month, the ``period`` and its hours."""
    import ibis

    day = t.group_by(["provnum", "employee_id", "workdate"]).aggregate(hours=t.hours.sum())
    day = day.filter(day.hours > OUTLIER_LIMITS["day"]).select(
        "provnum",
        "employee_id",
        kind=ibis.literal("day"),
        period=day.workdate.strftime("%Y-%m-%d"),
        hours="hours",
    )
    m = t.mutate(month=t.workdate.strftime("%Y-%m"))
    month = m.group_by(["provnum", "employee_id", "month"]).aggregate(hours=m.hours.sum())
    month = month.filter(month.hours > OUTLIER_LIMITS["month"]).select(
        "provnum",
        "employee_id",
        kind=ibis.literal("month"),
        period=month.month,
        hours="hours",
    )
    return ibis.union(day, month).order_by(["provnum", "employee_id", "kind", "period"])
