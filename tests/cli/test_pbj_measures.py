"""``carecover pbj measures``, ``pbj load`` and ``pbj coverage``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "pbj"
HEADER = (
    "provnum,quarter,days_reported,days_missing,days_blank,resident_days,avg_census,rn_hours,"
    "lpn_hours,aide_hours,total_hours,rn_hprd,lpn_hprd,aide_hprd,total_hprd,licensed_hprd,"
    "nurse_care_hprd,weekend_total_hprd,"
    "weekend_rn_hprd,contract_share,zero_rn_days,rn_under_8h_days,days_without_nurse_staffing,"
    "excluded"
)


def test_measures_writes_the_published_values_as_csv(cli: Cli, shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"
    result = cli("pbj", "measures", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == HEADER
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["quarter"] == "2024Q2"
    assert (row["rn_hprd"], row["total_hprd"], row["avg_census"]) == ("1.28749", "4.29361", "53.29")
    assert (row["weekend_total_hprd"], row["weekend_rn_hprd"]) == ("3.30871", "0.76957")
    assert row["excluded"] == "false"


def test_measures_filters_the_34_quarter_file_by_quarter(cli: Cli, shared: Path) -> None:
    path = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    result = cli("pbj", "measures", path, "--quarter", "2024Q2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert (row["provnum"], row["quarter"], row["days_reported"]) == ("335513", "2024Q2", 91)


def test_measures_daily_prints_one_row_per_day(cli: Cli) -> None:
    result = cli("pbj", "measures", FIXTURES / "nurse_2024Q2_plain.csv", "--daily")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("2024Q2") == 7
    assert "workdate" in result.stdout.splitlines()[0]


def test_load_then_measure_from_the_store(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "deep" / "staffing.duckdb"
    result = cli("pbj", "load", FIXTURES / "nurse_2024Q2_plain.csv", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "7 nurse rows loaded (2024Q2)" in result.stdout
    again = cli("pbj", "load", FIXTURES / "nurse_2024Q2_plain.csv", "--db", db)
    assert "already loaded" in again.stdout
    measured = cli("pbj", "measures", "--db", db, "--format", "csv")
    assert measured.stdout.splitlines()[1].startswith("015001,2024Q2,7,84,0,280,40.0,")


def test_load_reports_a_bad_row_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = cli("pbj", "load", FIXTURES / "float_ccn.csv", "--db", db)
    assert result.exit_code == 1
    assert "float_ccn.csv:3: PROVNUM: float-mangled CCN 15009.0" in result.stderr
    assert result.stderr.startswith("error: ")
    measured = cli("pbj", "measures", "--db", db, "--format", "csv")
    assert measured.stdout.splitlines() == [HEADER]


def test_load_with_quarantine_keeps_the_good_rows(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = cli("pbj", "load", FIXTURES / "negative_hours.csv", "--db", db, "--quarantine")
    assert result.exit_code == 0, result.stderr
    assert "2 nurse rows loaded (2024Q2); 1 row(s) quarantined" in result.stdout


def test_measures_without_a_store_is_a_clean_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "measures", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert "no staffing store" in result.stderr


def test_a_bad_quarter_is_a_clean_error(cli: Cli) -> None:
    result = cli("pbj", "measures", FIXTURES / "nurse_2024Q2_plain.csv", "--quarter", "2024Q9")
    assert result.exit_code == 1
    assert "not a quarter" in result.stderr


def test_an_unknown_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("pbj", "measures", FIXTURES / "nurse_2024Q2_plain.csv", "--format", "xml")
    assert result.exit_code == 2


def test_coverage_prints_a_month_calendar(cli: Cli) -> None:
    result = cli("pbj", "coverage", FIXTURES / "rn_coverage.csv")
    assert result.exit_code == 0, result.stderr
    assert "015012: 1 day(s) without an RN (1 on weekends)" in result.stdout
    assert "6X" in result.stdout


def test_coverage_as_csv_lists_days(cli: Cli) -> None:
    result = cli("pbj", "coverage", FIXTURES / "rn_coverage.csv", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10
    assert [r["workdate"] for r in rows if r["zero_rn"] == "true"] == ["2024-04-06"]


def test_the_cli_does_not_import_ibis_at_start_up() -> None:
    code = "import sys, carecover.cli; print('ibis' in sys.modules, 'duckdb' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split()[0] == "False"


def test_synth_puf_writes_a_file_the_measures_command_reads(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "puf.csv"
    result = cli(
        "synth", "puf", "--facilities", "3", "--quarter", "2024Q2", "-o", out, "--seed", "1"
    )
    assert result.exit_code == 0, result.stderr
    assert "273 rows, 3 facilities, 2024Q2" in result.stdout
    measured = cli("pbj", "measures", out, "--format", "csv")
    assert len(measured.stdout.splitlines()) == 4


@pytest.mark.parametrize(
    ("cell", "was", "reason"),
    [
        ("MDScensus", ",20200702,40,", "MDScensus: not a whole number of residents: 40.5"),
        ("WorkDate", ",20200702,40,", "WorkDate: not a date (YYYYMMDD or YYYY-MM-DD): 20200702.6"),
    ],
)
def test_measures_refuse_a_fractional_value_that_load_and_coverage_refuse(
    cli: Cli, tmp_path: Path, cell: str, was: str, reason: str
) -> None:
    # DuckDB reads 40.5 in an INTEGER column as 41, and 20200702.6 as the next day.
    now = ",20200702,40.5," if cell == "MDScensus" else ",20200702.6,40,"
    text = (FIXTURES / "PBJ_Daily_Nurse_Staffing_CY_2020Q1.csv").read_text()
    lines = text.splitlines(keepends=True)
    assert was in lines[2]
    lines[2] = lines[2].replace(was, now)
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines))
    commands = [
        ("pbj", "measures", bad, "--format", "csv"),
        ("pbj", "measures", bad, "--format", "table"),
        ("pbj", "measures", bad, "--format", "json"),
        ("pbj", "measures", bad, "--daily", "--format", "csv"),
        ("pbj", "coverage", bad),
        ("pbj", "load", bad, "--db", tmp_path / "s.duckdb"),
    ]
    for command in commands:
        result = cli(*command)
        assert result.exit_code == 1, (command, result.stdout)
        assert f"bad.csv:3: {reason}" in result.stderr, command
