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

Each PBJ report is an Ibis expression over the store tables
``employee_hours``/``employees`` (a loaded PBJ XML), run on the store's
DuckDB connection; the MDS reports read the census rule (``mds.census``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import job_titles

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "REPORTS",
    "Report",
    "daily_staffing",
    "employee_report",
    "job_title_report",
    "report_rows",
    "staffing_summary",
]


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


def _hours_in(con: DuckDBPyConnection, quarter: Quarter, facility: str | None) -> Any:
    """The store's ``employee_hours`` of ``quarter`` (and ``facility``), as Ibis."""
    hours = table(con, "employee_hours")
    found = hours.filter(hours.quarter == str(quarter))
    if facility:
        found = found.filter(found.facility_id == facility)
    return found


def employee_report(hours: Any, employees: Any) -> Any:
    """1700D: every employee on file of the facilities with hours, worked or not (Ibis)."""
    keys = ["state", "facility_id", "employee_id"]
    facilities = hours.select("state", "facility_id").distinct()
    worked = hours.group_by(keys).agg(days_worked=hours.workdate.nunique())
    on_file = employees.join(facilities, ["state", "facility_id"])
    joined = on_file.left_join(worked, keys)
    return joined.select(
        state=on_file.state,
        facility_id=on_file.facility_id,
        employee_id=on_file.employee_id,
        hire_date=on_file.hire_date,
        termination_date=on_file.termination_date,
        days_worked=joined.days_worked.fill_null(0),
    ).order_by(keys)


def daily_staffing(hours: Any) -> Any:
    """1702D: hours per employee, day, job title and pay type (Ibis)."""
    keys = ["employee_id", "workdate", "job_title_code", "pay_type_code"]
    return hours.group_by(keys).agg(hours=hours.hours.sum()).order_by(keys)


def staffing_summary(hours: Any) -> Any:
    """1702S: employee, contract and total hours per job title (Ibis)."""
    contract = hours.pay_type_code == _CONTRACT
    return (
        hours.group_by("job_title_code")
        .agg(
            employee_hours=hours.hours.sum(where=~contract).fill_null(0),
            contract_hours=hours.hours.sum(where=contract).fill_null(0),
            total_hours=hours.hours.sum(),
        )
        .order_by("job_title_code")
    )


def job_title_report(hours: Any) -> Any:
    """1703D: per job title, employees with hours, days with hours and the hours (Ibis)."""
    return (
        hours.group_by("job_title_code")
        .agg(
            employees=hours.employee_id.nunique(),
            days=hours.workdate.nunique(),
            hours=hours.hours.sum(),
        )
        .order_by("job_title_code")
    )


def report_rows(
    con: DuckDBPyConnection, number: str, quarter: Quarter, *, facility: str | None = None
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
    hours = _hours_in(con, quarter, facility)
    titles = _titles()
    if report.number == "1700D":
        return rows(con, employee_report(hours, table(con, "employees")))
    if report.number == "1702D":
        return [
            {
                "employee_id": r["employee_id"],
                "workdate": r["workdate"],
                "job_title_code": r["job_title_code"],
                "job_title": titles.get(r["job_title_code"], "?"),
                "pay_type_code": r["pay_type_code"],
                "hours": round(r["hours"], 2),
            }
            for r in rows(con, daily_staffing(hours))
        ]
    if report.number == "1702S":
        found = rows(con, staffing_summary(hours))
        grand = sum(r["total_hours"] for r in found) or 1.0
        return [
            {
                "job_title_code": r["job_title_code"],
                "job_title": titles.get(r["job_title_code"], "?"),
                "employee_hours": round(r["employee_hours"], 2),
                "contract_hours": round(r["contract_hours"], 2),
                "total_hours": round(r["total_hours"], 2),
                "share_of_hours": round(r["total_hours"] / grand, 4),
            }
            for r in found
        ]
    return [  # 1703D
        {
            "job_title_code": r["job_title_code"],
            "job_title": titles.get(r["job_title_code"], "?"),
            "employees": r["employees"],
            "days": r["days"],
            "hours": round(r["hours"], 2),
            "hours_per_day": round(r["hours"] / r["days"], 2),
        }
        for r in rows(con, job_title_report(hours))
    ]


def _census(
    con: DuckDBPyConnection, report: Report, quarter: Quarter, ccn: str | None
) -> list[dict[str, Any]]:
    """1704D/1704S: the daily census of active residents (``mds.daily_census``)."""
    from carecover.mds.census import daily_census

    if ccn is None:
        records = table(con, "mds_assessments")
        ccns = [r["ccn"] for r in rows(con, records.select("ccn").distinct())]
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
