"""Loading CMS public-use files into the DuckDB store: every public-file trap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.columns import FileKind, hour_columns, normalise_header
from carecover.pbj.publicfile.loading import load_file, load_files
from carecover.pbj.store import connect

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"


@pytest.fixture
def con() -> Any:
    connection = connect(":memory:")
    yield connection
    connection.close()


def rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def count(con: Any, table: str = "daily_nurse_staffing") -> int:
    return int(rows(con, f"SELECT count(*) FROM {table}")[0][0])


def test_it_loads_the_real_one_facility_quarter(con: Any, shared: Path) -> None:
    result = load_file(con, shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv")
    assert (result.rows_loaded, result.quarters, result.skipped) == (91, ("2024Q2",), False)
    assert rows(con, "SELECT DISTINCT provnum FROM daily_nurse_staffing") == [("015009",)]


def test_it_loads_34_quarters_ignoring_the_empty_trailing_duplicate_column(
    con: Any, shared: Path
) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    result = load_file(con, path)
    assert len(result.quarters) == 34
    assert "2018Q1" not in result.quarters
    assert count(con) == 3105


def test_loading_the_same_file_twice_changes_nothing(con: Any) -> None:
    first = load_file(con, FIXTURES / "nurse_2024Q2_plain.csv")
    second = load_file(con, FIXTURES / "nurse_2024Q2_plain.csv")
    assert first.rows_loaded == 7
    assert second.skipped
    assert count(con) == 7
    assert count(con, "loaded_files") == 1


def test_it_keeps_leading_zeros_and_reads_cp1252_names(con: Any) -> None:
    load_file(con, FIXTURES / "cp1252_name.csv")
    assert rows(con, "SELECT provnum, provname FROM daily_nurse_staffing ORDER BY workdate")[0] == (
        "015002",
        "ST. MARY\u2019S HOME \u2013 EAST",
    )


def test_it_reads_utf8_with_a_byte_order_mark(con: Any) -> None:
    load_file(con, FIXTURES / "utf8_bom.csv")
    assert rows(con, "SELECT provnum, provname FROM daily_nurse_staffing") == [
        ("015003", "CAF\u00c9 HOME")
    ]


def test_it_normalises_lower_case_2017_headers_and_old_spellings(con: Any) -> None:
    load_file(con, FIXTURES / "lowercase_2017Q1.csv")
    assert rows(con, "SELECT hrs_rndon FROM daily_nurse_staffing ORDER BY workdate")[0] == (8.0,)
    assert count(con) == 3


def test_it_takes_the_first_non_empty_of_two_don_spellings(con: Any) -> None:
    load_file(con, FIXTURES / "both_don_2017Q2.csv")
    assert rows(con, "SELECT hrs_rndon FROM daily_nurse_staffing ORDER BY workdate") == [
        (7.5,),
        (0.0,),
    ]


def test_it_ignores_the_2021q4_incomplete_column(con: Any) -> None:
    assert load_file(con, FIXTURES / "incomplete_2021Q4.csv").rows_loaded == 2


def test_it_reads_iso_work_dates(con: Any) -> None:
    load_file(con, FIXTURES / "iso_workdate.csv")
    assert str(rows(con, "SELECT workdate FROM daily_nurse_staffing")[0][0]) == "2024-04-01"


def test_it_takes_the_quarter_from_cy_qtr_not_the_file_name(con: Any) -> None:
    result = load_file(con, FIXTURES / "PBJ_Daily_Nurse_Staffing_CY_2020Q1.csv")
    assert result.quarters == ("2020Q3",)


def test_it_accepts_ccns_with_letters(con: Any) -> None:
    load_file(con, FIXTURES / "letter_ccn.csv")
    assert rows(con, "SELECT DISTINCT provnum FROM daily_nurse_staffing") == [("05A123",)]


def test_it_loads_a_non_nurse_file_into_its_own_table(con: Any) -> None:
    result = load_file(con, FIXTURES / "nonnurse_2024Q2.csv")
    assert result.kind == "non-nurse"
    assert rows(con, "SELECT hrs_admin, hrs_pt FROM daily_non_nurse_staffing") == [(8.0, 6.0)]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("float_ccn.csv", r"float_ccn.csv:3: PROVNUM: float-mangled CCN 15009.0"),
        ("negative_hours.csv", r"negative_hours.csv:3: Hrs_RN: negative hours: -3"),
        ("truncated.csv", r"truncated.csv:4: unreadable row"),
        ("utf16.csv", r"utf16.csv: not a text CSV file"),
        ("duplicate_day.csv", r"duplicate_day.csv:5: WorkDate: duplicate facility-day 015010"),
    ],
)
def test_bad_input_names_file_line_and_field_and_loads_nothing(
    con: Any, name: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load_file(con, FIXTURES / name)
    assert count(con) == 0
    assert count(con, "loaded_files") == 0
    assert count(con, "quarantine") == 0


def test_a_failing_file_leaves_earlier_files_loaded(con: Any) -> None:
    with pytest.raises(InputError):
        load_files(con, [FIXTURES / "nurse_2024Q2_plain.csv", FIXTURES / "negative_hours.csv"])
    assert count(con) == 7


def test_quarantine_mode_keeps_bad_rows_with_reason_and_raw_text(con: Any) -> None:
    result = load_file(con, FIXTURES / "negative_hours.csv", quarantine=True)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    [(line, reason, raw)] = rows(con, "SELECT line, reason, raw FROM quarantine")
    assert line == 3
    assert reason == "Hrs_RN: negative hours: -3"
    assert raw.startswith("015008,")


def test_the_careful_loader_types_text_as_the_spark_reader_does(con: Any, tmp_path: Path) -> None:
    # The negative row sends the file to the careful loader, whose fields the
    # shared text reader types (``text.read``): ``1_000`` and ``2024-4-4``,
    # which DuckDB's own parsers read, are not a number and not a date.
    lines = (FIXTURES / "negative_hours.csv").read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace(",24,24,0,", ",1_000,24,0,", 1)
    lines.append(lines[1].replace(",20240401,", ",2024-4-4,"))
    bad = tmp_path / "careful.csv"
    bad.write_text("".join(lines))
    result = load_file(con, bad, quarantine=True)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 3)
    found = rows(con, "SELECT line, reason FROM quarantine ORDER BY line")
    assert found == [
        (3, "Hrs_RN: negative hours: -3"),
        (4, "Hrs_RN: not a number: 1_000"),
        (5, "WorkDate: not a date (YYYYMMDD or YYYY-MM-DD): 2024-4-4"),
    ]


def test_quarantine_mode_keeps_a_truncated_last_line(con: Any) -> None:
    result = load_file(con, FIXTURES / "truncated.csv", quarantine=True)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)


def test_duplicate_facility_days_stop_the_file_even_in_quarantine_mode(con: Any) -> None:
    with pytest.raises(InputError, match="duplicate facility-day"):
        load_file(con, FIXTURES / "duplicate_day.csv", quarantine=True)
    assert count(con) == 0


def test_it_reports_progress_in_bytes(con: Any) -> None:
    seen: list[tuple[int, int]] = []
    files = [FIXTURES / "nurse_2024Q2_plain.csv", FIXTURES / "iso_workdate.csv"]
    load_files(con, files, progress=lambda done, total: seen.append((done, total)))
    total = sum(f.stat().st_size for f in files)
    assert seen == [(files[0].stat().st_size, total), (total, total)]


def test_the_store_file_is_created_with_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "staffing.duckdb"
    con = connect(path)
    load_file(con, FIXTURES / "nurse_2024Q2_plain.csv")
    con.close()
    again = connect(path)
    assert count(again) == 7
    assert rows(again, "SELECT count(*) FROM employee_hours") == [(0,)]
    again.close()


def test_a_file_without_the_nurse_totals_is_rejected_naming_the_column(
    con: Any, tmp_path: Path
) -> None:
    text = (FIXTURES / "nurse_2024Q2_plain.csv").read_text()
    bad = tmp_path / "no_cna.csv"
    bad.write_text(text.replace("Hrs_CNA,", "Hrs_XYZ,", 1))
    with pytest.raises(InputError, match=r"no_cna.csv:1: hrs_cna: missing required column"):
        load_file(con, bad)


def test_a_work_date_outside_its_cy_qtr_is_refused(con: Any, tmp_path: Path) -> None:
    text = (FIXTURES / "nurse_2024Q2_plain.csv").read_text()
    bad = tmp_path / "wrong_q.csv"
    bad.write_text(text.replace("20240403", "20240703"))
    with pytest.raises(InputError, match=r"wrong_q.csv:4: WorkDate: 2024-07-03 is outside CY_Qtr"):
        load_file(con, bad)


def test_a_file_that_is_not_pbj_is_refused(con: Any, tmp_path: Path) -> None:
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not a PBJ Daily Nurse or Non-Nurse"):
        load_file(con, bad)


def test_the_caller_hears_about_each_committed_file_before_a_later_failure(con: Any) -> None:
    heard: list[str] = []
    with pytest.raises(InputError):
        load_files(
            con,
            [FIXTURES / "nurse_2024Q2_plain.csv", FIXTURES / "float_ccn.csv"],
            on_loaded=lambda r: heard.append(Path(r.file).name),
        )
    assert heard == ["nurse_2024Q2_plain.csv"]


CMS_HEADER = ["PROVNUM", "CY_Qtr", "WorkDate", "MDScensus"] + [
    f"Hrs_{s}{x}"
    for s in ["RNDON", "RNadmin", "RN", "LPNadmin", "LPN", "CNA", "NAtrn", "MedAide"]
    for x in ("", "_emp", "_ctr")
]


@given(st.lists(st.booleans(), min_size=len(CMS_HEADER), max_size=len(CMS_HEADER)))
def test_header_case_never_matters(upper: list[bool]) -> None:
    names = [n.upper() if u else n.lower() for n, u in zip(CMS_HEADER, upper, strict=True)]
    header = normalise_header(names)
    assert header.kind is FileKind.NURSE
    assert set(hour_columns(FileKind.NURSE)) <= set(header.sources)


def test_old_spellings_bom_and_pandas_duplicates_map_to_the_current_names() -> None:
    names = ["\ufeffprovnum", "cy_qtr", "workdate", "mdscensus", "hrs_rn_donadmin_emp"]
    names += ["hrs_lpn_admin", "hrs_na_trn_ctr", "Hrs_RNDON.1", "", *CMS_HEADER[4:]]
    header = normalise_header(names)
    assert header.sources["provnum"] == (0,)
    assert 4 in header.sources["hrs_rndon_emp"]
    assert header.sources["hrs_rndon"] == (7, 9)
    assert 5 in header.sources["hrs_lpnadmin"]
    assert 6 in header.sources["hrs_natrn_ctr"]
    assert header.ignored == ()


def test_the_fast_scan_reads_cp1252_names_through_a_utf8_copy(con: Any, tmp_path: Path) -> None:
    from carecover.pbj.publicfile.scan import scan_view, view_problems

    header = scan_view(con, FIXTURES / "cp1252_name.csv", "v", tmp_path)
    assert header.kind is FileKind.NURSE
    assert view_problems(con, "v", FileKind.NURSE) == 0
    names = {r[0] for r in rows(con, "SELECT provname FROM v")}
    assert "ST. MARY\u2019S HOME \u2013 EAST" in names


def test_the_fast_scan_counts_rule_breaking_rows(con: Any, tmp_path: Path) -> None:
    from carecover.pbj.publicfile.scan import scan_view, view_problems

    for name, expected in [
        ("negative_hours.csv", 1),
        ("duplicate_day.csv", 1),
        ("letter_ccn.csv", 0),
    ]:
        scan_view(con, FIXTURES / name, "v", tmp_path)
        assert view_problems(con, "v", FileKind.NURSE) == expected, name


def test_a_byte_that_is_neither_utf8_nor_cp1252_is_named_by_line(con: Any, tmp_path: Path) -> None:
    data = (FIXTURES / "nurse_2024Q2_plain.csv").read_bytes()
    bad = tmp_path / "bad_byte.csv"
    bad.write_bytes(data.replace(b"TEST NURSING", b"TEST \x81NURSING", 3))
    with pytest.raises(InputError, match=r"bad_byte.csv:2: cannot decode byte 0x81"):
        load_file(con, bad)
    assert count(con) == 0


def test_windows_line_endings_and_blank_lines_load(con: Any, tmp_path: Path) -> None:
    text = (FIXTURES / "nurse_2024Q2_plain.csv").read_text()
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(text.replace("\n015001", "\n\n015001", 1).replace("\n", "\r\n").encode())
    assert load_file(con, crlf).rows_loaded == 7


def test_an_empty_cy_qtr_is_refused_by_line_not_a_constraint_error(
    con: Any, tmp_path: Path
) -> None:
    # Found by tests/test_fuzz_inputs.py: the fast scan let a NULL quarter through.
    lines = (FIXTURES / "nurse_2024Q2_plain.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",2024Q2,", ",,")
    path = tmp_path / "no_quarter.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"no_quarter.csv:2: CY_Qtr: not a quarter"):
        load_file(con, path)
    assert count(con) == 0
