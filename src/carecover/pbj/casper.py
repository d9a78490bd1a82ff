"""PBJ CASPER-style provider reports from a submission's hours and the MDS census.

CMS's CASPER "PBJ" report category (CASPER Reporting MDS Provider User's
Guide §12, ``cms-staffing-methodology.md`` §6.1) lists these reports; their
names and purposes come from that guide, their **columns are ours**: the
reference infers the field-level content of 1700D–1703D from the names
(UNCONFIRMED), and 1704D/1704S count the daily census of active residents
from accepted MDS records, as the census here does (``mds.census``).

- 1700D Employee Report: employees on file, hire and termination dates.
- 1702D Individual Daily Staffing Report: hours per employee per day, job and pay type.
- 1702S Staffing Summary Report: hours per job title, employee and contract.
- 1703D Job Title Report: per job title, employees with hours, days and hours.
- 1704D Daily MDS Census Detail Report: the census of each day.
- 1704S Daily MDS Census Summary Report: days, lowest, highest and average census.

Each report reads the store tables ``employee_hours``/``employees`` (a
loaded PBJ XML) or the MDS tables, through one SQL query on DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles

__all__ = ["REPORTS", "Report", "report_rows"]


@dataclass(frozen=True)
class Report:
    """One CASPER-style report: its number, CMS's name and our columns."""

    number: str
    name: str
    columns: tuple[str, ...]
    needs: str  # "pbj" or "mds"


REPORTS = {
    r.number: r
    for r in (
        Report(
            "1700D",
            "Employee Report",
            ("state", "facility_id", "employee_id", "hire_date", "termination_date", "days_worked"),
            "pbj",
        ),
        Report(
            "1702D",
            "Individual Daily Staffing Report",
            ("employee_id", "workdate", "job_title_code", "job_title", "pay_type_code", "hours"),
            "pbj",
        ),
        Report(
            "1702S",
            "Staffing Summary Report",
            (
                "job_title_code",
                "job_title",
                "employee_hours",
                "contract_hours",
                "total_hours",
                "share_of_hours",
            ),
            "pbj",
        ),
        Report(
            "1703D",
            "Job Title Report",
            ("job_title_code", "job_title", "employees", "days", "hours", "hours_per_day"),
            "pbj",
        ),
        Report("1704D", "Daily MDS Census Detail Report", ("date", "weekend", "census"), "mds"),
        Report(
            "1704S",
            "Daily MDS Census Summary Report",
            ("first_day", "last_day", "days", "lowest", "highest", "average", "resident_days"),
            "mds",
        ),
    )
}

_CONTRACT = 3  # payTypeCode 3 = contract; 1 and 2 = employee (exempt, non-exempt)


def _titles() -> dict[int, str]:
    return {t.code: t.title for t in job_titles()}


def report_rows(
    con: Any, number: str, quarter: Quarter, *, facility: str | None = None
) -> list[dict[str, Any]]:
    """The rows of report ``number`` for ``quarter``.

    ``facility`` is the PBJ ``facilityId`` (PBJ reports) or the CCN (MDS
    reports); None means the only one in the store.
    """
    report = REPORTS.get(number.upper())
    if report is None:
        raise InputError(f"unknown report {number!r}; one of {', '.join(REPORTS)}", field="report")
    if report.needs == "mds":
        return _census(con, report, quarter, facility)
    where, params = "quarter = ?", [str(quarter)]
    if facility:
        where += " AND facility_id = ?"
        params.append(facility)
    titles = _titles()
    if report.number == "1700D":
        # Every employee on file of the facilities with hours in the quarter, worked or not.
        rows = con.execute(
            "WITH h AS (SELECT * FROM employee_hours"
            f" WHERE {where}), f AS (SELECT DISTINCT state, facility_id FROM h)"
            " SELECT e.state, e.facility_id, e.employee_id, e.hire_date, e.termination_date,"
            " count(DISTINCT h.workdate) FROM employees e JOIN f USING (state, facility_id)"
            " LEFT JOIN h USING (state, facility_id, employee_id)"
            " GROUP BY ALL ORDER BY e.state, e.facility_id, e.employee_id",
            params,
        ).fetchall()
    elif report.number == "1702D":
        rows = [
            (emp, day, job, titles.get(job, "?"), pay, round(hours, 2))
            for emp, day, job, pay, hours in con.execute(
                "SELECT employee_id, workdate, job_title_code, pay_type_code, sum(hours)"
                f" FROM employee_hours WHERE {where} GROUP BY ALL ORDER BY 1, 2, 3, 4",
                params,
            ).fetchall()
        ]
    elif report.number == "1702S":
        found = con.execute(
            "SELECT job_title_code,"
            f" coalesce(sum(hours) FILTER (WHERE pay_type_code <> {_CONTRACT}), 0),"
            f" coalesce(sum(hours) FILTER (WHERE pay_type_code = {_CONTRACT}), 0), sum(hours)"
            f" FROM employee_hours WHERE {where} GROUP BY 1 ORDER BY 1",
            params,
        ).fetchall()
        grand = sum(r[3] for r in found) or 1.0
        rows = [
            (job, titles.get(job, "?"), round(e, 2), round(c, 2), round(t, 2), round(t / grand, 4))
            for job, e, c, t in found
        ]
    else:  # 1703D
        rows = [
            (job, titles.get(job, "?"), n, days, round(hours, 2), round(hours / days, 2))
            for job, n, days, hours in con.execute(
                "SELECT job_title_code, count(DISTINCT employee_id), count(DISTINCT workdate),"
                f" sum(hours) FROM employee_hours WHERE {where} GROUP BY 1 ORDER BY 1",
                params,
            ).fetchall()
        ]
    return [dict(zip(report.columns, r, strict=True)) for r in rows]


def _census(con: Any, report: Report, quarter: Quarter, ccn: str | None) -> list[dict[str, Any]]:
    """1704D/1704S: the daily census of active residents (``mds.daily_census``)."""
    from carecover.mds.census import daily_census

    if ccn is None:
        ccns = [c for (c,) in con.execute("SELECT DISTINCT ccn FROM mds_assessments").fetchall()]
        if len(ccns) > 1:
            raise InputError(
                f"the MDS records hold several CCNs ({', '.join(sorted(ccns))}):"
                " name one with --facility",
                field="facility",
            )
        ccn = ccns[0] if ccns else None
    days = daily_census(con, quarter.start, quarter.end, facility=ccn)
    if report.number == "1704D":
        return [
            {"date": d.date, "weekend": d.date.weekday() >= 5, "census": d.census} for d in days
        ]
    counts = [d.census for d in days]
    if not counts:
        return []
    return [
        {
            "first_day": quarter.start,
            "last_day": quarter.end,
            "days": len(counts),
            "lowest": min(counts),
            "highest": max(counts),
            "average": round(sum(counts) / len(counts), 2),
            "resident_days": sum(counts),
        }
    ]
