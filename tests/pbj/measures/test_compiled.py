"""The quarterly measures run as compiled SQL: same numbers as Ibis, one pass, careful fallback."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.ingest import load_files
from carecover.pbj.measures.compiled import (
    SOURCE,
    SUMMARY,
    quarterly_rows,
    quarterly_sql,
    quarterly_table,
    quarterly_text,
)
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.measures.text import aligned_table
from carecover.pbj.store import connect
from tests.engines.fresh_cli import run_cli

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
MANY = "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
HOURS = [
    f"{stem}{suffix}"
    for stem in (
        *("hrs_rndon", "hrs_rnadmin", "hrs_rn", "hrs_lpnadmin", "hrs_lpn"),
        *("hrs_cna", "hrs_natrn", "hrs_medaide"),
    )
    for suffix in ("", "_emp", "_ctr")
]


@pytest.fixture(autouse=True, scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One compiled-SQL cache for this module, away from the user's."""
    path = tmp_path_factory.mktemp("sql-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARECOVER_CACHE_DIR", str(path))
        yield path


@pytest.mark.parametrize(
    "names",
    [
        ["nurse_2024Q2_plain.csv"],
        ["cp1252_name.csv"],
        ["utf8_bom.csv"],
        ["lowercase_2017Q1.csv"],
        ["iso_workdate.csv"],
        ["both_don_2017Q2.csv"],
        ["incomplete_2021Q4.csv"],
        ["letter_ccn.csv"],
        ["rn_coverage.csv"],
        ["lowercase_2017Q1.csv", "cp1252_name.csv", "nonnurse_2024Q2.csv"],
    ],
)
def test_it_gives_the_same_rows_as_the_ibis_measures(names: list[str]) -> None:
    paths = [FIXTURES / n for n in names]
    assert quarterly_rows(paths) == to_rows(quarterly_measures(paths))


