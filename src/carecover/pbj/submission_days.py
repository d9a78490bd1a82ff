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
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles
from carecover.pbj.columns import FileKind
from carecover.pbj.store import daily_table_ddl
from carecover.storefile import abort

__all__ = ["TABLE", "build_submission_days"]

TABLE = "submission_daily_nurse_staffing"


def _hour_sums() -> list[str]:
    """One SUM per nurse column and suffix, in the public file's column order."""
    stems: dict[str, list[int]] = {}
    for title in job_titles():
        if title.puf_file == FileKind.NURSE.value and title.puf_column is not None:
            stems.setdefault(title.puf_column.lower(), []).append(title.code)
    sums = []
    for stem, codes in stems.items():
        codes_sql = ", ".join(str(c) for c in codes)
        base = f"h.job_title_code IN ({codes_sql})"
        for suffix, pay in (
            ("", ""),
            ("_emp", " AND h.pay_type_code IN (1, 2)"),
            ("_ctr", " AND h.pay_type_code = 3"),
        ):
            sums.append(
                f"round(coalesce(sum(h.hours) FILTER (WHERE {base}{pay}), 0), 2) AS {stem}{suffix}"
            )
    return sums


def build_submission_days(
    con: Any,
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
        sums = ",\n            ".join(_hour_sums())
        con.execute(
            f"""
            INSERT INTO {TABLE} BY NAME
            WITH hours AS (
                SELECT h.workdate AS d, {sums}
                FROM employee_hours h
                WHERE h.state = $state AND h.facility_id = $facility_id
                  AND h.workdate BETWEEN $start AND $end
                GROUP BY h.workdate
            ),
            days AS (
                SELECT d FROM hours UNION SELECT d FROM _submission_census WHERE n > 0
            )
            SELECT $provnum AS provnum, $state AS state, $quarter AS quarter,
                   days.d AS workdate, coalesce(c.n, 0) AS mdscensus,
                   COLUMNS(hours.* EXCLUDE (d)),
                   'submission' AS source_file
            FROM days
            LEFT JOIN hours ON hours.d = days.d
            LEFT JOIN _submission_census c ON c.d = days.d
            """,
            {
                "state": state.upper(),
                "facility_id": facility_id,
                "start": quarter.start,
                "end": quarter.end,
                "provnum": provnum,
                "quarter": str(quarter),
            },
        )
        # Days with residents and no hours at all: every hours column 0, not NULL.
        columns = [c for c in _columns(con) if c.startswith("hrs_")]
        con.execute(
            f"UPDATE {TABLE} SET "
            + ", ".join(f"{c} = coalesce({c}, 0)" for c in columns)
            + " WHERE provnum = ? AND quarter = ?",
            [provnum, str(quarter)],
        )
        ((count,),) = con.execute(
            f"SELECT count(*) FROM {TABLE} WHERE provnum = ? AND quarter = ?",
            [provnum, str(quarter)],
        ).fetchall()
        con.execute("DROP TABLE _submission_census")
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    return int(count)


def _columns(con: Any) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " AND table_schema = current_schema() ORDER BY ordinal_position",
            [TABLE],
        ).fetchall()
    ]
