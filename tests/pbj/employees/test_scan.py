"""Reading Employee Detail files with DuckDB: encodings, lines of bad rows, broken CSV, repeats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from carecover.errors import InputError
from carecover.pbj.employees.detail import checked_files, read_employee_detail
from carecover.pbj.employees.scan import line_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "employee_detail"
HEADER = "PROVNUM,CY_Qtr,SYS_EMPLYEE_ID,WorkDate,JOB_TITLE_CD,PAY_TYPE_CD,HRS_WRKD\n"


def _file(tmp_path: Path, body: str, name: str = "ed.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8", newline="")
    return path


def _refusal(*paths: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_employee_detail(list(paths))
    return caught.value


def test_it_reads_a_windows_1252_file_through_a_utf8_copy() -> None:
    table = read_employee_detail([FIXTURES / "cp1252_names.csv"])
    assert table.column("employee_id").to_pylist() == ["RN-1", "RN-2"]
    assert table.column("hours").to_pylist() == [8.0, 12.0]


def test_a_windows_1252_byte_far_into_a_utf8_looking_file_is_read_as_windows_1252(
    tmp_path: Path,
) -> None:
    # The first 64 KB are plain ASCII (sniffed as UTF-8); DuckDB meets the
    # 0x92 in a field it reads and the file is copied to UTF-8 and read again.
    body = "".join(f"015001,2024Q2,RN-{i},20240405,7,2,8\n" for i in range(3000))
    path = tmp_path / "late.csv"
    path.write_bytes((HEADER + body).encode() + b"015001,2024Q2,RN\x92X,20240405,7,2,8\n")
    error = _refusal(path)
    assert (error.line, error.field) == (3002, "employee_id")
    assert "'RN\u2019X' is not a PBJ employee id" in error.reason


def test_a_byte_neither_utf8_nor_windows_1252_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"015001,2024Q2,RN\x81,20240405,7,2,8\n")
    error = _refusal(path)
    assert error.line == 2
    assert "cannot decode byte 0x81" in error.reason


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "two_facilities_2024Q2.csv").read_bytes())
    assert read_employee_detail([path]).num_rows == 9


def test_a_quoted_line_break_before_a_bad_row_still_names_the_row_s_first_line() -> None:
    error = _refusal(FIXTURES / "quoted_line_breaks_then_bad_hours.csv")
    assert (error.line, error.field) == (5, "hours")
    assert error.reason == "'25' hours is not 0 to 24 in a day; nothing was read from this file"


def test_blank_lines_before_a_bad_row_still_name_its_line() -> None:
    error = _refusal(FIXTURES / "blank_lines_then_bad_date.csv")
    assert (error.line, error.field) == (6, "workdate")
    assert "'2024-4-7' is not a date like 20240401" in error.reason


def test_an_unterminated_quote_is_named_at_the_line_that_opens_it() -> None:
    error = _refusal(FIXTURES / "unterminated_quote.csv")
    assert error.line == 3
    assert "unterminated or stray quote" in error.reason


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("015001,2024Q2,RN-1,20240405,7,2,8\n015001,2024Q2,RN-1,20240406,7,2\n", 3, "fewer"),
        ("015001,2024Q2,RN-1,20240405,7,2,8,9\n", 2, "more"),
        ("015001,2024Q2,RN-1,20240405,7,2,8\n   \n", 3, "1 blank field(s)"),
        ("015001,2024Q2,RN-1,20240405,7,2,8\n,,\n", 3, "3 blank field(s)"),
        ('015001,2024Q2,RN-1,20240405,7,2,8\n""\n', 3, "1 blank field(s)"),
    ],
)
def test_a_row_of_another_width_is_refused_with_its_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    error = _refusal(_file(tmp_path, body))
    assert error.line == line
    assert words in error.reason
    assert "othing was" in error.reason


def test_a_nul_byte_in_a_bad_row_is_named(tmp_path: Path) -> None:
    error = _refusal(_file(tmp_path, "015001,2024Q2,RN-1,20240405,7,2,8\x00\n"))
    assert error.line == 2


def test_the_first_bad_row_in_file_order_is_the_one_named(tmp_path: Path) -> None:
    rows = [f"015001,2024Q2,RN-{i},20240405,7,2,8\n" for i in range(5000)]
    rows[1234] = "015001,2024Q2,RN-x,20240405,7,2,-1\n"
    rows[4321] = "01500,2024Q2,RN-y,20240405,7,2,8\n"
    error = _refusal(_file(tmp_path, "".join(rows)))
    assert (error.line, error.field) == (1236, "hours")


def test_the_first_bad_file_is_named_and_later_files_are_not_read(tmp_path: Path) -> None:
    bad = _file(tmp_path, "015001,2024Q2,RN-1,20240405,7,2,-1\n", "bad.csv")
    worse = tmp_path / "worse.csv"
    worse.write_text("not,an,employee,file\n", encoding="utf-8")
    assert _refusal(bad, worse).file == str(bad)


def test_a_repeated_employee_day_job_and_pay_type_keeps_the_later_row_of_a_file(
    tmp_path: Path,
) -> None:
    path = _file(
        tmp_path,
        "015001,2024Q2,RN-1,20240405,7,2,8\n"
        "015001,2024q2,RN-1,2024-04-05,07,2,6\n"  # the same key, spelled otherwise
        "015001,2024Q2,RN-1,20240405,7,3,4\n",  # another pay type: another row
    )
    rows = read_employee_detail([path]).to_pylist()
    assert [(r["pay_type_code"], r["hours"]) for r in rows] == [(2, 6.0), (3, 4.0)]


def test_a_row_in_two_files_keeps_the_last_file_s_hours(tmp_path: Path) -> None:
    first = _file(tmp_path, "015001,2024Q2,RN-1,20240405,7,2,8\n", "first.csv")
    later = _file(tmp_path, "015001,2024Q2,RN-1,20240405,7,2,7.5\n", "later.csv")
    assert read_employee_detail([first, later]).column("hours").to_pylist() == [7.5]
    assert read_employee_detail([later, first]).column("hours").to_pylist() == [8.0]


def test_a_header_only_file_gives_no_rows(tmp_path: Path) -> None:
    table = read_employee_detail([_file(tmp_path, "")])
    assert table.num_rows == 0
    assert table.schema == read_employee_detail([]).schema


def test_the_checked_files_give_their_facility_quarters_and_leave_no_view_behind() -> None:
    con = duckdb.connect()
    with checked_files(con, [FIXTURES / "two_facilities_2024Q2.csv"]) as checked:
        assert checked.facility_quarters == (("015001", "2024Q2"), ("015002", "2024Q2"))
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchall()
    assert views == [(0,)]


def test_it_reads_typed_values_from_padded_and_alternative_spellings(tmp_path: Path) -> None:
    path = _file(tmp_path, ' 015001 ,cy_2024 q2,"RN-1\t",2024-04-05,07, 3 ,".5"\n')
    assert read_employee_detail([path]).to_pylist() == [
        {
            "provnum": "015001",
            "quarter": "2024Q2",
            "employee_id": "RN-1",
            "workdate": date(2024, 4, 5),
            "job_title_code": 7,
            "pay_type_code": 3,
            "hours": 0.5,
        }
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("a\r\nb\r\n", 2), ("a\rb\r", 2), ("\n\n", 2)],
)
def test_lines_are_counted_as_python_s_universal_newlines_count_them(
    tmp_path: Path, text: str, lines: int
) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes(text.encode())
    assert line_count(path) == lines
    assert line_count(path) == len(text.splitlines())
