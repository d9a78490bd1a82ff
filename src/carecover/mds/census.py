"""Daily census per facility, and resident-days by nursing group, from presence intervals.

The census of a day is the number of presence intervals (``stays``) covering
it, computed as a difference array: +1 on each interval's start, -1 on its
end, a running sum over a date spine, so a national year is one query rather
than a loop over days. The rule is written once, in Ibis (``census_rule``);
here it runs on the store's DuckDB connection, compiled to SQL; ``mds census
--engine spark`` runs the same expressions on Spark.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import parameters, with_parameters
from carecover.engines.duckdb import sql_of as _sql
from carecover.engines.duckdb import table_of as _ibis
from carecover.errors import InputError
from carecover.mds.census_rule import (
    census_expression,
    day_number,
    facilities_expression,
    presence_intervals,
)
from carecover.mds.record_rules import EARLIEST
from carecover.mds.stays import CensusConvention
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

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


#: The days a census period may cover: no MDS record is dated before 1990
#: (``record_rules.EARLIEST``), and a period past 2099 is a typing error (year
#: 9999 was a date overflow, not an answer).
PERIOD_LIMITS = (EARLIEST, date(2099, 12, 31))


def _params(start: date, end: date, convention: CensusConvention) -> dict[str, Any]:
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    first, last = PERIOD_LIMITS
    if start < first or end > last:
        raise InputError(f"the period {start} to {end} is not within {first} to {last}")
    return {"lo": start - timedelta(days=convention.lookback_days), "hi": end}


CACHE = "mds_census_intervals"
_CACHE_STATE = "mds_census_intervals_state"
_STATE_SQL = (
    "SELECT (SELECT count(*) FROM mds_assessments), (SELECT count(*) FROM mds_loaded_files)"
)


def refresh_census_cache(con: DuckDBPyConnection, *, added: Sequence[str] = ()) -> None:
    """Store the presence intervals of every record under the default convention.

    The census of any period then reads this table instead of re-deriving the
    intervals (a sort of every record). Intervals derived from all records
    equal those from the period's look-back window on every day of the period:
    a record outside the window only changes days more than 150 days away.
    ``census_query`` uses the table only while the store's row counts are those
    it was built from, and only for the default ``CensusConvention``.

    ``added`` names (by SHA-256) the files loaded since the table was last
    refreshed. When it was fresh just before them, only the intervals of the
    residents their records name are derived again, in one transaction: a
    resident's intervals depend on that resident's records alone (a monthly
    file added to a national store re-derives a month's residents, not every
    record). Otherwise the table is built again whole.
    """
    if added and _fresh_before(con, added):
        _refresh_residents(con, added)
        return

    def build() -> Any:
        records = _ibis(con, "mds_assessments")
        return presence_intervals(records, CensusConvention(), *_EVERYTHING, with_groups=False)

    intervals = _compiled(con, "intervals", ("mds_assessments",), build)
    # Sorted by start: a period's census skips the blocks that start after it.
    ordered = f"SELECT * FROM ({intervals}) ORDER BY start_date"
    con.execute(f"CREATE OR REPLACE TABLE {CACHE} AS {ordered}")
    con.execute(f"CREATE OR REPLACE TABLE {_CACHE_STATE} AS {_STATE_SQL}")


_EVERYTHING = (date(1, 1, 1), date(9999, 12, 31))
_CHANGED = "mds_census_changed"


def _fresh_before(con: DuckDBPyConnection, added: Sequence[str]) -> bool:
    """Whether the cached intervals were built from the store as it was before ``added``."""
    if not _cache_state_exists(con):
        return False
    marks = ", ".join("?" for _ in added)
    before = con.execute(
        f"SELECT (SELECT count(*) FROM mds_assessments WHERE sha256 NOT IN ({marks})),"
        f" (SELECT count(*) FROM mds_loaded_files WHERE sha256 NOT IN ({marks}))",
        [*added, *added],
    ).fetchone()
    return bool(before == con.execute(f"SELECT * FROM {_CACHE_STATE}").fetchone())


def _refresh_residents(con: DuckDBPyConnection, added: Sequence[str]) -> None:
    """Derive again the cached intervals of the residents the ``added`` files' records name."""
    marks = ", ".join("?" for _ in added)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_CHANGED} AS SELECT DISTINCT ccn, resident_key"
        f" FROM mds_assessments WHERE sha256 IN ({marks})",
        list(added),
    )

    def build() -> Any:
        records = _ibis(con, "mds_assessments")
        changed = _ibis(con, _CHANGED)
        theirs = records.semi_join(
            changed,
            [records.ccn == changed.ccn, records.resident_key == changed.resident_key],
        )
        return presence_intervals(theirs, CensusConvention(), *_EVERYTHING, with_groups=False)

    intervals = _compiled(con, "intervals-of", ("mds_assessments",), build)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {CACHE} WHERE (facility, resident_key) IN"
            f" (SELECT ccn, resident_key FROM {_CHANGED})"
        )
        con.execute(f"INSERT INTO {CACHE} SELECT * FROM ({intervals})")
        con.execute(f"CREATE OR REPLACE TABLE {_CACHE_STATE} AS {_STATE_SQL}")
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_CHANGED}")


