"""Staff turnover from six quarters of employee-level PBJ (store table ``employee_hours``).

Definitions (reference §3b; the settings are the method's ``[turnover]`` table,
UNCONFIRMED values marked there):

- window: six consecutive calendar quarters ending with ``last``; the
  12-month measurement period is quarters 2–5, quarter 1 is the look-back for
  eligibility and quarter 6 lets a departure late in the period show its gap;
- eligible: an employee id (pay types ``pay_types``, employees only by
  default) with at least ``eligibility_hours`` hours in the group's job codes
  in the ``eligibility_days`` days before the period starts;
- departure: a run of at least ``departure_gap_days`` days with no hours
  (60 before July 2024; more than 90 since, as leave of 90 days or less is not
  turnover) that overlaps the period and is fully observed in the window;
- nurse turnover % and RN turnover % = departures ÷ eligible × 100 (nurses:
  job codes 5–12; RN: 5–7); administrators (job code 1): the number who left;
- the administrator measure is excluded when ``admin_exclusion_ids`` or more
  administrator ids report hours on ``admin_exclusion_days`` or more days in
  one quarter (``scope = quarter``, since July 2023) or in the first three
  quarters (``scope = eligibility``, the earlier rule).

One Ibis expression for every facility at once (``turnover_expression``), so
the rule runs on DuckDB or Spark, over PBJ XML hours or the Employee Detail
public file (``pbj/employee_detail``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from carecover.engines import Engine
from carecover.errors import ConfigError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import TurnoverRule

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "GROUPS",
    "Turnover",
    "check_rule",
    "employee_days",
    "group_days",
    "turnover",
    "turnover_expression",
    "turnover_figures",
    "turnover_window",
]

GROUPS = {"nurse": tuple(range(5, 13)), "rn": (5, 6, 7), "admin": (1,)}


@dataclass(frozen=True)
class Turnover:
    """Turnover figures of one facility (``provnum``: the table's facility key)."""

    provnum: str
    nurse_eligible: int
    nurse_departures: int
    total_turnover_pct: float | None
    rn_eligible: int
    rn_departures: int
    rn_turnover_pct: float | None
    admin_eligible: int
    admin_departures: int | None
    admin_excluded: bool


def turnover_window(last: Quarter) -> tuple[date, date, date, date]:
    """(window start, period start, period end, window end) for six quarters ending ``last``."""
    first = last
    for _ in range(5):
        first = first.previous()
    period_start = first.next().start
    period_end = last.previous().end
    return first.start, period_start, period_end, last.end


def employee_days(t: Any, last: Quarter, rule: TurnoverRule, *, facility: str | None = None) -> Any:
    """One row per facility, employee id and day with hours in the window ending ``last``.

    Columns: ``provnum``, ``employee_id``, ``workdate``, each group's paid
    hours (``nurse``, ``rn``, ``admin``: the method's ``pay_types`` in the
    group's job codes; NULL on a day without any) and ``as_admin`` (hours as
    administrator, any pay type: the administrator exclusion counts agency
    administrators too). The one reading of ``t`` that turnover and tenure
    make; ``t`` is as ``turnover_expression`` takes it.
    """
    w0, _, _, w1 = turnover_window(last)
    src = t.filter((t.workdate >= w0) & (t.workdate <= w1) & (t.hours > 0))
    if facility is not None:
        src = src.filter(src.provnum == facility)
    paid = src.pay_type_code.isin(list(rule.pay_types))
    return src.group_by(["provnum", "employee_id", "workdate"]).aggregate(
        **{
            group: src.hours.sum(where=paid & src.job_title_code.isin(list(codes)))
            for group, codes in GROUPS.items()
        },
        as_admin=(src.job_title_code == 1).any(),
    )


def group_days(days: Any) -> Any:
    """``employee_days`` as one row per group an employee worked in on a day.

    Columns: ``provnum``, ``employee_id``, ``workdate``, ``hours`` (the
    group's paid hours that day) and ``grp`` (a name of ``GROUPS``).
    """
    import ibis

    return ibis.union(
        *(
            days.filter(days[group].notnull()).select(
                "provnum", "employee_id", "workdate", hours=days[group], grp=ibis.literal(group)
            )
            for group in GROUPS
        )
    )


def turnover_expression(
    t: Any,
    last: Quarter,
    rule: TurnoverRule,
    *,
    facility: str | None = None,
    keep: Callable[[Any], Any] | None = None,
) -> Any:
    """The turnover counts of every facility in ``t``, as an Ibis table (any engine).

    ``t`` has one row per employee id, day, job code and pay type: ``provnum``,
    ``employee_id``, ``workdate``, ``job_title_code``, ``pay_type_code``,
    ``hours`` (PBJ XML hours or the Employee Detail public file). The result
    has ``provnum``, ``{nurse,rn,admin}_eligible``, ``..._departures`` and
    ``admin_excluded``, one row per facility, ordered by ``provnum``.

    The rule reads ``t`` once, into one table of each employee's days (every
    group's hours and whether they worked as administrator), which every later
    step reads. ``keep`` (an engine's ``Engine.kept``) has the engine compute
    that table once; without it, an engine may compute it again for each step
    (Spark does), with the same result.
    """
    import ibis

    w0, p0, p1, w1 = turnover_window(last)
    # The earlier administrator rule looked at a three-quarter eligibility
    # period; which three is UNCONFIRMED: the first three of the window here.
    elig_end = Quarter.containing(w0).next().next().end
    gap = rule.departure_gap_days
    keys = ["provnum", "employee_id", "grp"]
    days = employee_days(t, last, rule, facility=facility)
    if keep is not None:
        days = keep(days)
    hours = group_days(days)
    before = hours.filter(
        (hours.workdate >= p0 - timedelta(days=rule.eligibility_days)) & (hours.workdate < p0)
    )
    eligible = (
        before.group_by(keys)
        .aggregate(worked=before.hours.sum())
        .filter(lambda e: e.worked >= rule.eligibility_hours)
        .drop("worked")
    )
    dated = hours.semi_join(eligible, keys)
    following = dated.workdate.lead(1, default=ibis.literal(w1 + timedelta(days=1))).over(
        ibis.window(group_by=keys, order_by="workdate")
    )
    dated = dated.mutate(nxt=following, day=dated.workdate.epoch_days())
    departed = (
        dated.filter(
            (dated.nxt.epoch_days() - dated.day - 1 >= gap)  # a long enough run without hours...
            & (dated.workdate <= p1 - timedelta(days=1))  # ...overlapping the period...
            & (dated.nxt >= p0 + timedelta(days=1))
            & (dated.workdate <= w1 - timedelta(days=gap))  # ...and fully observed
        )
        .select(keys)
        .distinct()
    )
    admin = days.filter(days.as_admin)
    if rule.admin_exclusion_scope == "quarter":
        admin = admin.mutate(k=admin.workdate.year() * 4 + admin.workdate.quarter())
    else:
        admin = admin.filter(admin.workdate <= elig_end).mutate(k=ibis.literal(0))
    # ``days`` has one row per employee and day: counting rows counts days.
    admin_days = admin.group_by(["provnum", "employee_id", "k"]).aggregate(days=admin.count())
    per_k = admin_days.group_by(["provnum", "k"]).aggregate(
        n=admin_days.count(where=admin_days.days >= rule.admin_exclusion_days)
    )
    flags = per_k.group_by("provnum").aggregate(
        admin_excluded=per_k.n.max() >= rule.admin_exclusion_ids
    )

    def counted(table: Any, what: str) -> Any:
        return table.group_by("provnum").aggregate(
            **{f"{g}_{what}": table.count(where=table.grp == g) for g in GROUPS}
        )

    out = days.select("provnum").distinct()
    for part in (counted(eligible, "eligible"), counted(departed, "departures"), flags):
        out = out.left_join(part, "provnum").drop("provnum_right")
    return out.select(
        "provnum",
        *(
            out[f"{g}_{what}"].fill_null(0).name(f"{g}_{what}")
            for g in GROUPS
            for what in ("eligible", "departures")
        ),
        admin_excluded=out.admin_excluded.fill_null(False),
    ).order_by("provnum")


def turnover_figures(rows: list[dict[str, Any]]) -> list[Turnover]:
    """``Turnover`` figures from the rows of ``turnover_expression``."""
    out = []
    for r in rows:
        excluded = bool(r["admin_excluded"])
        out.append(
            Turnover(
                provnum=r["provnum"],
                nurse_eligible=int(r["nurse_eligible"]),
                nurse_departures=int(r["nurse_departures"]),
                total_turnover_pct=_pct(int(r["nurse_departures"]), int(r["nurse_eligible"])),
                rn_eligible=int(r["rn_eligible"]),
                rn_departures=int(r["rn_departures"]),
                rn_turnover_pct=_pct(int(r["rn_departures"]), int(r["rn_eligible"])),
                admin_eligible=int(r["admin_eligible"]),
                # Excluded, or no administrator was eligible: cannot be computed.
                admin_departures=(
                    None if excluded or not r["admin_eligible"] else int(r["admin_departures"])
                ),
                admin_excluded=excluded,
            )
        )
    return out


def check_rule(rule: TurnoverRule | None) -> TurnoverRule:
    """``rule`` if a turnover rule can run on it, else ``ConfigError``."""
    if rule is None:
        raise ConfigError("this rating method has no turnover measures (use 2022-07 or later)")
    if rule.admin_exclusion_scope not in ("quarter", "eligibility"):
        raise ConfigError(
            f"admin_exclusion_scope must be quarter or eligibility, "
            f"not {rule.admin_exclusion_scope!r}"
        )
    return rule


def _facility_key(con: DuckDBPyConnection, table: str) -> str:
    """The facility column: ``facility_id`` (PBJ XML submission id) or ``provnum``."""
    columns = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $t",
            {"t": table},
        ).fetchall()
    }
    for key in ("facility_id", "provnum"):
        if key in columns:
            return key
    raise ConfigError(f"table {table} has neither facility_id nor provnum")


