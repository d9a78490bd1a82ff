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
from typing import TYPE_CHECKING

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import InputError, NotFoundError
from carecover.mds.census import census_expression_for
from carecover.mds.stays import CensusConvention

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

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


def attach_pbj_store(con: DuckDBPyConnection, pbj_db: Path, *, same_file: bool = False) -> str:
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
    con: DuckDBPyConnection,
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
    ours = census_expression_for(con, start, end, facility, convention)
    database, _, name = pbj_table.rpartition(".")
    pbj = table(con, name, database=database or None)
    joined = ours.left_join(pbj, [ours.facility == pbj.provnum, ours.d == pbj.workdate]).select(
        facility=ours.facility, d=ours.d, ours=ours.census, pbj=pbj.mdscensus
    )
    differ = joined.filter(joined.pbj.notnull() & (joined.ours != joined.pbj))
    summary = joined.aggregate(
        compared=joined.pbj.count(),
        equal=(joined.ours == joined.pbj).sum(),
        mad=(joined.ours - joined.pbj).abs().mean(),
        rows=joined.count(),
    )
    ((compared, equal, mad, total),) = [tuple(r.values()) for r in rows(con, summary)]
    diffs = [
        CensusDifference(r["facility"], r["d"], int(r["ours"]), int(r["pbj"]),
                         int(r["ours"]) - int(r["pbj"]))
        for r in rows(con, differ.order_by(["facility", "d"]))
    ]  # fmt: skip
    return Reconciliation(
        int(compared), int(equal or 0), float(mad or 0.0), int(total) - int(compared), diffs
    )
