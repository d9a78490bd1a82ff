"""Loading PBJ submission XML into the staffing store: atomic, idempotent, replace vs merge."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.store import connect
from carecover.pbj.submission.records import HourEntry
from carecover.pbj.submission.store import SubmissionRejectedError, load_xml
from carecover.pbj.submission.synth import synth_pbj_xml
from carecover.pbj.submission.validation import validate_submission
from carecover.pbj.submission.writer import EmployeeRecord, SubmissionHeader, write_submission

XML = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "xml"
Q3 = Quarter.parse("2026Q3")


@pytest.fixture
def con() -> Any:
    connection = connect(":memory:")
    yield connection
    connection.close()


def rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def hours_by_employee_day(con: Any) -> dict[tuple[str, str], float]:
    found = rows(
        con,
        "SELECT employee_id, strftime(workdate, '%m-%d'), sum(hours) FROM employee_hours "
        "GROUP BY ALL ORDER BY ALL",
    )
    return {(e, d): h for e, d, h in found}


def submission(
    path: Path,
    entries: list[tuple[str, str, str]],
    *,
    process_type: str = "merge",
    facility: str = "FAC1",
    quarter: Quarter = Q3,
    hire: date | None = None,
) -> Path:
    """A small 4.10.0 file: entries are (employee, MM-DD in 2026, hours), job 7, pay 2."""
    header = SubmissionHeader(facility, "OH", quarter, process_type=process_type)
    typed = [
        HourEntry(e, date.fromisoformat(f"2026-{d}"), 7, 2, Decimal(h))
        for e, d, h in sorted(entries)
    ]
    employees = [EmployeeRecord(e, hire) for e in sorted({e for e, _, _ in entries})]
    write_submission(path, header, employees, typed, validate=True)
    return path


def snapshot(con: Any) -> list[Any]:
    return [
        rows(con, f"SELECT * FROM {t} ORDER BY ALL")
        for t in ("employee_hours", "employees", "loaded_files")
    ]


def test_it_loads_every_hour_entry_of_an_accepted_submission(con: Any) -> None:
    result = load_xml(con, XML / "valid.xml")
    assert (result.rows_loaded, result.employees, result.skipped) == (5, 2, False)
    assert result.documents == ("NY NY0001 2026Q2 merge",)
    assert rows(con, "SELECT sum(hours), count(DISTINCT employee_id) FROM employee_hours") == [
        (54.25, 2)
    ]
    assert rows(con, "SELECT DISTINCT state, facility_id, quarter FROM employee_hours") == [
        ("NY", "NY0001", "2026Q2")
    ]
    assert rows(con, "SELECT employee_id, hire_date FROM employees ORDER BY 1") == [
        ("CNA 002", date(2025, 11, 3)),
        ("RN-001", date(2020, 1, 15)),
    ]


def test_loading_the_same_xml_twice_changes_nothing(con: Any) -> None:
    load_xml(con, XML / "valid.xml")
    before = snapshot(con)
    again = load_xml(con, XML / "valid.xml")
    assert again.skipped
    assert snapshot(con) == before


def test_a_rejected_submission_loads_nothing_and_leaves_the_store_as_it_was(con: Any) -> None:
    load_xml(con, XML / "valid.xml")
    before = snapshot(con)
    with pytest.raises(SubmissionRejectedError) as caught:
        load_xml(con, XML / "hours_day_over_limit.xml")
    error = caught.value
    assert (error.file, error.line, error.field) == (
        str(XML / "hours_day_over_limit.xml"),
        26,
        "hours",
    )
    assert "[-4025]" in str(error)
    assert "nothing loaded" in str(error)
    assert snapshot(con) == before


@pytest.mark.parametrize("name", ["truncated.xml", "billion_laughs.xml", "hours_negative.xml"])
def test_bad_xml_is_refused_with_its_place_and_nothing_is_kept(con: Any, name: str) -> None:
    with pytest.raises(InputError) as caught:
        load_xml(con, XML / name)
    assert str(XML / name) in str(caught.value)
    assert snapshot(con) == [[], [], []]


def test_a_replace_submission_replaces_that_facility_quarter_only(con: Any, tmp_path: Path) -> None:
    load_xml(con, submission(tmp_path / "a.xml", [("E1", "07-01", "8"), ("E2", "07-02", "6")]))
    other = submission(tmp_path / "b.xml", [("E9", "07-01", "5")], facility="FAC2")
    load_xml(con, other)
    replaced = load_xml(
        con, submission(tmp_path / "c.xml", [("E1", "07-03", "7")], process_type="replace")
    )
    assert replaced.rows_removed == 2
    assert hours_by_employee_day(con) == {("E1", "07-03"): 7.0, ("E9", "07-01"): 5.0}


def test_a_merge_overrides_only_the_employee_days_it_carries(con: Any, tmp_path: Path) -> None:
    load_xml(con, submission(tmp_path / "a.xml", [("E1", "07-01", "8"), ("E1", "07-02", "8")]))
    merged = load_xml(
        con, submission(tmp_path / "b.xml", [("E1", "07-02", "4.5"), ("E2", "07-02", "6")])
    )
    assert (merged.rows_loaded, merged.rows_removed) == (2, 1)
    assert hours_by_employee_day(con) == {
        ("E1", "07-01"): 8.0,
        ("E1", "07-02"): 4.5,
        ("E2", "07-02"): 6.0,
    }


def test_a_replace_with_an_empty_section_empties_the_facility_quarter(con: Any) -> None:
    load_xml(con, XML / "valid.xml")  # NY0001 2026Q2
    result = load_xml(con, XML / "replace_empty.xml")  # NY0001 2026Q2, replace, no staffHours
    assert (result.rows_loaded, result.rows_removed) == (0, 5)
    assert rows(con, "SELECT count(*) FROM employee_hours") == [(0,)]


def test_work_days_outside_the_quarter_are_not_loaded(con: Any) -> None:
    result = load_xml(con, XML / "date_outside_quarter.xml")
    assert result.outside_quarter >= 1
    assert rows(
        con,
        "SELECT count(*) FROM employee_hours WHERE workdate NOT BETWEEN "
        "DATE '2026-04-01' AND DATE '2026-06-30'",
    ) == [(0,)]


def test_a_later_file_without_a_hire_date_keeps_the_known_one(con: Any, tmp_path: Path) -> None:
    load_xml(con, submission(tmp_path / "a.xml", [("E1", "07-01", "8")], hire=date(2020, 5, 1)))
    load_xml(con, submission(tmp_path / "b.xml", [("E1", "07-02", "8")]))
    assert rows(con, "SELECT employee_id, hire_date FROM employees") == [("E1", date(2020, 5, 1))]


def test_a_zip_of_two_facilities_loads_both(con: Any, tmp_path: Path) -> None:
    a = submission(tmp_path / "a.xml", [("E1", "07-01", "8")])
    b = submission(tmp_path / "b.xml", [("E2", "07-01", "6")], facility="FAC2")
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(a, "a.xml")
        archive.write(b, "b.xml")
    result = load_xml(con, upload)
    assert result.rows_loaded == 2
    assert rows(con, "SELECT facility_id FROM employee_hours ORDER BY 1") == [("FAC1",), ("FAC2",)]
    assert rows(con, "SELECT kind, rows_loaded FROM loaded_files") == [("pbj_xml", 2)]


def test_small_batches_load_the_same_totals_as_the_validator_counts(
    con: Any, tmp_path: Path
) -> None:
    path = tmp_path / "syn.xml"
    [written] = synth_pbj_xml(path, facilities=1, quarter=Q3, employees_per_facility=4, seed=3)
    expected = validate_submission(path, submitted_on=date(2026, 11, 1)).files[0]
    seen: list[tuple[int, int]] = []
    result = load_xml(
        con,
        path,
        submitted_on=date(2026, 11, 1),
        batch_size=7,
        on_records=lambda read, n: seen.append((read, n)),
    )
    assert result.rows_loaded == written.hour_entries
    ((total,),) = rows(con, "SELECT round(sum(hours), 2) FROM employee_hours")
    assert total == pytest.approx(sum(expected.hours_by_job_title.values()))
    assert len(seen) >= 4  # a batch at least per employee block
    assert seen == sorted(seen)
    assert seen[-1] == (path.stat().st_size, written.hour_entries)


def test_an_empty_employee_hours_table_of_the_first_release_is_replaced(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    old.execute(
        "CREATE TABLE employee_hours (provnum VARCHAR NOT NULL, employee_id VARCHAR NOT NULL, "
        "workdate DATE NOT NULL, job_title_code INTEGER NOT NULL, pay_type_code INTEGER NOT NULL, "
        "hours DOUBLE NOT NULL, source_file VARCHAR NOT NULL)"
    )
    old.close()
    con = connect(db)
    try:
        assert load_xml(con, XML / "valid.xml").rows_loaded == 5
    finally:
        con.close()


def test_a_zip_merging_then_replacing_one_facility_quarter_reports_what_the_store_holds(
    con: Any, tmp_path: Path
) -> None:
    # Issue 12 §2: it said "10 loaded, 5 replaced" while the store held 5.
    days = [("E1", f"07-0{d}", "8") for d in range(1, 6)]
    merge = submission(tmp_path / "merge.xml", days)
    replace = submission(tmp_path / "replace.xml", days, process_type="replace")
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(merge, "a_merge.xml")
        archive.write(replace, "b_replace.xml")
    result = load_xml(con, upload)
    assert rows(con, "SELECT count(*) FROM employee_hours") == [(5,)]
    assert (result.rows_loaded, result.rows_removed, result.employees) == (5, 0, 1)
    assert rows(con, "SELECT rows_loaded FROM loaded_files") == [(5,)]


def test_a_replace_in_a_zip_counts_only_entries_stored_before_as_replaced(
    con: Any, tmp_path: Path
) -> None:
    load_xml(con, submission(tmp_path / "first.xml", [("E1", "07-01", "8"), ("E2", "07-01", "8")]))
    merge = submission(tmp_path / "merge.xml", [("E3", "07-02", "8")])
    replace = submission(tmp_path / "replace.xml", [("E4", "07-03", "6")], process_type="replace")
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(merge, "a_merge.xml")
        archive.write(replace, "b_replace.xml")
    result = load_xml(con, upload)
    assert rows(con, "SELECT employee_id FROM employee_hours") == [("E4",)]
    assert (result.rows_loaded, result.rows_removed) == (1, 2)