def test_it_reproduces_cms_published_values_for_facility_015009(shared: Path) -> None:
    [row] = quarterly_rows(shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv")
    assert round(row["total_hprd"], 5) == 4.29361
    assert round(row["weekend_rn_hprd"], 5) == 0.76957


def test_it_filters_the_34_quarter_file_like_the_ibis_measures(shared: Path) -> None:
    path = shared / MANY
    assert quarterly_rows(path) == to_rows(quarterly_measures([path]))
    for kw in ({"quarter": "2024Q2"}, {"facility": "335513"}, {"facility": "999999"}):
        assert quarterly_rows(path, **kw) == to_rows(quarterly_measures([path], **kw))


def test_it_reads_the_store_table_as_it_is(tmp_path: Path, shared: Path) -> None:
    db = tmp_path / "store.duckdb"
    con = connect(db)
    load_files(con, [shared / MANY])
    con.close()
    assert quarterly_rows(db, quarter="2024Q2") == to_rows(quarterly_measures(db, quarter="2024Q2"))
    assert len(quarterly_rows(db)) == 34


def test_overlapping_files_go_through_the_loader_and_count_each_day_once(tmp_path: Path) -> None:
    source = FIXTURES / "nurse_2024Q2_plain.csv"
    copy = tmp_path / "again.csv"
    copy.write_bytes(source.read_bytes())
    assert quarterly_rows([source, copy]) == quarterly_rows([source])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("negative_hours.csv", r"negative_hours.csv:\d+: .*negative hours"),
        ("duplicate_day.csv", r"duplicate_day.csv:\d+: .*duplicate facility-day"),
        ("float_ccn.csv", r"float_ccn.csv:\d+: .*float-mangled CCN"),
        ("truncated.csv", r"truncated.csv:\d+"),
        ("utf16.csv", r"utf16.csv: not a text CSV file"),
    ],
)
def test_a_file_breaking_a_loader_rule_is_named_by_file_and_line(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        quarterly_rows(FIXTURES / name)


def test_a_byte_that_is_neither_utf8_nor_cp1252_is_named_by_line(tmp_path: Path) -> None:
    data = (FIXTURES / "nurse_2024Q2_plain.csv").read_bytes()
    bad = tmp_path / "bad_byte.csv"
    bad.write_bytes(data.replace(b"TEST NURSING", b"TEST \x81NURSING", 1))
    with pytest.raises(InputError, match=r"bad_byte.csv:2: cannot decode byte 0x81"):
        quarterly_rows(bad)


def _edited(tmp_path: Path, line: int, column: str, value: str, name: str = "edited.csv") -> Path:
    """The plain fixture with one cell replaced (``line`` counts the header as 1)."""
    rows = list(csv.reader((FIXTURES / "nurse_2024Q2_plain.csv").read_text().splitlines()))
    rows[line - 1][rows[0].index(column)] = value
    path = tmp_path / name
    with path.open("w", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize("value", ["-3", " -3", "\t-0.5"])
def test_negative_employee_hours_alone_are_named_by_file_and_line(
    tmp_path: Path, value: str
) -> None:
    # The totals stay positive: only the _emp column, which no measure uses
    # but the scan checks, breaks the rule.
    path = _edited(tmp_path, 3, "Hrs_RN_emp", value)
    with pytest.raises(InputError, match=r"edited.csv:3: .*negative hours"):
        quarterly_rows(path)
    with pytest.raises(InputError, match=r"edited.csv:3: .*negative hours"):
        quarterly_text(path)


def test_a_name_starting_with_a_minus_sign_gives_the_same_measures(tmp_path: Path) -> None:
    # A minus sign at the start of a text field is not negative hours.
    path = _edited(tmp_path, 2, "PROVNAME", "-THE HOME-")
    assert quarterly_rows(path) == to_rows(quarterly_measures([path]))
    assert quarterly_rows(path) == quarterly_rows(FIXTURES / "nurse_2024Q2_plain.csv")


def _written(names: list[str], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("names", "filters"),
    [
        (["nurse_2024Q2_plain.csv"], {}),
        (["lowercase_2017Q1.csv", "cp1252_name.csv", "nonnurse_2024Q2.csv"], {}),
        (["lowercase_2017Q1.csv", "nurse_2024Q2_plain.csv"], {"quarter": "2024Q2"}),
        (["nurse_2024Q2_plain.csv"], {"facility": "015001"}),
        (["nurse_2024Q2_plain.csv"], {"facility": "999999"}),
        (["iso_workdate.csv"], {}),
        (["rn_coverage.csv"], {}),
        (["incomplete_2021Q4.csv"], {}),
    ],
)
def test_the_csv_and_table_text_are_what_python_prints_of_the_table(
    names: list[str], filters: dict[str, str]
) -> None:
    paths = [FIXTURES / n for n in names]
    table = quarterly_table(paths, as_text=True, **filters)
    assert quarterly_text(paths, **filters) == _written(*table)
    assert quarterly_text(paths, layout="table", **filters) == aligned_table(
        *table, empty="(no facility-days match)"
    )


@pytest.mark.parametrize(
    ("columns", "value", "measure"),
    [
        # 0.01 contract hours a day of 154: a share of 6.5e-05, printed with 4 places.
        (["Hrs_LPN_ctr"], "0.01", "contract_share"),
        # 0.001 RN hours a day over 40 residents: an RN HPRD of 2.5e-05, which
        # str prints with an exponent.
        (["Hrs_RN", "Hrs_RN_emp"], "0.001", "rn_hprd"),
    ],
)
def test_tiny_measures_print_in_csv_and_table_text_as_python_prints_them(
    tmp_path: Path, columns: list[str], value: str, measure: str
) -> None:
    rows = list(csv.reader((FIXTURES / "nurse_2024Q2_plain.csv").read_text().splitlines()))
    for row in rows[1:]:
        for column in columns:
            row[rows[0].index(column)] = value
    path = tmp_path / "tiny.csv"
    with path.open("w", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    table = quarterly_table(path, as_text=True)
    assert quarterly_text(path) == _written(*table)
    assert quarterly_text(path, layout="table") == aligned_table(
        *table, empty="(no facility-days match)"
    )
    expected = to_rows(quarterly_measures([path]))[0][measure]
    assert 0 < expected < 1e-4
    [line] = quarterly_text(path).splitlines()[1:]
    places = 4 if measure == "contract_share" else 5
    assert line.split(",")[table[0].index(measure)] == str(round(expected, places))


def _clean(days: list[tuple[str, date, float]]) -> list[bool]:
    """The ``_clean`` flags of the checked measures over (provnum, day, RN hours) rows."""
    con = duckdb.connect()
    columns = ", ".join(f"{c} DOUBLE" for c in HOURS)
    con.execute(
        "CREATE TABLE d (provnum VARCHAR, quarter VARCHAR, workdate DATE, mdscensus INTEGER, "
        f"{columns})"
    )
    rows = [
        (p, f"{d.year}Q{(d.month - 1) // 3 + 1}", d, 40, *[0.0] * 6, rn, *[0.0] * 17)
        for p, d, rn in days
    ]
    con.executemany(f"INSERT INTO d VALUES ({', '.join(['?'] * (4 + len(HOURS)))})", rows)
    result = con.execute(f"WITH {SOURCE} AS (SELECT * FROM d) {quarterly_sql(checked=True)}")
    return [row[-1] for row in result.fetchall()]


@settings(max_examples=40, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 90), min_size=1, max_size=40),
    start=st.sampled_from([date(2024, 1, 1), date(2024, 4, 1), date(2025, 10, 1)]),
)
def test_a_duplicated_day_is_caught_in_the_aggregate(offsets: list[int], start: date) -> None:
    days = [("015009", start + timedelta(days=o), 8.0) for o in offsets]
    assert _clean(days) == [len(set(offsets)) == len(offsets)]


def test_a_day_outside_its_quarter_or_negative_hours_fail_the_check() -> None:
    assert _clean([("015009", date(2024, 4, 1), 8.0)]) == [True]
    assert _clean([("015009", date(2024, 4, 1), -1.0)]) == [False]
    assert _clean([("01500", date(2024, 4, 1), 8.0)]) == [False]


def test_the_compiled_sql_is_cached_and_rebuilt_when_missing(cache_dir: Path) -> None:
    sql = quarterly_sql()
    [cached] = [p for p in cache_dir.iterdir() if p.read_text() == sql]
    cached.unlink()
    assert quarterly_sql() == sql
    assert cached.exists()


def test_the_cli_measures_a_file_without_importing_ibis_once_the_sql_is_cached(
    cache_dir: Path,
) -> None:
    quarterly_sql(checked=True)
    argv = ["pbj", "measures", str(FIXTURES / "nurse_2024Q2_plain.csv")]
    imported, printed = run_cli(argv, cache_dir)
    assert not imported
    assert "015001" in printed


def _stored(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {SUMMARY} ORDER BY provnum, quarter").fetchall()
    finally:
        con.close()


def test_each_load_updates_the_stored_quarterly_measures(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    source = FIXTURES / "nurse_2024Q2_plain.csv"
    con = connect(db)
    load_files(con, [source])
    con.close()
    first = _stored(db)
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))
    # CMS re-publishes the quarter with more RN hours: the same facility-days, replaced.
    republished = tmp_path / "republished.csv"
    republished.write_text(
        source.read_text(encoding="utf-8").replace(",24,24,0,", ",32,32,0,"), encoding="utf-8"
    )
    con = connect(db)
    load_files(con, [republished, FIXTURES / "lowercase_2017Q1.csv"])
    con.close()
    assert _stored(db) != first
    assert {r["quarter"] for r in quarterly_rows(db)} == {"2017Q1", "2024Q2"}
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))
    assert quarterly_rows(db, quarter="2024Q2") == to_rows(quarterly_measures(db, quarter="2024Q2"))


def test_a_failed_load_leaves_the_stored_measures_as_they_were(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    con = connect(db)
    load_files(con, [FIXTURES / "nurse_2024Q2_plain.csv"])
    con.close()
    before = _stored(db)
    con = connect(db)
    with pytest.raises(InputError):
        load_files(con, [FIXTURES / "negative_hours.csv"])
    con.close()
    assert _stored(db) == before


def test_stored_measures_from_other_code_are_recomputed_not_read(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    con = connect(db)
    load_files(con, [FIXTURES / "nurse_2024Q2_plain.csv"])
    # As if an older release (another code key) had written wrong figures.
    con.execute(f"UPDATE {SUMMARY} SET total_hprd = -1")
    con.execute("UPDATE pbj_derived SET code_key = 'older'")
    con.close()
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))
    con = connect(db)
    load_files(con, [FIXTURES / "lowercase_2017Q1.csv"])  # the next load rebuilds it whole
    con.close()
    assert -1 not in {row[12] for row in _stored(db)}
    assert quarterly_rows(db) == to_rows(quarterly_measures(db))
