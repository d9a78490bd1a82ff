"""Turnover from six quarters of employee-level PBJ, on a hand-built ``employee_hours``.

The table has the shape the PBJ XML importer writes (state, facility_id,
quarter, employee_id, workdate, job_title_code, pay_type_code, hours,
source_file, sha256); the rows are made by hand so each rule has an edge. The
last test runs on hours loaded by the importer itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from carecover.errors import ConfigError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method
from carecover.rating.turnover import turnover, turnover_window

LAST = Quarter.parse("2024Q2")
W0, P0, P1, W1 = turnover_window(LAST)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(":memory:")
    c.execute(
        """CREATE TABLE employee_hours (
            state VARCHAR, facility_id VARCHAR, quarter VARCHAR, employee_id VARCHAR,
            workdate DATE, job_title_code INTEGER, pay_type_code INTEGER, hours DOUBLE,
            source_file VARCHAR, sha256 VARCHAR)"""
    )
    yield c
    c.close()


def work(
    con: duckdb.DuckDBPyConnection,
    employee: str,
    code: int,
    first: date,
    last: date,
    *,
    pay: int = 2,
    facility: str = "F1",
) -> None:
    con.execute(
        "INSERT INTO employee_hours SELECT 'AL', $f, '', $e, d::DATE, $c, $p, 8, 't', 's'"
        " FROM range($first::DATE, $last::DATE + 1, INTERVAL (1) DAY) r(d)",
        {"f": facility, "e": employee, "c": code, "p": pay, "first": first, "last": last},
    )


def only(con: duckdb.DuckDBPyConnection, name: str = "2024-07"):  # type: ignore[no-untyped-def]
    (result,) = turnover(con, LAST, method(name).turnover)
    return result


def test_the_window_is_six_quarters_with_a_twelve_month_period() -> None:
    assert (
        date(2023, 1, 1),
        date(2023, 4, 1),
        date(2024, 3, 31),
        date(2024, 6, 30),
    ) == (W0, P0, P1, W1)


def test_a_nurse_who_stops_working_in_the_period_is_a_departure(
    con: duckdb.DuckDBPyConnection,
) -> None:
    work(con, "RN1", 7, W0, W1)
    work(con, "RN2", 7, W0, date(2023, 9, 30))
    r = only(con)
    assert (r.rn_eligible, r.rn_departures, r.rn_turnover_pct) == (2, 1, 50.0)
    assert (r.nurse_eligible, r.nurse_departures) == (2, 1)


def test_leave_of_90_days_or_less_is_turnover_only_before_july_2024(
    con: duckdb.DuckDBPyConnection,
) -> None:
    work(con, "CNA1", 10, W0, date(2023, 8, 1))
    work(con, "CNA1", 10, date(2023, 10, 31), W1)  # 90 days without hours
    assert only(con, "2022-07").nurse_departures == 1
    assert only(con, "2024-07").nurse_departures == 0


def test_someone_with_too_few_hours_before_the_period_is_not_eligible(
    con: duckdb.DuckDBPyConnection,
) -> None:
    work(con, "LPN1", 9, date(2023, 3, 20), W1)  # 12 days x 8 h = 96 h < 120 h
    assert only(con).nurse_eligible == 0
    assert only(con).total_turnover_pct is None


def test_agency_staff_are_left_out_by_default(con: duckdb.DuckDBPyConnection) -> None:
    work(con, "AG1", 10, W0, date(2023, 6, 1), pay=3)
    work(con, "RN1", 7, W0, W1)
    assert only(con).nurse_eligible == 1


def test_a_gap_that_runs_past_the_data_is_not_yet_a_departure(
    con: duckdb.DuckDBPyConnection,
) -> None:
    work(con, "RN1", 7, W0, date(2024, 6, 1))  # 29 days before the window ends
    assert only(con, "2022-07").rn_departures == 0


def test_administrators_who_left_are_counted(con: duckdb.DuckDBPyConnection) -> None:
    work(con, "ADM1", 1, W0, date(2023, 12, 31))
    work(con, "ADM2", 1, date(2024, 1, 1), W1)
    r = only(con)
    assert (r.admin_departures, r.admin_excluded) == (1, False)


def test_five_administrators_on_four_days_in_a_quarter_exclude_the_measure(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for i in range(5):
        work(con, f"ADM{i}", 1, date(2023, 7, 1 + i * 5), date(2023, 7, 4 + i * 5))
    r = only(con, "2024-07")
    assert r.admin_excluded
    assert r.admin_departures is None
    # The earlier rule wanted 12 days each.
    assert only(con, "2022-07").admin_excluded is False


def test_an_administrator_paid_twice_on_one_day_worked_one_day(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for i in range(5):
        work(con, f"ADM{i}", 1, date(2023, 7, 1 + i * 5), date(2023, 7, 4 + i * 5))
    # ADM4 worked three days, one of them on two rows (employee and contract pay).
    con.execute("DELETE FROM employee_hours WHERE employee_id = 'ADM4' AND workdate = '2023-07-24'")
    work(con, "ADM4", 1, date(2023, 7, 23), date(2023, 7, 23), pay=3)
    r = only(con, "2024-07")
    # Four administrators on four days or more: under the five the rule asks.
    assert r.admin_excluded is False


def test_contract_administrators_count_towards_the_exclusion(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for i in range(5):
        work(con, f"ADM{i}", 1, date(2023, 7, 1 + i * 5), date(2023, 7, 4 + i * 5), pay=3)
    assert only(con, "2024-07").admin_excluded


def test_a_facility_with_agency_staff_only_gets_a_row_of_zeros(
    con: duckdb.DuckDBPyConnection,
) -> None:
    work(con, "RN1", 7, W0, W1, facility="F1")
    work(con, "AG1", 7, W0, date(2023, 5, 1), pay=3, facility="F2")
    rows = turnover(con, LAST, method("2024-07").turnover)
    assert [(r.provnum, r.nurse_eligible, r.nurse_departures) for r in rows] == [
        ("F1", 1, 0),
        ("F2", 0, 0),
    ]
    assert rows[1].total_turnover_pct is None


def test_facilities_are_computed_together(con: duckdb.DuckDBPyConnection) -> None:
    work(con, "RN1", 7, W0, W1, facility="F1")
    work(con, "RN1", 7, W0, date(2023, 5, 1), facility="F2")
    rows = turnover(con, LAST, method("2024-07").turnover)
    assert [(r.provnum, r.rn_departures) for r in rows] == [("F1", 0), ("F2", 1)]
    (f2,) = turnover(con, LAST, method("2024-07").turnover, facility="F2")
    assert f2.rn_turnover_pct == 100.0


def test_a_method_without_turnover_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ConfigError, match="no turnover"):
        turnover(con, LAST, method("2019-04").turnover)


def test_a_table_keyed_by_provnum_also_works() -> None:
    c = duckdb.connect(":memory:")
    c.execute(
        "CREATE TABLE employee_hours (provnum VARCHAR, employee_id VARCHAR, workdate DATE,"
        " job_title_code INTEGER, pay_type_code INTEGER, hours DOUBLE, source_file VARCHAR)"
    )
    c.execute(
        "INSERT INTO employee_hours SELECT '015009', 'E1', d::DATE, 7, 1, 8, 't'"
        " FROM range($a::DATE, $a::DATE + 200, INTERVAL (1) DAY) r(d)",
        {"a": W0},
    )
    (r,) = turnover(c, LAST, method("2024-07").turnover)
    assert (r.provnum, r.rn_departures) == ("015009", 1)
    c.close()


def test_turnover_runs_on_employee_hours_loaded_by_the_pbj_xml_importer(tmp_path: Path) -> None:
    """Six synthetic quarterly submissions of one stable roster: nobody leaves."""
    from carecover.pbj.store import connect
    from carecover.pbj.submission.store import load_xml
    from carecover.pbj.submission.synth import synth_pbj_xml

    con = connect(":memory:")
    q = Quarter.parse("2023Q1")
    for i in range(6):
        path = tmp_path / f"q{i}.xml"
        synth_pbj_xml(path, facilities=1, quarter=q, employees_per_facility=12, seed=1)
        load_xml(con, path)
        q = q.next()
    (r,) = turnover(con, LAST, method("2024-07").turnover)
    con.close()
    assert r.nurse_eligible > 0
    assert (r.nurse_departures, r.total_turnover_pct) == (0, 0.0)
