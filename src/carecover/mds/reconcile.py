"""Census reconciliation: our MDS census against the PBJ public file's ``MDScensus``.

CMS publishes, for every facility-day of the PBJ Daily Nurse Staffing file,
the census it derived from MDS (``MDScensus``, cms-staffing-methodology.md
§4). When that file is loaded (``carecover.pbj`` store table
``daily_nurse_staffing``: ``provnum``, ``workdate``, ``mdscensus``) for the
facilities and days we also hold MDS records for, comparing the two day by
day shows where the facility's MDS submissions and CMS's count part ways
(a discharge never sent, an entry record missing, a different convention).
Facilities are matched on the CCN (A0100B = PROVNUM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from carecover.errors import InputError, NotFoundError
from carecover.mds.census import census_query
from carecover.mds.stays import CensusConvention

__all__ = ["CensusDifference", "Reconciliation", "attach_pbj_store", "reconcile_census"]

PBJ_TABLE = "daily_nurse_staffing"
_QUALIFIED = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class CensusDifference:
    """One facility-day where our census and CMS's ``MDScensus`` differ."""

    facility: str
    date: date
    ours: int
    pbj: int
    difference: int  # ours - pbj


@dataclass(frozen=True)
class Reconciliation:
    """The comparison over a period, and the days that differ."""

    days_compared: int
    days_equal: int
    mean_absolute_difference: float
    days_without_pbj: int
    differences: list[CensusDifference]


def attach_pbj_store(con: Any, pbj_db: Path, *, same_file: bool = False) -> str:
    """Make the PBJ store's table reachable from ``con``; return its qualified name.

    With ``same_file`` (MDS and PBJ in one store) the table is used directly;
    otherwise ``pbj_db`` is attached read-only as ``pbj``.
    """
    table = PBJ_TABLE
    if not same_file:
        file = Path(pbj_db).expanduser()
        if not file.is_file():
            raise NotFoundError(f"no PBJ store at {file} (load files with `pbj load`)")
        escaped = str(file).replace("'", "''")
        con.execute(f"ATTACH '{escaped}' AS pbj (READ_ONLY)")
        table = f"pbj.{PBJ_TABLE}"
    schema, _, name = table.rpartition(".")
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?"
        " AND (? = '' OR database_name = ?)",
        [name, schema, schema],
    ).fetchone()
    if not found or not found[0]:
        raise NotFoundError(f"the PBJ store {pbj_db} has no {PBJ_TABLE} table (run `pbj load`)")
    return table


def reconcile_census(
    con: Any,
    start: date,
    end: date,
    *,
    facility: str | None = None,
    pbj_table: str = PBJ_TABLE,
    convention: CensusConvention | None = None,
) -> Reconciliation:
    """Compare our daily census with ``MDScensus`` for every facility-day in both.

    Only facility-days present on both sides are compared; days of our
    facilities that the PBJ table lacks are counted in ``days_without_pbj``.
    """
    if not _QUALIFIED.match(pbj_table):
        raise InputError(f"not a table name: {pbj_table!r}")
    convention = convention or CensusConvention()
    ours = census_query(con, start, end, facility=facility, convention=convention)
    sql = f"""
    WITH ours AS ({ours}),
    joined AS (
        SELECT o.facility, o.d, o.census AS ours, p.mdscensus AS pbj
        FROM ours o LEFT JOIN {pbj_table} p ON p.provnum = o.facility AND p.workdate = o.d
    )
    SELECT facility, d, ours, pbj FROM joined
    WHERE pbj IS NULL OR ours <> pbj
    ORDER BY facility, d
    """
    rows = con.execute(sql).fetchall()
    summary = con.execute(
        f"""
        WITH ours AS ({ours})
        SELECT count(p.mdscensus), count(*) FILTER (WHERE o.census = p.mdscensus),
               coalesce(avg(abs(o.census - p.mdscensus)), 0), count(*) - count(p.mdscensus)
        FROM ours o LEFT JOIN {pbj_table} p ON p.provnum = o.facility AND p.workdate = o.d
        """
    ).fetchone()
    compared, equal, mad, without = summary
    diffs = [
        CensusDifference(f, d, int(o), int(p), int(o) - int(p))
        for f, d, o, p in rows
        if p is not None
    ]
    return Reconciliation(int(compared), int(equal), float(mad), int(without), diffs)
