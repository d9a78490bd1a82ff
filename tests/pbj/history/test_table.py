"""The national history store: loading once, resubmissions, resuming, the facility-quarter table."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.history.providers import staffing_quarter
from carecover.pbj.history.table import HISTORY_TABLE, history_table, load_history, refresh_history
from carecover.pbj.publicfile.loading import load_file
from carecover.pbj.store import connect

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
HISTORY = FIXTURES / "history"
FILES = [
    HISTORY / "nurse_2024Q1.csv",
    HISTORY / "nurse_2024Q2.csv",
    HISTORY / "NH_ProviderInfo_Oct2024.csv",
]


@pytest.fixture
def con() -> Any:
    connection = connect(":memory:")
    yield connection
    connection.close()


def one(con: Any, sql: str, params: list[Any] | None = None) -> Any:
    return con.execute(sql, params or []).fetchall()[0][0]


def test_it_loads_daily_files_and_a_provider_release_into_one_facility_quarter_table(
    con: Any,
) -> None:
    results = load_history(con, FILES)
    assert [r.kind for r in results] == ["nurse", "nurse", "provider_info"]
    assert one(con, f"SELECT count(*) FROM {HISTORY_TABLE}") == 8
    row = con.execute(
        f"SELECT chain, certified_beds, beds_band, total_turnover, rn_turnover "
        f"FROM {HISTORY_TABLE} WHERE provnum = '335001' AND quarter = '2024Q2'"
    ).fetchall()
    assert row == [("ACME CARE", 120.0, "100-149", 55.5, 40.0)]


def test_turnover_belongs_to_the_quarter_the_release_describes_only(con: Any) -> None:
    load_history(con, FILES)
    rows = con.execute(
        f"SELECT quarter, total_turnover, chain FROM {HISTORY_TABLE} "
        "WHERE provnum = '335001' ORDER BY quarter"
    ).fetchall()
    # The chain is the facility's; the turnover is the October release's, which shows 2024Q2.
    assert rows == [("2024Q1", None, "ACME CARE"), ("2024Q2", 55.5, "ACME CARE")]


@pytest.mark.parametrize(
    ("release", "quarter"),
    [
        (date(2024, 10, 1), "2024Q2"),
        (date(2024, 12, 31), "2024Q2"),
        (date(2025, 1, 1), "2024Q3"),
        (date(2025, 3, 31), "2024Q3"),
        (date(2025, 4, 1), "2024Q4"),
        (date(2025, 6, 30), "2024Q4"),
        (date(2025, 7, 1), "2025Q1"),
        (date(2025, 9, 30), "2025Q1"),
    ],
)
def test_a_release_shows_the_pbj_quarter_two_quarters_before_it(
    release: date, quarter: str
) -> None:
    assert str(staffing_quarter(release)) == quarter


@given(st.dates(min_value=date(2018, 1, 1), max_value=date(2040, 12, 31)))
def test_the_staffing_quarter_always_ends_before_the_release(release: date) -> None:
    q = staffing_quarter(release)
    assert q.end < release
    assert (release - q.end).days <= 184


def test_loading_the_same_history_twice_changes_nothing(con: Any) -> None:
    load_history(con, FILES)
    before = con.execute(f"SELECT * FROM {HISTORY_TABLE} ORDER BY ALL").fetchall()
    again = load_history(con, FILES)
    assert all(r.skipped for r in again)
    assert con.execute(f"SELECT * FROM {HISTORY_TABLE} ORDER BY ALL").fetchall() == before
    assert one(con, "SELECT count(*) FROM provider_info") == 4


def test_a_late_resubmission_replaces_the_whole_facility_quarter(con: Any) -> None:
    load_history(con, [*FILES, HISTORY / "resubmitted_2024Q1.csv"])
    days = con.execute(
        "SELECT count(*), max(hrs_rn) FROM daily_nurse_staffing "
        "WHERE provnum = '335001' AND quarter = '2024Q1'"
    ).fetchall()
    assert days == [(31, 80.0)]  # February and March of the earlier download are gone
    others = one(con, "SELECT count(*) FROM daily_nurse_staffing WHERE quarter = '2024Q1'")
    assert others == 31 + 3 * 91
    rn = one(
        con,
        f"SELECT days_reported FROM {HISTORY_TABLE} "
        "WHERE provnum = '335001' AND quarter = '2024Q1'",
    )
    assert rn == 31


def test_a_killed_load_resumes_with_the_first_file_not_committed(con: Any, tmp_path: Path) -> None:
    broken = tmp_path / "nurse_2024Q2.csv"
    text = (HISTORY / "nurse_2024Q2.csv").read_text().splitlines()
    text[5] = text[5].replace(",100,", ",lots,", 1)
    broken.write_text("\n".join(text) + "\n")
    with pytest.raises(InputError) as failure:
        load_history(con, [FILES[0], broken, FILES[2]])
    assert failure.value.line == 6
    assert one(con, "SELECT count(*) FROM loaded_files") == 1  # the first file only
    assert one(con, "SELECT count(*) FROM daily_nurse_staffing WHERE quarter = '2024Q2'") == 0
    resumed = load_history(con, FILES)
    assert [r.skipped for r in resumed] == [True, False, False]
    assert one(con, f"SELECT count(*) FROM {HISTORY_TABLE}") == 8


def test_header_drift_the_incomplete_column_and_non_nurse_files_load(con: Any) -> None:
    results = load_history(
        con,
        [
            FIXTURES / "lowercase_2017Q1.csv",
            FIXTURES / "incomplete_2021Q4.csv",
            FIXTURES / "cp1252_name.csv",
            FIXTURES / "nonnurse_2024Q2.csv",
        ],
    )
    assert [r.kind for r in results] == ["nurse", "nurse", "nurse", "non-nurse"]
    quarters = con.execute(f"SELECT DISTINCT quarter FROM {HISTORY_TABLE} ORDER BY 1").fetchall()
    assert quarters == [("2017Q1",), ("2021Q4",), ("2024Q2",)]


def test_a_provider_release_without_a_processing_date_is_refused(con: Any, tmp_path: Path) -> None:
    lines = (HISTORY / "NH_ProviderInfo_Oct2024.csv").read_text().splitlines()
    file = tmp_path / "NH_ProviderInfo.csv"
    file.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n")
    with pytest.raises(InputError, match="no processing date"):
        load_history(con, [file])
    assert one(con, "SELECT count(*) FROM provider_info") == 0


@pytest.mark.parametrize("beds", ["-3", "inf", "nan1", "99999"])
def test_absurd_certified_beds_are_refused_naming_the_line(
    con: Any, tmp_path: Path, beds: str
) -> None:
    lines = (HISTORY / "NH_ProviderInfo_Oct2024.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",200,", f",{beds},")
    file = tmp_path / "NH_ProviderInfo.csv"
    file.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as failure:
        load_history(con, [file])
    assert (failure.value.line, failure.value.field) == (4, "Number of Certified Beds")
    assert one(con, "SELECT count(*) FROM provider_info") == 0


def test_another_file_of_the_same_release_replaces_it(con: Any, tmp_path: Path) -> None:
    load_history(con, FILES)
    lines = (HISTORY / "NH_ProviderInfo_Oct2024.csv").read_text().splitlines()
    file = tmp_path / "NH_ProviderInfo_fixed.csv"
    file.write_text("\n".join(lines[:2]) + "\n")
    load_history(con, [file])
    assert one(con, "SELECT count(*) FROM provider_info") == 1


def test_a_store_loaded_without_history_is_read_through_a_temporary_table(
    tmp_path: Path,
) -> None:
    db = tmp_path / "staffing.duckdb"
    writer = connect(db)
    load_file(writer, FILES[0])
    writer.close()
    reader = connect(db, read_only=True)
    try:
        table = history_table(reader)
        assert table != HISTORY_TABLE
        assert one(reader, f"SELECT count(*) FROM {table}") == 4
    finally:
        reader.close()


def test_the_table_is_rebuilt_when_a_later_load_makes_it_stale(tmp_path: Path) -> None:
    db = tmp_path / "history.duckdb"
    con = connect(db)
    load_history(con, FILES[:1])
    load_file(con, FILES[1])  # through `pbj load`, not the history command
    assert history_table(con, read_only=False) == HISTORY_TABLE
    assert one(con, f"SELECT count(*) FROM {HISTORY_TABLE}") == 8
    refresh_history(con)  # current: nothing to do
    con.close()
    shutil.rmtree(tmp_path)


def test_the_stored_minimum_rows_are_those_computed_from_the_days(con: Any) -> None:
    from carecover.pbj.history.table import minimums_of
    from carecover.pbj.measures.minimums import minimum_rows
    from carecover.pbj.store import ibis_table

    load_history(con, FILES)
    stored = minimums_of(con, HISTORY_TABLE, state="ny", quarter="2024Q2")
    live = minimum_rows(ibis_table(con, "daily_nurse_staffing"), state="NY", quarter="2024Q2")
    assert stored == live
    assert {r["rule"] for r in stored} >= {"ny-total", "ny-cna", "ny-licensed"}


def test_readers_keep_the_stored_table_when_only_the_code_key_changed(con: Any) -> None:
    load_history(con, FILES)
    con.execute(
        "UPDATE pbj_derived SET code_key = 'older code' WHERE name = 'history_measures_code'"
    )
    assert history_table(con) == HISTORY_TABLE  # a reader: no fall-back to the daily rows
    refresh_history(con)  # a writer rebuilds with the current code
    assert one(con, "SELECT code_key FROM pbj_derived WHERE name = 'history_measures_code'") != (
        "older code"
    )


def test_bed_bands_start_at_each_band_s_lower_bound_and_none_stays_none() -> None:
    import ibis

    from carecover.engines.duckdb import sql_of
    from carecover.pbj.history.table import beds_band

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE b AS SELECT * FROM (VALUES (NULL), (0), (49.9), (50), (199), (200), (900))"
        " v(beds)"
    )
    beds = ibis.table({"beds": "float64"}, name="b")
    sql = sql_of(beds.select(band=beds_band(beds.beds)))
    assert [band for (band,) in con.execute(sql).fetchall()] == [
        None,
        "0-49",
        "0-49",
        "50-99",
        "150-199",
        "200+",
        "200+",
    ]


def test_a_store_without_staffing_files_is_a_clear_not_found(tmp_path: Path) -> None:
    from carecover.errors import NotFoundError

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    con = duckdb.connect(str(empty), read_only=True)
    with pytest.raises(NotFoundError, match="no staffing files"):
        history_table(con)
