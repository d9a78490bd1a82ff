"""Reading the PBJ Employee Detail public file: the daily file's rules for bad rows and headers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.employees.detail import COLUMNS, columns, read_employee_detail

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "employee_detail"


def test_it_reads_every_row_typed() -> None:
    table = read_employee_detail([FIXTURES / "two_facilities_2024Q2.csv"])
    assert table.column_names == list(COLUMNS)
    assert table.num_rows == 9
    first = table.to_pylist()[0]
    assert first == {
        "provnum": "015001",
        "quarter": "2024Q2",
        "employee_id": "RN-1",
        "workdate": date(2024, 4, 5),
        "job_title_code": 7,
        "pay_type_code": 2,
        "hours": 8.0,
    }


def test_it_reads_a_lower_case_reordered_header_and_iso_dates() -> None:
    table = read_employee_detail([FIXTURES / "long_month_drifted_header.csv"])
    assert table.num_rows == 30
    assert set(table.column("employee_id").to_pylist()) == {"AIDE-9"}


def test_the_same_rows_in_two_files_are_read_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes((FIXTURES / "two_facilities_2024Q2.csv").read_bytes())
    table = read_employee_detail([FIXTURES / "two_facilities_2024Q2.csv", copy])
    assert table.num_rows == 9


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("negative_hours.csv", 3, "hours", "not 0 to 24"),
        ("nan_hours.csv", 2, "hours", "not 0 to 24"),
        ("date_outside_quarter.csv", 2, "workdate", "not in 2024Q2"),
        ("unknown_job_code.csv", 3, "job_title_code", "not a PBJ code"),
    ],
)
def test_a_bad_row_is_refused_with_its_file_line_and_field(
    name: str, line: int, field: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_employee_detail([FIXTURES / name])
    error = caught.value
    assert (error.file, error.line, error.field) == (str(FIXTURES / name), line, field)
    assert words in error.reason


def test_a_file_without_an_employee_id_column_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="no employee_id column"):
        read_employee_detail([FIXTURES / "no_employee_column.csv"])


def test_utf16_text_is_refused_with_the_daily_files_message() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        read_employee_detail([FIXTURES / "utf16.csv"])


def test_every_unconfirmed_column_name_says_so_in_the_data() -> None:
    confidence = {c.field: c.confidence for c in columns()}
    assert set(confidence) == set(COLUMNS)
    assert confidence["employee_id"] == "UNCONFIRMED"
