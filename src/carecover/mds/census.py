"""Daily census per facility, and resident-days by nursing group, from presence intervals.

The census of a day is the number of presence intervals (``stays``) covering
it, computed as a difference array in DuckDB: +1 on each interval's start,
-1 on its end, a running sum over a date spine, so a national year is one
query rather than a loop over days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from carecover.errors import InputError
from carecover.mds.stays import CensusConvention, intervals_sql

__all__ = ["DailyCensus", "census_from_files", "daily_census", "nursing_group_days"]


@dataclass(frozen=True)
class DailyCensus:
    """Residents present in one facility (A0100B) on one day."""

    facility: str
    date: date
    census: int


def _params(start: date, end: date, convention: CensusConvention) -> dict[str, Any]:
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    return {"lo": start - timedelta(days=convention.lookback_days), "hi": end}


def daily_census(
    con: Any,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """Census for every facility in the store (or just ``facility``) and day in [start, end]."""
    convention = convention or CensusConvention()
    params = _params(start, end, convention) | {"start": start, "facility": facility}
    sql = f"""
    WITH iv AS ({intervals_sql(convention)}),
    facilities AS (
        SELECT DISTINCT ccn AS facility FROM mds_assessments
        WHERE target_date BETWEEN $lo AND $hi AND ($facility IS NULL OR ccn = $facility)
    ), clipped AS (
        SELECT facility, greatest(start_date, $start::DATE) AS s,
               least(end_date, ($hi::DATE + 1)) AS e
        FROM iv WHERE ($facility IS NULL OR facility = $facility)
    ), events AS (
        SELECT facility, s AS d, 1 AS delta FROM clipped WHERE s < e
        UNION ALL
        SELECT facility, e AS d, -1 AS delta FROM clipped WHERE s < e
    ), per_day AS (
        SELECT facility, d, sum(delta) AS delta FROM events GROUP BY ALL
    ), spine AS (
        SELECT f.facility, r.d::DATE AS d
        FROM facilities f, range($start::DATE, $hi::DATE + 1, INTERVAL 1 DAY) r(d)
    )
    SELECT s.facility, s.d,
        sum(coalesce(p.delta, 0)) OVER (PARTITION BY s.facility ORDER BY s.d)::BIGINT
    FROM spine s LEFT JOIN per_day p ON p.facility = s.facility AND p.d = s.d
    ORDER BY s.facility, s.d
    """
    rows = con.execute(sql, params).fetchall()
    return [DailyCensus(f, d, int(n)) for f, d, n in rows]


def nursing_group_days(
    con: Any,
    facility: str,
    start: date,
    end: date,
    *,
    convention: CensusConvention | None = None,
) -> dict[str, int]:
    """Resident-days in [start, end] per nursing group (PDPM CMG or RUG-IV) for one facility.

    Each resident-day carries the group of the resident's most recent record
    that has one; days before any grouped record count under ``""``.
    """
    convention = convention or CensusConvention()
    params = _params(start, end, convention) | {"start": start, "facility": facility}
    sql = f"""
    WITH iv AS ({intervals_sql(convention)})
    SELECT coalesce(nursing_group, '') AS g,
           sum(least(end_date, $hi::DATE + 1) - greatest(start_date, $start::DATE))::BIGINT
    FROM iv
    WHERE facility = $facility AND start_date <= $hi AND end_date > $start
    GROUP BY 1 ORDER BY 1
    """
    return {g: int(n) for g, n in con.execute(sql, params).fetchall()}


def census_from_files(
    files: list[Path],
    start: date,
    end: date,
    *,
    db: Path | None = None,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """Daily census from ``files`` (loaded into ``db``, or a scratch store) or from ``db`` alone."""
    from carecover.mds.store import DEFAULT_STORE, connect, load_files

    if files:
        con = connect(db) if db is not None else connect(None)
        load_files(con, files)
    else:
        con = connect(db or DEFAULT_STORE, read_only=True)
    try:
        return daily_census(con, start, end, facility=facility, convention=convention)
    finally:
        con.close()
