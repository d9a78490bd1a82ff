"""A facility's own submission as public-file daily rows: what CMS will publish.

CMS's Daily Nurse Staffing file sums each day's hours of a submission by job
title (the bare column, ``_emp`` for pay types 1 and 2, ``_ctr`` for pay type
3) and adds ``MDScensus``, the residents counted from MDS assessments
(cms-staffing-methodology.md §2.1). Months before that file comes out, a
nursing home can build the same rows from the XML it is about to submit
(the store's ``employee_hours``) and the census of its own MDS assessments,
then run every measure, coverage calendar and projection on them.

The rows go into ``submission_daily_nurse_staffing``, a table of the same
shape as ``daily_nurse_staffing`` kept apart so that a later public file
never collides with (or hides) the facility's own figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import sql_of as sql
from carecover.engines.duckdb import table_of as table
from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles
from carecover.pbj.columns import FileKind
from carecover.pbj.store import daily_table_ddl
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["TABLE", "build_submission_days", "submission_days"]

TABLE = "submission_daily_nurse_staffing"


def _hour_sums(h: Any) -> dict[str, Any]:
    """One sum per nurse column and suffix, in the public file's column order (Ibis)."""
    stems: dict[str, list[int]] = {}
    for title in job_titles():
        if title.puf_file == FileKind.NURSE.value and title.puf_column is not None:
            stems.setdefault(title.puf_column.lower(), []).append(title.code)
    sums = {}
    for stem, codes in stems.items():
        job = h.job_title_code.isin(codes)
        for suffix, pay in (
            ("", job),
            ("_emp", job & h.pay_type_code.isin((1, 2))),
            ("_ctr", job & (h.pay_type_code == 3)),
        ):
            sums[f"{stem}{suffix}"] = h.hours.sum(where=pay).fill_null(0).round(2)
    return sums


def submission_days(
    hours: Any, census: Any, *, provnum: str, state: str, facility_id: str, quarter: Quarter
) -> Any:
    """A facility's quarter as public-file rows, from its submission's hours and its census.

    ``hours`` is the ``employee_hours`` table, ``census`` a table of (``d``,
    ``n``) days and residents. A day gets a row when it has hours or
    residents; a day with residents and no nurse hours has 0 hours in every
    column, so it counts as a day without an RN, as CMS counts it.
    """
    import ibis

    h = hours.filter(
        (hours.state == state.upper())
        & (hours.facility_id == facility_id)
        & hours.workdate.between(quarter.start, quarter.end)
    )
    sums = h.group_by(d=h.workdate).aggregate(**_hour_sums(h))
    occupied = census.filter(census.n > 0).select(d=census.d.cast("date"))
    days = sums.select(d=sums.d.cast("date")).union(occupied, distinct=True)
    joined = days.left_join(sums, "d").left_join(census, "d")
    return joined.select(
        provnum=ibis.literal(provnum),
        state=ibis.literal(state.upper()),
        quarter=ibis.literal(str(quarter)),
        workdate=joined.d,
        mdscensus=joined.n.fill_null(0),
        **{c: joined[c].fill_null(0) for c in _hour_sums(h)},
        source_file=ibis.literal("submission"),
    )


def build_submission_days(
    con: DuckDBPyConnection,
    *,
    provnum: str,
    state: str,
    facility_id: str,
    quarter: Quarter,
    census: Mapping[date, int],
) -> int:
    """(Re)build ``provnum``'s rows of ``quarter`` from its submission and census; return the count.

    ``state`` and ``facility_id`` pick the submission in ``employee_hours``
    (the PBJ header's ``stateCode`` and ``facilityId``); ``census`` maps each
    day to the MDS census. A day gets a row when it has hours or residents;
    a day with residents and no nurse hours has 0 hours, so it counts as a
    day without an RN, as CMS counts it. Runs in one transaction.
    """
    con.execute(daily_table_ddl(FileKind.NURSE, TABLE))
    days = sorted((d, int(n)) for d, n in census.items() if quarter.start <= d <= quarter.end)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {TABLE} WHERE provnum = ? AND quarter = ?", [provnum, str(quarter)]
        )
        con.execute("CREATE OR REPLACE TEMP TABLE _submission_census (d DATE, n INTEGER)")
        if days:
            con.executemany("INSERT INTO _submission_census VALUES (?, ?)", days)
        rows = submission_days(
            table(con, "employee_hours"),
            table(con, "_submission_census"),
            provnum=provnum,
            state=state,
            facility_id=facility_id,
            quarter=quarter,
        )
        con.execute(f"INSERT INTO {TABLE} BY NAME {sql(rows)}")
        ((count,),) = con.execute(
            f"SELECT count(*) FROM {TABLE} WHERE provnum = ? AND quarter = ?",
            [provnum, str(quarter)],
        ).fetchall()
        con.execute("DROP TABLE _submission_census")
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    return int(count)
