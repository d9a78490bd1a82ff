"""Staff tenure from employee-level PBJ: how long the staff on hand have been with the home.

CMS publishes no tenure measure and does not rate one (reference §3b rates
turnover only), so this is ours, built from the turnover rule's own pieces
(``rating.turnover``) so that the two always agree on who is staff and what
a departure is:

- the window: the six quarters of the turnover window ending with ``last``;
- the staff: employee ids of the method's ``pay_types`` (employees only by
  default) with hours in a group's job codes (nurse 5-12, RN 5-7,
  administrator 1) in the last quarter of the window;
- a stay: the run of worked days since the last gap of at least
  ``departure_gap_days`` days without hours (a gap turnover would count as a
  departure); its tenure is its last worked day minus its first, plus one;
- a stay that starts within ``departure_gap_days`` of the first day the data
  holds for the facility (the window start at the earliest) may have started
  before it: its tenure is at least the figure (``censored``); no tenure
  exceeds the window's length.

Per facility and group: the staff counted, their mean tenure in days, how
many have a year or more, and how many stays are censored. UNCONFIRMED as any
published definition (the "stay" borrows turnover's gap rule); the
thresholds are the method's ``[turnover]`` values and ``YEAR_DAYS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.rating.methods import TurnoverRule
from carecover.rating.turnover import GROUPS, employee_days, group_days

__all__ = ["YEAR_DAYS", "tenure_expression"]

#: Tenure at or above this many days counts as "a year or more".
YEAR_DAYS = 365


def tenure_expression(
    t: Any,
    last: Quarter,
    rule: TurnoverRule,
    *,
    facility: str | None = None,
    keep: Callable[[Any], Any] | None = None,
) -> Any:
    """Tenure of the staff on hand at the end of ``last``, per facility (Ibis, any engine).

    ``t`` has the columns ``turnover_expression`` reads (``provnum``,
    ``employee_id``, ``workdate``, ``job_title_code``, ``pay_type_code``,
    ``hours``). The result has ``provnum`` and, for each group ``g`` of
    ``GROUPS``, ``g_staff``, ``g_mean_tenure_days`` (NULL without staff),
    ``g_tenure_1y_plus`` and ``g_censored``; one row per facility with any
    hours in the window, ordered by ``provnum``.

    Like turnover, it reads ``t`` once (``employee_days``); ``keep`` (an
    engine's ``Engine.kept``) has the engine compute those days once.
    """
    import ibis

    gap = rule.departure_gap_days
    keys = ["provnum", "employee_id", "grp"]
    each = employee_days(t, last, rule, facility=facility)
    if keep is not None:
        each = keep(each)
    days = group_days(each).drop("hours")
    days = days.mutate(day=days.workdate.epoch_days())
    previous = days.day.lag(1).over(ibis.window(group_by=keys, order_by="day"))
    days = days.mutate(opens=previous.isnull() | (days.day - previous - 1 >= gap))
    stays = days.group_by(keys).aggregate(
        first=days.day.min(),
        last=days.day.max(),
        start=days.day.max(where=days.opens),
    )
    # Where the facility's data begins (the window start at the earliest): a stay
    # opening within one gap of it may have begun before anything was seen.
    origin = each.group_by("provnum").aggregate(origin=each.workdate.min().epoch_days())
    on_hand = stays.filter(stays.last >= ibis.date(last.start).epoch_days())
    on_hand = on_hand.inner_join(origin, "provnum")
    on_hand = on_hand.mutate(
        tenure=on_hand.last - on_hand.start + 1,
        censored=(on_hand.start == on_hand.first) & (on_hand.first < on_hand.origin + gap),
    )
    per_group = on_hand.group_by(["provnum", "grp"]).aggregate(
        staff=on_hand.count(),
        mean=on_hand.tenure.mean(),
        year=on_hand.count(where=on_hand.tenure >= YEAR_DAYS),
        censored=on_hand.count(where=on_hand.censored),
    )
    wide = per_group.group_by("provnum").aggregate(
        **{
            name: agg
            for group in GROUPS
            for name, agg in (
                (f"{group}_staff", per_group.staff.max(where=per_group.grp == group)),
                (f"{group}_mean_tenure_days", per_group["mean"].max(where=per_group.grp == group)),
                (f"{group}_tenure_1y_plus", per_group.year.max(where=per_group.grp == group)),
                (f"{group}_censored", per_group.censored.max(where=per_group.grp == group)),
            )
        }
    )
    out = each.select("provnum").distinct().left_join(wide, "provnum").drop("provnum_right")
    counts = [f"{g}_{what}" for g in GROUPS for what in ("staff", "tenure_1y_plus", "censored")]
    return out.select(
        "provnum",
        *(
            out[f"{g}_{what}"].fill_null(0).cast("int64").name(f"{g}_{what}")
            if f"{g}_{what}" in counts
            else out[f"{g}_{what}"].cast("float64").name(f"{g}_{what}")
            for g in GROUPS
            for what in ("staff", "mean_tenure_days", "tenure_1y_plus", "censored")
        ),
    ).order_by("provnum")