def _compiled(
    con: DuckDBPyConnection, rule: str, tables: tuple[str, ...], build: Callable[[], Any]
) -> str:
    """The DuckDB SQL of the Ibis expression ``build()``, compiled once per code and schema.

    ``rule`` names the expression and its variant; ``tables`` are the store
    tables it reads, whose columns (names, types, nullability) are part of
    the key with the MDS modules (``engines.sqlcache``): a store of another
    shape compiles its own SQL.
    """
    from carecover.engines.sqlcache import PACKAGE, cached_sql, code_key

    marks = ", ".join("?" for _ in tables)
    columns = con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = current_schema()"
        f" AND table_name IN ({marks}) ORDER BY table_name, column_index",
        list(tables),
    ).fetchall()
    files = [*(PACKAGE / "mds").glob("*.py"), PACKAGE / "engines" / "duckdb.py"]
    key = code_key(files, rule, repr(columns))
    return cached_sql(f"mds-{rule.split()[0]}", key, lambda: _sql(build()))


def census_cache_is_fresh(con: DuckDBPyConnection) -> bool:
    """Whether the cached intervals were built from the store as it is now.

    False after a load that committed its records but not its cache refresh
    (a killed ``mds load``): ``store.load_files`` then rebuilds the cache
    even when every file was already loaded.
    """
    return _cache_is_fresh(con, CensusConvention())


def _cache_state_exists(con: DuckDBPyConnection) -> bool:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables()"
        " WHERE table_name = ? AND database_name = current_database()",
        [_CACHE_STATE],
    ).fetchone()
    return bool(exists and exists[0])


def _cache_is_fresh(con: DuckDBPyConnection, convention: CensusConvention) -> bool:
    if convention != CensusConvention() or not _cache_state_exists(con):
        return False
    built = con.execute(f"SELECT * FROM {_CACHE_STATE}").fetchone()
    return bool(built == con.execute(_STATE_SQL).fetchone())


def census_expression_for(
    con: DuckDBPyConnection,
    start: date,
    end: date,
    facility: str | None,
    convention: CensusConvention,
) -> Any:
    """The census rule (``census_rule``) over the store ``con``, as an Ibis expression.

    Reads the cached intervals when they are fresh for ``convention``, else
    derives them from the records of the look-back window.
    """
    lo = _params(start, end, convention)["lo"]
    at = {"start": start, "end": end, "lo": lo, "facility": facility}
    return _census_expression(
        con, at, fresh=_cache_is_fresh(con, convention), convention=convention
    )


