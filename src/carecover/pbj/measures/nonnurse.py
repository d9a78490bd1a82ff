"""Non-nurse HPRD per facility-quarter from CMS's Daily Non-Nurse Staffing files.

Users ask for physical-therapist HPRD and the other non-nurse categories
(issue 15 §6). Each category is a column of the non-nurse public file
(``cms-staffing-methodology.md`` §2.2: ``Hrs_PT``, ``Hrs_OT``, ``Hrs_Admin``
...); which column holds which job title code is data, the ``puf_column``
of ``data/pbj/job_title_codes.csv`` with its source and confidence. HPRD is
hours summed over the quarter ÷ ``MDScensus`` summed over the same days, as
for nurses (§3a); an empty cell adds 0 hours. These are our measures: CMS
rates no non-nurse staffing.
"""

from __future__ import annotations

from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles

__all__ = ["categories", "nonnurse_columns", "nonnurse_rows"]

TABLE = "daily_non_nurse_staffing"


def categories() -> list[tuple[str, int, str, str]]:
    """(output column, job code, title, public-file column) of each non-nurse category."""
    return [
        (f"{t.puf_column.lower().removeprefix('hrs_')}_hprd", t.code, t.title, t.puf_column)
        for t in job_titles()
        if t.puf_file == "non-nurse" and t.puf_column
    ]


def nonnurse_columns() -> list[str]:
    """The output columns, in order."""
    return [
        "provnum",
        "quarter",
        "days_reported",
        "resident_days",
        *(c for c, _, _, _ in categories()),
    ]


def nonnurse_rows(
    source: Any, *, quarter: Quarter | None = None, facility: str | None = None
) -> list[dict[str, Any]]:
    """Non-nurse HPRD per facility-quarter of ``source``: a store path or non-nurse CSV files.

    Files go through the careful loader (every bad row named by file and line).
    """
    from carecover.pbj.publicfile.loading import load_files
    from carecover.pbj.sources import FilesSource, StoreSource, resolve
    from carecover.pbj.store import connect

    match resolve(source):
        case StoreSource(path):
            con = connect(path, read_only=True)
        case FilesSource(paths):
            con = connect(":memory:")
            load_files(con, list(paths))
        case _:
            raise TypeError("the non-nurse measures read a store or public files")
    try:
        sums = ", ".join(
            f"sum(coalesce({col.lower()}, 0)) / nullif(sum(mdscensus), 0) AS {name}"
            for name, _, _, col in categories()
        )
        where, params = ["TRUE"], []
        if quarter is not None:
            where.append("quarter = ?")
            params.append(str(quarter))
        if facility is not None:
            where.append("provnum = ?")
            params.append(facility)
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [TABLE]
        ).fetchone()
        if not found or not found[0]:
            return []
        result = con.execute(
            f"SELECT provnum, quarter, count(*) AS days_reported,"
            f" sum(mdscensus) AS resident_days, {sums} FROM {TABLE}"
            f" WHERE {' AND '.join(where)} GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()
