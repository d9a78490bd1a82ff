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

One DuckDB query for every facility at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from carecover.errors import ConfigError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import TurnoverRule

__all__ = ["GROUPS", "Turnover", "turnover", "turnover_window"]

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


def _sql(table: str, key: str) -> str:
    groups = " UNION ALL ".join(
        f"SELECT '{g}' AS grp, unnest([{', '.join(map(str, codes))}]) AS code"
        for g, codes in GROUPS.items()
    )
    return f"""
    WITH codes AS ({groups}),
    src AS (
        SELECT {key} AS provnum, employee_id, workdate, job_title_code, pay_type_code, hours
        FROM {table}
        WHERE workdate BETWEEN $w0 AND $w1 AND hours > 0
          AND ($facility IS NULL OR {key} = $facility)
    ), hours AS (
        SELECT s.provnum, s.employee_id, c.grp, s.workdate, sum(s.hours) AS hours
        FROM src s JOIN codes c ON c.code = s.job_title_code
        WHERE list_contains($pay_types, s.pay_type_code)
        GROUP BY ALL
    ), eligible AS (
        SELECT provnum, employee_id, grp FROM hours
        WHERE workdate >= $p0::DATE - $elig_days AND workdate < $p0
        GROUP BY ALL HAVING sum(hours) >= $elig_hours
    ), dated AS (
        SELECT h.provnum, h.employee_id, h.grp, h.workdate AS d,
               lead(h.workdate, 1, $w1::DATE + 1)
                   OVER (PARTITION BY h.provnum, h.employee_id, h.grp ORDER BY h.workdate) AS nxt
        FROM hours h SEMI JOIN eligible e
          ON e.provnum = h.provnum AND e.employee_id = h.employee_id AND e.grp = h.grp
    ), departed AS (
        SELECT DISTINCT provnum, employee_id, grp FROM dated
        WHERE nxt - d - 1 >= $gap               -- a long enough run without hours...
          AND d + 1 <= $p1 AND nxt - 1 >= $p0   -- ...overlapping the period...
          AND d + $gap <= $w1                   -- ...and fully observed
    ), admin_days AS (
        SELECT provnum, employee_id,
               CASE WHEN $scope = 'quarter' THEN 4 * year(workdate) + quarter(workdate)
                    ELSE 0 END AS k,
               count(DISTINCT workdate) AS days
        FROM src
        WHERE job_title_code = 1 AND ($scope = 'quarter' OR workdate <= $elig_end)
        GROUP BY ALL
    ), admin_flag AS (
        SELECT provnum, max(n) >= $admin_ids AS excluded FROM (
            SELECT provnum, k, count(*) FILTER (WHERE days >= $admin_days) AS n
            FROM admin_days GROUP BY ALL
        ) GROUP BY provnum
    ), facilities AS (
        SELECT DISTINCT provnum FROM src
    ), elig_n AS (
        SELECT provnum, grp, count(*) AS n FROM eligible GROUP BY ALL
    ), dep_n AS (
        SELECT provnum, grp, count(*) AS n FROM departed GROUP BY ALL
    ), counts AS (
        SELECT f.provnum, g.grp, coalesce(e.n, 0) AS eligible, coalesce(d.n, 0) AS departures
        FROM facilities f CROSS JOIN (SELECT DISTINCT grp FROM codes) g
        LEFT JOIN elig_n e ON e.provnum = f.provnum AND e.grp = g.grp
        LEFT JOIN dep_n d ON d.provnum = f.provnum AND d.grp = g.grp
    )
    SELECT c.provnum,
           max(eligible) FILTER (WHERE grp = 'nurse'), max(departures) FILTER (WHERE grp = 'nurse'),
           max(eligible) FILTER (WHERE grp = 'rn'), max(departures) FILTER (WHERE grp = 'rn'),
           max(eligible) FILTER (WHERE grp = 'admin'), max(departures) FILTER (WHERE grp = 'admin'),
           coalesce(max(a.excluded), false)
    FROM counts c LEFT JOIN admin_flag a USING (provnum)
    GROUP BY c.provnum ORDER BY c.provnum
    """


def _facility_key(con: Any, table: str) -> str:
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
    con: Any,
    last: Quarter,
    rule: TurnoverRule | None,
    *,
    facility: str | None = None,
    table: str = "employee_hours",
) -> list[Turnover]:
    """Turnover of every facility (or one) over the six quarters ending ``last``."""
    if rule is None:
        raise ConfigError("this rating method has no turnover measures (use 2022-07 or later)")
    if rule.admin_exclusion_scope not in ("quarter", "eligibility"):
        raise ConfigError(
            f"admin_exclusion_scope must be quarter or eligibility, "
            f"not {rule.admin_exclusion_scope!r}"
        )
    w0, p0, p1, w1 = turnover_window(last)
    # The earlier administrator rule looked at a three-quarter eligibility
    # period; which three is UNCONFIRMED: the first three of the window here.
    elig_end = Quarter.containing(w0).next().next().end
    params = {
        "w0": w0,
        "w1": w1,
        "p0": p0,
        "p1": p1,
        "gap": rule.departure_gap_days,
        "elig_days": rule.eligibility_days,
        "elig_hours": rule.eligibility_hours,
        "pay_types": list(rule.pay_types),
        "facility": facility,
        "scope": rule.admin_exclusion_scope,
        "elig_end": elig_end,
        "admin_ids": rule.admin_exclusion_ids,
        "admin_days": rule.admin_exclusion_days,
    }
    rows = con.execute(_sql(table, _facility_key(con, table)), params).fetchall()
    out = []
    for provnum, ne, nd, re_, rd, ae, ad, excluded in rows:
        out.append(
            Turnover(
                provnum=provnum,
                nurse_eligible=int(ne or 0),
                nurse_departures=int(nd or 0),
                total_turnover_pct=_pct(int(nd or 0), int(ne or 0)),
                rn_eligible=int(re_ or 0),
                rn_departures=int(rd or 0),
                rn_turnover_pct=_pct(int(rd or 0), int(re_ or 0)),
                admin_eligible=int(ae or 0),
                # Excluded, or no administrator was eligible: cannot be computed.
                admin_departures=None if excluded or not ae else int(ad or 0),
                admin_excluded=bool(excluded),
            )
        )
    return out
