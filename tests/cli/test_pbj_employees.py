"""``carecover pbj employees ...`` and ``carecover synth employee-detail``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult
from tests.engines.sessions import spark_engine

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "pbj" / "employee_detail"
GOOD = FIXTURES / "two_facilities_2024Q2.csv"


def test_contract_prints_the_share_per_facility_and_category(cli: Cli) -> None:
    result = cli("pbj", "employees", "contract", GOOD, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {(r["provnum"], r["category"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["015001", "rn"]["contract_share"] == "0.4286"


def test_a_bad_row_is_one_error_line_naming_file_line_and_field(cli: Cli) -> None:
    result = cli("pbj", "employees", "weekend", FIXTURES / "negative_hours.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "negative_hours.csv:3: hours:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["contract", "weekend", "outliers", "turnover", "tenure"])
def test_each_command_prints_the_same_bytes_on_spark(cli: Cli, command: str) -> None:
    spark_engine()  # the shared session: the command reuses it and leaves it running
    duck = cli("pbj", "employees", command, GOOD, "--format", "csv")
    spark = cli(
        "pbj", "employees", command, GOOD, "--format", "csv", "--engine", "spark",
        "--spark-master", "local[1]",
    )  # fmt: skip
    assert spark.exit_code == 0, spark.stderr
    assert spark.stdout == duck.stdout


def test_a_bad_row_read_on_spark_is_the_same_one_error_line(cli: Cli) -> None:
    spark_engine()
    bad = FIXTURES / "negative_hours.csv"
    duck = cli("pbj", "employees", "contract", bad)
    on = ("--engine", "spark", "--spark-master", "local[1]")
    spark = cli("pbj", "employees", "contract", bad, *on)
    assert spark.exit_code == 1
    assert spark.stderr == duck.stderr
    assert "negative_hours.csv:3: hours:" in spark.stderr


def test_synth_writes_a_file_the_reader_accepts(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "employees.csv"
    made = cli("synth", "employee-detail", "--facilities", "2", "--quarter", "2024Q2", "-o", out)
    assert made.exit_code == 0, made.stderr
    again = tmp_path / "again.csv"
    cli("synth", "employee-detail", "--facilities", "2", "--quarter", "2024Q2", "-o", again)
    assert out.read_bytes() == again.read_bytes()
    result = cli("pbj", "employees", "contract", out, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    nurse = [float(r["contract_share"]) for r in rows if r["category"] == "nurse"]
    assert len(nurse) == 2
    assert all(0 < share < 0.25 for share in nurse)


def test_tenure_prints_one_row_per_facility_with_each_groups_staff(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "employees.csv"
    cli("synth", "employee-detail", "--facilities", "2", "--quarter", "2024Q2", "-o", out)
    result = cli("pbj", "employees", "tenure", out, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2
    assert list(rows[0])[:3] == ["provnum", "nurse_staff", "nurse_mean_tenure_days"]
    # One quarter of data: every stay is at most the quarter long, and censored.
    assert all(0 < float(r["nurse_mean_tenure_days"]) <= 91 for r in rows)
    assert all(r["nurse_censored"] == r["nurse_staff"] for r in rows)


@pytest.mark.parametrize("command", ["contract", "weekend", "outliers", "turnover", "tenure"])
def test_each_command_reads_the_rows_pbj_load_stored_as_it_reads_the_file(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    db = tmp_path / "store.duckdb"
    loaded = cli("pbj", "load", GOOD, "--db", db)
    assert loaded.exit_code == 0, loaded.stderr
    assert "employee-detail rows loaded (2024Q2)" in loaded.stdout + loaded.stderr
    from_file = cli("pbj", "employees", command, GOOD, "--format", "csv")
    from_store = cli("pbj", "employees", command, "--db", db, "--format", "csv")
    assert from_store.exit_code == 0, from_store.stderr
    assert from_store.stdout == from_file.stdout


@pytest.mark.parametrize("command", ["contract", "weekend", "outliers", "turnover", "tenure"])
def test_a_memory_limit_on_duckdb_prints_the_same_bytes(cli: Cli, command: str) -> None:
    plain = cli("pbj", "employees", command, GOOD, "--format", "csv")
    capped = cli("pbj", "employees", command, GOOD, "--format", "csv", "--memory-limit", "64MB")
    assert capped.exit_code == 0, capped.stderr
    assert capped.stdout == plain.stdout


def test_a_memory_limit_that_is_not_a_size_is_one_error_line(cli: Cli) -> None:
    result = cli("pbj", "employees", "turnover", GOOD, "--memory-limit", "lots")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "--memory-limit" in result.stderr
    assert "'lots'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_memory_limit_with_spark_is_refused_before_spark_starts(cli: Cli) -> None:
    result = cli(
        "pbj", "employees", "contract", GOOD, "--engine", "spark", "--memory-limit", "1GB",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--memory-limit" in result.stderr
    assert "Spark" in result.stderr
    assert "Traceback" not in result.stderr
