"""CASPER-style PBJ reports (1700D-1704S) from a hand-made submission and MDS file (issue 15 §6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.mds.store import create_mds_schema, load_files
from carecover.pbj.calendar import Quarter
from carecover.pbj.store import connect
from carecover.pbj.submission.casper import REPORTS, report_rows
from carecover.pbj.submission.store import load_xml
from tests.conftest import REPO, CliResult

VALID = REPO / "tests" / "fixtures" / "pbj" / "xml" / "valid.xml"
MDS = REPO / "tests" / "fixtures" / "rating" / "mds_two_residents.csv"
Q2 = Quarter.parse("2026Q2")
Cli = Callable[..., CliResult]


@pytest.fixture
def con() -> Any:
    """valid.xml (RN-001: 8 h code 7 on 1 April, 7.5 h code 7 + 4.25 h code 6 on 2 April;
    CNA 002: contract code 10, 12 h on 1 April and 22.5 h on 30 June) and two residents."""
    store = connect(":memory:")
    load_xml(store, VALID, submitted_on=date(2026, 7, 20))
    create_mds_schema(store)
    load_files(store, [MDS])
    return store


def test_1700d_lists_each_employee_with_hire_date_and_days_worked(con: Any) -> None:
    rows = report_rows(con, "1700D", Q2)
    assert [(r["employee_id"], r["hire_date"], r["days_worked"]) for r in rows] == [
        ("CNA 002", date(2025, 11, 3), 2),
        ("RN-001", date(2020, 1, 15), 2),
    ]


def test_1702d_has_hours_per_employee_day_job_and_pay_type(con: Any) -> None:
    rows = report_rows(con, "1702D", Q2)
    assert [
        (r["employee_id"], str(r["workdate"]), r["job_title_code"], r["hours"]) for r in rows
    ] == [
        ("CNA 002", "2026-04-01", 10, 12.0),
        ("CNA 002", "2026-06-30", 10, 22.5),
        ("RN-001", "2026-04-01", 7, 8.0),
        ("RN-001", "2026-04-02", 6, 4.25),
        ("RN-001", "2026-04-02", 7, 7.5),
    ]


def test_1702s_splits_employee_and_contract_hours_per_job_title(con: Any) -> None:
    rows = {r["job_title_code"]: r for r in report_rows(con, "1702S", Q2)}
    assert (rows[7]["employee_hours"], rows[7]["contract_hours"]) == (15.5, 0.0)
    assert (rows[10]["employee_hours"], rows[10]["contract_hours"]) == (0.0, 34.5)
    assert rows[6]["total_hours"] == 4.25
    assert rows[10]["share_of_hours"] == round(34.5 / 54.25, 4)
    assert rows[7]["job_title"] == "Registered Nurse"


def test_1703d_counts_employees_days_and_hours_per_job_title(con: Any) -> None:
    rows = {r["job_title_code"]: r for r in report_rows(con, "1703D", Q2)}
    assert (rows[7]["employees"], rows[7]["days"], rows[7]["hours"]) == (1, 2, 15.5)
    assert rows[10]["hours_per_day"] == 17.25


def test_1704d_and_1704s_give_the_mds_census(con: Any) -> None:
    q1 = Quarter.parse("2026Q1")
    daily = report_rows(con, "1704D", q1)
    assert len(daily) == 90
    assert {r["census"] for r in daily} == {2}
    [summary] = report_rows(con, "1704S", q1)
    assert (summary["days"], summary["lowest"], summary["highest"]) == (90, 2, 2)
    assert summary["resident_days"] == 180


def test_an_unknown_report_is_refused() -> None:
    with pytest.raises(InputError, match="unknown report"):
        report_rows(connect(":memory:"), "1799Z", Q2)
    assert set(REPORTS) == {"1700D", "1702D", "1702S", "1703D", "1704D", "1704S"}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_pbj_report_prints_each_format(cli: Cli, fmt: str) -> None:
    result = cli(
        "pbj", "report", "1702S", VALID, "--quarter", "2026Q2", "--submitted-on", "2026-07-20",
        "--format", fmt,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "34.5" in result.stdout
    mds = cli("pbj", "report", "1704S", "--mds", MDS, "--quarter", "2026Q1", "--format", fmt)
    assert mds.exit_code == 0, mds.stderr
    assert "180" in mds.stdout


def test_pbj_report_without_input_is_an_error(cli: Cli) -> None:
    result = cli("pbj", "report", "1700D", "--quarter", "2026Q2")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: report 1700D needs a PBJ XML FILE or --db")


def test_every_report_lists_its_columns_in_the_order_it_declares(con: Any) -> None:
    for number, report in REPORTS.items():
        found = report_rows(con, number, Q2)
        assert found, number
        assert all(tuple(row) == report.columns for row in found), number
