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

__all__ = [
    "DailyCensus",
    "census_cache_is_fresh",
    "census_from_files",
    "census_params",
    "census_sql",
    "census_sql_for",
    "daily_census",
    "nursing_group_days",
    "refresh_census_cache",
    "write_census_csv",
]


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


CACHE = "mds_census_intervals"
_CACHE_STATE = "mds_census_intervals_state"
_STATE_SQL = (
    "SELECT (SELECT count(*) FROM mds_assessments), (SELECT count(*) FROM mds_loaded_files)"
)


def refresh_census_cache(con: Any) -> None:
    """Store the presence intervals of every record under the default convention.

    The census of any period then reads this table instead of re-deriving the
    intervals (a sort of every record). Intervals derived from all records
    equal those from the period's look-back window on every day of the period:
    a record outside the window only changes days more than 150 days away.
    ``census_sql`` uses the table only while the store's row counts are those
    it was built from, and only for the default ``CensusConvention``.
    """
    everything = {"lo": date(1, 1, 1), "hi": date(9999, 12, 31)}
    sql = intervals_sql(CensusConvention(), with_groups=False)
    con.execute(
        f"CREATE OR REPLACE TABLE {CACHE} AS SELECT * FROM ({sql}) ORDER BY start_date", everything
    )
    con.execute(f"CREATE OR REPLACE TABLE {_CACHE_STATE} AS {_STATE_SQL}")


def census_cache_is_fresh(con: Any) -> bool:
    """Whether the cached intervals were built from the store as it is now.

    False after a load that committed its records but not its cache refresh
    (a killed ``mds load``): ``store.load_files`` then rebuilds the cache
    even when every file was already loaded.
    """
    return _cache_is_fresh(con, CensusConvention())


def _cache_is_fresh(con: Any, convention: CensusConvention) -> bool:
    if convention != CensusConvention():
        return False
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables()"
        " WHERE table_name = ? AND database_name = current_database()",
        [_CACHE_STATE],
    ).fetchone()
    if not exists or not exists[0]:
        return False
    built = con.execute(f"SELECT * FROM {_CACHE_STATE}").fetchone()
    return bool(built == con.execute(_STATE_SQL).fetchone())


def census_sql(convention: CensusConvention, *, cached: bool = False) -> str:
    """SQL for the census ``(facility, d, census)`` of every day in ``[$start, $hi]``.

    Parameters: ``$lo`` (first record date read), ``$start``/``$hi`` (the period),
    ``$facility`` (a CCN or NULL for all). A facility appears when it has a
    record in ``[$lo, $hi]``; it then has one row per day. ``cached`` reads the
    intervals from ``refresh_census_cache``'s table (see ``census_sql_for``).
    """
    source = (
        f"SELECT * FROM {CACHE} WHERE end_date > $start AND start_date <= $hi"
        if cached
        else intervals_sql(convention, with_groups=False)
    )
    return f"""
    WITH iv AS ({source}),
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
        sum(coalesce(p.delta, 0)) OVER (PARTITION BY s.facility ORDER BY s.d)::BIGINT AS census
    FROM spine s LEFT JOIN per_day p ON p.facility = s.facility AND p.d = s.d
    """


def census_sql_for(con: Any, convention: CensusConvention) -> str:
    """``census_sql`` reading the cached intervals when they are fresh for ``convention``."""
    return census_sql(convention, cached=_cache_is_fresh(con, convention))


def census_params(
    start: date, end: date, facility: str | None, convention: CensusConvention
) -> dict[str, Any]:
    """The parameters of ``census_sql`` for a period (``InputError`` if it ends first)."""
    return _params(start, end, convention) | {"start": start, "facility": facility}


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
    sql = f"SELECT * FROM ({census_sql_for(con, convention)}) ORDER BY facility, d"
    rows = con.execute(sql, census_params(start, end, facility, convention)).fetchall()
    return [DailyCensus(f, d, int(n)) for f, d, n in rows]


def write_census_csv(
    con: Any,
    start: date,
    end: date,
    out: Path,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> None:
    """Write the census as CSV ``facility,date,census`` to ``out``, formatted by DuckDB.

    Same rows as ``daily_census``; a national quarter has over a million
    facility-days, too many to format one by one in Python.
    """
    convention = convention or CensusConvention()
    sql = census_sql_for(con, convention)
    query = f"SELECT facility, d AS date, census FROM ({sql}) ORDER BY facility, d"
    literal = str(out).replace("'", "''")
    con.execute(
        f"COPY ({query}) TO '{literal}' (FORMAT csv, HEADER, DELIMITER ',')",
        census_params(start, end, facility, convention),
    )


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