def census_query(
    con: DuckDBPyConnection,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> tuple[str, list[Any]]:
    """The census ``(facility, d, census)`` of every day in ``start``..``end``: DuckDB SQL, values.

    A facility appears when it has a record in the look-back window; it then
    has one row per day. The SQL takes the period and facility as parameters
    (``$1``...: the values), so it is compiled once for every period
    (``_compiled``). ``InputError`` when the period ends before it starts.
    """
    convention = convention or CensusConvention()
    lo = _params(start, end, convention)["lo"]
    fresh = _cache_is_fresh(con, convention)
    values: dict[str, Any] = {"start": start, "end": end, "lo": lo}
    if facility is not None:
        values["facility"] = facility
    types = {"start": "date", "end": "date", "lo": "date", "facility": "string"}

    def build() -> Any:
        given = parameters(**{name: types[name] for name in values})
        at = {name: given[name].as_scalar() for name in values}
        return _census_expression(con, at, fresh=fresh, convention=convention)

    rule = f"census cached={fresh} facility={facility is not None} {convention!r}"
    tables = ("mds_assessments", CACHE) if fresh else ("mds_assessments",)
    return with_parameters(_compiled(con, rule, tables, build), values)


def _census_expression(
    con: DuckDBPyConnection, at: dict[str, Any], *, fresh: bool, convention: CensusConvention
) -> Any:
    """The census rule over the store ``con`` for the period, look-back and facility ``at``."""
    records = _ibis(con, "mds_assessments")
    start, end, lo, facility = at["start"], at["end"], at["lo"], at.get("facility")
    if fresh:
        cached = _ibis(con, CACHE)
        intervals = cached.filter((cached.end_date > start) & (cached.start_date <= end))
    else:
        intervals = presence_intervals(records, convention, lo, end, with_groups=False)
    found = facilities_expression(records, lo, end, facility)
    return census_expression(intervals, found, start, end, facility=facility)


def daily_census(
    con: DuckDBPyConnection,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """Census for every facility in the store (or just ``facility``) and day in [start, end]."""
    sql, values = census_query(con, start, end, facility=facility, convention=convention)
    rows = con.execute(f"SELECT * FROM ({sql}) ORDER BY facility, d", values).fetchall()
    return [DailyCensus(f, d, int(n)) for f, d, n in rows]


_RECORD_COLUMNS = (
    "ccn, resident_key, target_date, a0310f, entry_date, nursing_group, record, source_file"
)


def census_on_engine(
    engine: Any,
    con: DuckDBPyConnection,
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
    lo = _params(start, end, convention)["lo"]
    window = f"target_date BETWEEN DATE '{lo.isoformat()}' AND DATE '{end.isoformat()}'"
    arrow = con.sql(f"SELECT {_RECORD_COLUMNS} FROM mds_assessments WHERE {window}")
    records = engine.from_arrow(arrow.to_arrow_table())
    intervals = presence_intervals(records, convention, lo, end, with_groups=False)
    found = facilities_expression(records, lo, end, facility)
    rows = engine.to_rows(census_expression(intervals, found, start, end, facility=facility))
    return [DailyCensus(r["facility"], r["d"], int(r["census"])) for r in rows]


def write_census_csv(
    con: DuckDBPyConnection,
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
    sql, values = census_query(con, start, end, facility=facility, convention=convention)
    query = f"SELECT facility, d AS date, census FROM ({sql}) ORDER BY facility, d"
    literal = str(out).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{literal}' (FORMAT csv, HEADER, DELIMITER ',')", values)


def nursing_group_days(
    con: DuckDBPyConnection,
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
    lo = _params(start, end, convention)["lo"]
    values = {"facility": facility, "start": start, "end": end, "lo": lo}

    def build() -> Any:
        import ibis

        given = parameters(facility="string", start="date", end="date", lo="date")
        at = {name: given[name].as_scalar() for name in values}
        records = _ibis(con, "mds_assessments")
        iv = presence_intervals(records, convention, at["lo"], at["end"])
        iv = iv.filter(
            (iv.facility == at["facility"])
            & (iv.start_date <= at["end"])
            & (iv.end_date > at["start"])
        )
        first, after = day_number(at["start"]), day_number(at["end"]) + 1
        days = ibis.least(iv.end_date.epoch_days(), after) - ibis.greatest(
            iv.start_date.epoch_days(), first
        )
        return (
            iv.select(g=iv.nursing_group.fill_null(""), n=days)
            .group_by("g")
            .aggregate(n=ibis._.n.sum())
        )

    sql = _compiled(con, f"groups {convention!r}", ("mds_assessments",), build)
    found = con.execute(*with_parameters(sql, values)).fetchall()
    return {g: int(n) for g, n in sorted(found)}
