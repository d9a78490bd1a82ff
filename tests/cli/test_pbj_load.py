"""``carecover pbj load``: public CSV files and PBJ XML into the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "pbj"


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def test_load_takes_pbj_xml_and_csv_together(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = cli(
        "pbj",
        "load",
        FIXTURES / "xml" / "valid.xml",
        FIXTURES / "nurse_2024Q2_plain.csv",
        "--db",
        db,
    )
    assert result.exit_code == 0, result.stderr
    assert "valid.xml: 5 PBJ hour entries loaded (NY NY0001 2026Q2 merge), 2 employee" in (
        result.stdout
    )
    assert "7 nurse rows loaded (2024Q2)" in result.stdout
    assert (count(db, "employee_hours"), count(db, "daily_nurse_staffing")) == (5, 7)


def test_loading_the_same_xml_twice_says_so_and_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    cli("pbj", "load", FIXTURES / "xml" / "valid.xml", "--db", db)
    again = cli("pbj", "load", FIXTURES / "xml" / "valid.xml", "--db", db)
    assert again.exit_code == 0, again.stderr
    assert "already loaded (same content), nothing changed" in again.stdout
    assert count(db, "employee_hours") == 5


def test_a_rejected_xml_exits_1_naming_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    bad = FIXTURES / "xml" / "hours_day_over_limit.xml"
    result = cli("pbj", "load", bad, "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:26: hours: [-4025] ")
    assert "nothing loaded" in result.stderr
    assert count(db, "employee_hours") == 0
    assert count(db, "loaded_files") == 0


def test_a_replace_reports_the_entries_it_replaced(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    cli("pbj", "load", FIXTURES / "xml" / "valid.xml", "--db", db)
    result = cli("pbj", "load", FIXTURES / "xml" / "replace_empty.xml", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "5 earlier hour entries replaced" in result.stdout
    assert count(db, "employee_hours") == 0


def test_load_still_quarantines_csv_rows_on_request(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = cli("pbj", "load", FIXTURES / "negative_hours.csv", "--db", db, "--quarantine")
    assert result.exit_code == 0, result.stderr
    assert "2 nurse rows loaded (2024Q2); 1 row(s) quarantined" in result.stdout
