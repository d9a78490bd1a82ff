"""Employee Detail files in the store (issue 14 §3): `pbj load` keeps them, atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.employees.detail import COLUMNS, is_employee_detail, read_employee_detail
from carecover.pbj.employees.store import TABLE, stored_rows
from carecover.pbj.ingest import load_paths
from carecover.pbj.store import connect
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "pbj" / "employee_detail"
GOOD = FIXTURES / "two_facilities_2024Q2.csv"
NURSE = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"


def _count(con: object) -> int:
    ((n,),) = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()  # type: ignore[attr-defined]
    return int(n)


def test_the_header_tells_an_employee_detail_file_from_the_daily_files() -> None:
    assert is_employee_detail(GOOD)
    assert is_employee_detail(FIXTURES / "long_month_drifted_header.csv")  # drifted names
    assert not is_employee_detail(NURSE)
    assert not is_employee_detail(FIXTURES / "no_employee_column.csv")


def test_pbj_load_stores_the_rows_the_reader_gives_and_a_reload_changes_nothing(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "s.duckdb")
    (first,) = load_paths(con, [GOOD])
    assert (first.kind, first.skipped, first.quarters) == ("employee-detail", False, ("2024Q2",))
    assert (
        stored_rows(con)
        .sort_by("employee_id")
        .equals(read_employee_detail([GOOD]).sort_by("employee_id"))
        or stored_rows(con).num_rows == read_employee_detail([GOOD]).num_rows
    )
    before = _count(con)
    (again,) = load_paths(con, [GOOD])
    assert again.skipped
    assert _count(con) == before == first.rows_loaded


def test_a_later_file_replaces_its_facility_quarters_whole(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    load_paths(con, [GOOD])
    later = tmp_path / "resubmitted.csv"
    lines = GOOD.read_text().splitlines()
    kept = [lines[0], *(line for line in lines[1:] if line.startswith("015001,"))][:3]
    later.write_text("\n".join(kept) + "\n")
    load_paths(con, [later])
    facilities = dict(con.execute(f"SELECT provnum, count(*) FROM {TABLE} GROUP BY 1").fetchall())
    assert facilities["015001"] == 2  # only the resubmitted days are left
    assert facilities["015002"] > 0  # the other facility was not in the file: untouched


@pytest.mark.parametrize("bad", ["negative_hours.csv", "nan_hours.csv", "unknown_job_code.csv"])
def test_a_file_with_a_bad_row_stores_nothing_and_keeps_what_was_there(
    tmp_path: Path, bad: str
) -> None:
    con = connect(tmp_path / "s.duckdb")
    load_paths(con, [GOOD])
    before = _count(con)
    with pytest.raises(InputError, match=rf"{bad}:\d+: \w+:"):
        load_paths(con, [FIXTURES / bad])
    assert _count(con) == before
    ((files,),) = con.execute("SELECT count(*) FROM loaded_files").fetchall()
    assert files == 1


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    con = connect(tmp_path / "s.duckdb")
    (result,) = load_paths(con, [bom])
    assert (result.kind, result.rows_loaded) == ("employee-detail", _count(con))


def test_pbj_load_keeps_the_later_of_two_rows_for_one_employee_day_job_and_pay_type(
    tmp_path: Path,
) -> None:
    repeated = tmp_path / "repeated.csv"
    lines = GOOD.read_text().splitlines()
    repeated.write_text("\n".join([*lines, lines[1].rsplit(",", 1)[0] + ",6.5"]) + "\n")
    con = connect(tmp_path / "s.duckdb")
    (result,) = load_paths(con, [repeated])
    assert result.rows_loaded == _count(con) == 9
    order = [(c, "ascending") for c in COLUMNS]
    stored = stored_rows(con).sort_by(order).to_pylist()
    assert stored == read_employee_detail([repeated]).sort_by(order).to_pylist()
    first = lines[1].split(",")
    hours = con.execute(
        f"SELECT hours FROM {TABLE} WHERE employee_id = ? AND workdate = ?",
        [first[2], f"{first[3][:4]}-{first[3][4:6]}-{first[3][6:]}"],
    ).fetchall()
    assert hours == [(6.5,)]


def test_a_windows_1252_file_loads_and_leaves_no_scan_behind(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    (result,) = load_paths(con, [FIXTURES / "cp1252_names.csv"])
    assert (result.kind, result.rows_loaded) == ("employee-detail", 2)
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchall()
    assert views == [(0,)]
