"""``pbj measures`` and ``pbj coverage`` on ``--engine spark`` print what DuckDB prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult
from tests.engines.sessions import spark_engine

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "pbj"
SPARK = ("--engine", "spark", "--spark-master", "local[1]")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_measures_on_spark_prints_the_same_bytes_as_on_duckdb(cli: Cli, fmt: str) -> None:
    spark_engine()  # the shared session: the command reuses it and leaves it running
    path = FIXTURES / "rn_coverage.csv"
    duck = cli("pbj", "measures", path, "--format", fmt)
    spark = cli("pbj", "measures", path, "--format", fmt, *SPARK)
    assert spark.exit_code == 0, spark.stderr
    assert spark.stdout == duck.stdout


def test_daily_measures_and_coverage_on_spark_print_the_same_bytes(cli: Cli) -> None:
    spark_engine()
    path: Path = FIXTURES / "rn_coverage.csv"
    for command in (("measures", "--daily", "--format", "csv"), ("coverage",)):
        duck = cli("pbj", *command[:1], path, *command[1:])
        spark = cli("pbj", *command[:1], path, *command[1:], *SPARK)
        assert spark.exit_code == 0, spark.stderr
        assert spark.stdout == duck.stdout


def test_measures_of_cp1252_and_drifted_files_on_spark_print_what_duckdb_prints(cli: Cli) -> None:
    spark_engine()
    names = ("cp1252_name.csv", "both_don_2017Q2.csv", "lowercase_2017Q1.csv", "iso_workdate.csv")
    paths = [FIXTURES / name for name in names]
    duck = cli("pbj", "measures", *paths, "--format", "csv")
    spark = cli("pbj", "measures", *paths, "--format", "csv", *SPARK)
    assert spark.exit_code == 0, spark.stderr
    assert spark.stdout == duck.stdout
    assert len(spark.stdout.splitlines()) == 1 + len(paths)


def test_a_bad_file_is_refused_on_spark_with_the_error_duckdb_gives(cli: Cli) -> None:
    spark_engine()
    path = FIXTURES / "negative_hours.csv"
    duck = cli("pbj", "measures", path)
    spark = cli("pbj", "measures", path, *SPARK)
    assert (spark.exit_code, duck.exit_code) == (1, 1)
    assert spark.stderr.splitlines()[-1] == duck.stderr.splitlines()[-1]
    assert f"{path}:3: Hrs_RN: negative hours: -3" in spark.stderr


def test_an_unknown_engine_is_a_usage_error(cli: Cli) -> None:
    result = cli("pbj", "measures", FIXTURES / "rn_coverage.csv", "--engine", "polars")
    assert result.exit_code == 2


def test_rating_turnover_on_spark_prints_the_same_as_on_duckdb(cli: Cli, tmp_path: Path) -> None:
    import duckdb

    spark_engine()
    db = tmp_path / "store.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE employee_hours (state VARCHAR, facility_id VARCHAR, quarter VARCHAR,"
        " employee_id VARCHAR, workdate DATE, job_title_code INTEGER, pay_type_code INTEGER,"
        " hours DOUBLE, source_file VARCHAR, sha256 VARCHAR)"
    )
    for employee, last in (("E1", "2023-06-30"), ("E2", "2024-06-30")):
        con.execute(
            f"INSERT INTO employee_hours SELECT 'AL', 'F1', '', '{employee}', d::DATE, 7, 2, 8,"
            f" 't', 's' FROM range(DATE '2023-01-01', DATE '{last}', INTERVAL (1) DAY) r(d)"
        )
    con.close()
    args = ("rating", "turnover", "--quarter", "2024Q2", "--db", db, "--format", "json")
    duck = cli(*args)
    spark = cli(*args, *SPARK)
    assert spark.exit_code == 0, spark.stderr
    assert '"rn_turnover_pct": 50.0' in duck.stdout
    assert spark.stdout == duck.stdout