def _pct(departures: int, eligible: int) -> float | None:
    return None if eligible == 0 else round(100.0 * departures / eligible, 3)


def turnover(
    con: DuckDBPyConnection,
    last: Quarter,
    rule: TurnoverRule | None,
    *,
    facility: str | None = None,
    table: str = "employee_hours",
    engine: Engine | None = None,
) -> list[Turnover]:
    """Turnover of every facility (or one) over the six quarters ending ``last``.

    ``con`` is a DuckDB store holding ``table`` (PBJ XML employee hours);
    ``engine`` runs the rule there (the window's rows are moved to it).
    """
    from carecover.engines import place
    from carecover.engines.duckdb import arrow_of
    from carecover.pbj.store import ibis_table

    checked = check_rule(rule)
    t = ibis_table(con, table)
    key = _facility_key(con, table)
    t = t.select(
        provnum=t[key],
        employee_id=t.employee_id,
        workdate=t.workdate,
        job_title_code=t.job_title_code,
        pay_type_code=t.pay_type_code,
        hours=t.hours,
    )
    if engine is not None:
        first, *_, end = turnover_window(last)
        t = place(t.filter((t.workdate >= first) & (t.workdate <= end)), engine)
        return turnover_figures(
            engine.to_rows(
                turnover_expression(t, last, checked, facility=facility, keep=engine.kept)
            )
        )
    rows: list[dict[str, Any]] = arrow_of(
        turnover_expression(t, last, checked, facility=facility)
    ).to_pylist()
    return turnover_figures(rows)
