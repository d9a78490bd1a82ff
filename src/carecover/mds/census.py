"""Daily census per facility, and resident-days by nursing group, from presence intervals.

The census of a day is the number of presence intervals (``stays``) covering
it, computed as a difference array: +1 on each interval's start, -1 on its
end, a running sum over a date spine, so a national year is one query rather
than a loop over days. The rule is written once, in Ibis (``census_rule``);
here it runs on the store's DuckDB connection, compiled to SQL; ``mds census
--engine spark`` runs the same expressions on Spark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from carecover.engines.duckdb import sql_of as _sql
from carecover.engines.duckdb import table_of as _ibis
from carecover.errors import InputError
from carecover.mds.census_rule import census_expression, facilities_expression, presence_intervals
from carecover.mds.stays import CensusConvention

__all__ = [
    "DailyCensus",
    "census_cache_is_fresh",
    "census_expression_for",
    "census_on_engine",
    "census_query",
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
    ``census_query`` uses the table only while the store's row counts are those
    it was built from, and only for the default ``CensusConvention``.
    """
    intervals = presence_intervals(
        _ibis(con, "mds_assessments"),
        CensusConvention(),
        date(1, 1, 1),
        date(9999, 12, 31),
        with_groups=False,
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {CACHE} AS SELECT * FROM ({_sql(intervals)}) ORDER BY start_date"
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


def census_expression_for(
    con: Any, start: date, end: date, facility: str | None, convention: CensusConvention
) -> Any:
    """The census rule (``census_rule``) over the store ``con``, as an Ibis expression.

    Reads the cached intervals when they are fresh for ``convention``, else
    derives them from the records of the look-back window.
    """
    _params(start, end, convention)
    lo = start - timedelta(days=convention.lookback_days)
    records = _ibis(con, "mds_assessments")
    if _cache_is_fresh(con, convention):
        cached = _ibis(con, CACHE)
        intervals = cached.filter((cached.end_date > start) & (cached.start_date <= end))
    else:
        intervals = presence_intervals(records, convention, lo, end, with_groups=False)
    found = facilities_expression(records, lo, end, facility)
    return census_expression(intervals, found, start, end, facility=facility)


def census_query(
    con: Any,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> str:
    """The census ``(facility, d, census)`` of every day in ``start``..``end`` as DuckDB SQL.

    A facility appears when it has a record in the look-back window; it then
    has one row per day. ``InputError`` when the period ends before it starts.
    """
    convention = convention or CensusConvention()
    return _sql(census_expression_for(con, start, end, facility, convention))


def daily_census(
    con: Any,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """Census for every facility in the store (or just ``facility``) and day in [start, end]."""
    sql = census_query(con, start, end, facility=facility, convention=convention)
    rows = con.execute(f"SELECT * FROM ({sql}) ORDER BY facility, d").fetchall()
    return [DailyCensus(f, d, int(n)) for f, d, n in rows]


_RECORD_COLUMNS = (
    "ccn, resident_key, target_date, a0310f, entry_date, nursing_group, record, source_file"
)


def census_on_engine(
    engine: Any,
    con: Any,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """``daily_census`` run on another engine (``--engine spark``): the same rule, elsewhere.

    The store ``con`` holds the checked records (read and checked on DuckDB, as
    without an engine); those of the look-back window move to ``engine`` as
    Arrow and ``census_rule`` runs there. The rows equal ``daily_census``'s.
    """
    convention = convention or CensusConvention()
    _params(start, end, convention)
    lo = start - timedelta(days=convention.lookback_days)
    window = f"target_date BETWEEN DATE '{lo.isoformat()}' AND DATE '{end.isoformat()}'"
    arrow = con.sql(f"SELECT {_RECORD_COLUMNS} FROM mds_assessments WHERE {window}")
    records = engine.from_arrow(arrow.to_arrow_table())
    intervals = presence_intervals(records, convention, lo, end, with_groups=False)
    found = facilities_expression(records, lo, end, facility)
    rows = engine.to_rows(census_expression(intervals, found, start, end, facility=facility))
    return [DailyCensus(r["facility"], r["d"], int(r["census"])) for r in rows]


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
    sql = census_query(con, start, end, facility=facility, convention=convention)
    query = f"SELECT facility, d AS date, census FROM ({sql}) ORDER BY facility, d"
    literal = str(out).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{literal}' (FORMAT csv, HEADER, DELIMITER ',')")


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
    import ibis

    convention = convention or CensusConvention()
    _params(start, end, convention)
    lo = start - timedelta(days=convention.lookback_days)
    iv = presence_intervals(_ibis(con, "mds_assessments"), convention, lo, end)
    iv = iv.filter((iv.facility == facility) & (iv.start_date <= end) & (iv.end_date > start))
    first, after = _epoch_days(start), _epoch_days(end) + 1
    days = ibis.least(iv.end_date.epoch_days(), after) - ibis.greatest(
        iv.start_date.epoch_days(), first
    )
    groups = (
        iv.select(g=iv.nursing_group.fill_null(""), n=days)
        .group_by("g")
        .aggregate(n=ibis._.n.sum())
        .order_by("g")
    )
    return {g: int(n) for g, n in con.execute(_sql(groups)).fetchall()}


def _epoch_days(day: date) -> int:
    return (day - date(1970, 1, 1)).days
