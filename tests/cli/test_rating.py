"""``carecover rating stars|explain|methods|project|turnover``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "rating"
AUG2024 = FIXTURES / "NH_ProviderInfo_Aug2024_real3.csv"
AUG2021 = FIXTURES / "NH_ProviderInfo_Aug2021_style.csv"


def test_stars_writes_exactly_the_four_columns_of_the_contract(cli: Cli) -> None:
    result = cli("rating", "stars", "--provider-info", AUG2024, "--method", "2024-07")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "provnum,staffing_rating,rn_staffing_rating,points",
        "015009,4,,310",
        "015010,3,,235",
        "015012,3,,245",
    ]


def test_stars_as_json_has_nulls_where_the_method_has_no_figure(cli: Cli) -> None:
    result = cli(
        "rating", "stars", "--provider-info", AUG2021, "--method", "2019-04", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "provnum": "Z21001",
        "staffing_rating": 3,
        "rn_staffing_rating": 5,
        "points": None,
    }
    assert rows[2]["staffing_rating"] == 1  # footnote 12
    assert rows[3]["staffing_rating"] is None  # footnote 1: not rated


def test_stars_explain_adds_columns_after_the_contract_ones(cli: Cli) -> None:
    result = cli("rating", "stars", "--provider-info", AUG2024, "--method", "2024-07", "--explain")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:4] == ["provnum", "staffing_rating", "rn_staffing_rating", "points"]
    assert [r["matches_published"] for r in rows] == ["true", "true", "true"]
    assert rows[0]["points_to_next_star"] == "10"


def test_stars_takes_the_method_from_the_processing_date(cli: Cli) -> None:
    result = cli("rating", "stars", "--provider-info", AUG2021)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "Z21001,3,5,"


def test_stars_with_an_unknown_method_fails_cleanly(cli: Cli) -> None:
    result = cli("rating", "stars", "--provider-info", AUG2024, "--method", "2020-01")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no rating method '2020-01'")


def test_stars_with_a_bad_file_names_the_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Federal Provider Number,Adjusted RN Staffing Hours per Resident per Day\n15009.0,1.2\n",
        encoding="utf-8",
    )
    result = cli("rating", "stars", "--provider-info", bad, "--method", "2019-04")
    assert result.exit_code == 1
    assert "bad.csv:2: Federal Provider Number: float-mangled CCN" in result.stderr
    assert "Traceback" not in result.stderr


def test_stars_with_a_bad_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("rating", "stars", "--provider-info", AUG2024, "--format", "xml")
    assert result.exit_code == 2


def test_explain_prints_the_star_card_and_the_overall_steps(cli: Cli) -> None:
    result = cli("rating", "explain", "--facility", "015010", "--provider-info", AUG2024)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "staffing rating: 3 of 5" in text
    assert "total nurse turnover %" in text
    assert "lowest points (missing)" in text
    assert "CMS published staffing rating: 3" in text
    assert "overall rating: 4" in text


def test_explain_as_json(cli: Cli) -> None:
    result = cli(
        "rating", "explain", "--facility", "015009", "--provider-info", AUG2024, "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    assert (card["staffing_rating"], card["points"], card["published_staffing_rating"]) == (
        4,
        310.0,
        4,
    )
    assert [m["points"] for m in card["measures"]] == [80.0, 100.0, 30.0, 40.0, 50.0, 10.0]


def test_explain_of_an_unknown_facility_fails_cleanly(cli: Cli) -> None:
    result = cli("rating", "explain", "--facility", "999999", "--provider-info", AUG2024)
    assert result.exit_code == 1
    assert "999999 is not in" in result.stderr


def test_methods_lists_the_versions_and_their_unconfirmed_values(cli: Cli) -> None:
    result = cli("rating", "methods")
    assert result.exit_code == 0, result.stderr
    assert "2018-04" in result.stdout
    assert "UNCONFIRMED levels.rn_cut_points" in result.stdout
    data = json.loads(cli("rating", "methods", "--format", "json").stdout)
    assert [m["name"] for m in data] == ["2018-04", "2019-04", "2022-07", "2024-07"]


def test_project_reads_pbj_days_and_a_schedule(cli: Cli) -> None:
    result = cli(
        "rating",
        "project",
        FIXTURES / "PBJ_Daily_Nurse_Staffing_CY2024Q2_Z00001_partial.csv",
        "--facility",
        "Z00001",
        "--quarter",
        "2024Q2",
        "--as-of",
        "2024-05-15",
        "--schedule",
        FIXTURES / "schedule_Z00001.csv",
        "--method",
        "2024-07",
        "--total-turnover",
        "45",
        "--rn-turnover",
        "40",
        "--admin-departures",
        "1",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["days_so_far"], data["days_scheduled"]) == (45, 46)
    assert (data["zero_rn_days_so_far"], data["zero_rn_days_scheduled"]) == (2, 1)
    assert data["zero_rn_days_left_before_one_star"] == 0
    assert data["extra_rn_hours_per_day_for_next_star"] > 0


def test_project_with_a_bad_date_is_a_usage_error(cli: Cli) -> None:
    result = cli(
        "rating",
        "project",
        FIXTURES / "PBJ_Daily_Nurse_Staffing_CY2024Q2_Z00001_partial.csv",
        "--facility",
        "Z00001",
        "--quarter",
        "2024Q2",
        "--as-of",
        "15/05/2024",
    )
    assert result.exit_code == 2


RATIO = "a number from 0 to 10 ratio"
PERCENT = "a number from 0 to 100 percent"
COUNT = "a whole number from 0 to 100 administrators"
OUT = "is out of range: expected"


@pytest.mark.parametrize(
    ("option", "value", "line"),
    [
        ("--cmi-ratio", "inf", f"cmi_ratio: inf {OUT} {RATIO}"),
        ("--cmi-ratio", "nan", f"cmi_ratio: nan {OUT} {RATIO}"),
        ("--total-turnover", "1e400", f"total_turnover: inf {OUT} {PERCENT}"),
        ("--admin-departures", "1e300", f"admin_departures: 1e+300 {OUT} {COUNT}"),
    ],
)
def test_project_refuses_a_bad_number_in_one_line(
    cli: Cli, option: str, value: str, line: str
) -> None:
    result = cli(
        "rating", "project", FIXTURES / "PBJ_Daily_Nurse_Staffing_CY2024Q2_Z00001_partial.csv",
        "--facility", "Z00001", "--quarter", "2024Q2", "--as-of", "2024-05-15", option, value,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {line}\n"


def test_turnover_reads_the_stores_employee_hours(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE employee_hours (state VARCHAR, facility_id VARCHAR, quarter VARCHAR,"
        " employee_id VARCHAR, workdate DATE, job_title_code INTEGER, pay_type_code INTEGER,"
        " hours DOUBLE, source_file VARCHAR, sha256 VARCHAR)"
    )
    con.execute(
        "INSERT INTO employee_hours SELECT 'AL', 'F1', '', 'E1', d::DATE, 7, 2, 8, 't', 's'"
        " FROM range(DATE '2023-01-01', DATE '2023-06-30', INTERVAL (1) DAY) r(d)"
    )
    con.close()
    result = cli("rating", "turnover", "--quarter", "2024Q2", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["provnum"], row["rn_turnover_pct"]) == ("F1", 100.0)


def test_turnover_without_a_store_fails_cleanly(cli: Cli, tmp_path: Path) -> None:
    result = cli("rating", "turnover", "--quarter", "2024Q2", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no staffing store")


def pbj_quarter_csv(tmp_path: Path, quarter: str, first: str, days: int, zero_rn: int) -> Path:
    """A hand-made PBJ daily file: ``days`` days from ``first``, the first ``zero_rn`` no RN."""
    header = AUG_HEADER
    start = date.fromisoformat(first)
    lines = [header]
    for i in range(days):
        day = (start + timedelta(days=i)).strftime("%Y%m%d")
        rn = "0.00" if i < zero_rn else "48.00"
        lines.append(
            f"Z00001,HAND-MADE,TOWN,AL,Franklin,59,{quarter},{day},40,0.00,0.00,0.00,"
            f"0.00,0.00,0.00,{rn},{rn},0.00,0.00,0.00,0.00,32.00,32.00,0.00,"
            "100.00,100.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"
        )
    path = tmp_path / f"PBJ_Daily_Nurse_Staffing_CY{quarter}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


AUG_HEADER = (
    (FIXTURES / "PBJ_Daily_Nurse_Staffing_CY2024Q2_Z00001_partial.csv").read_text().splitlines()[0]
)


def test_project_rates_2018q4_by_the_april_2019_release_and_its_four_day_rule(
    cli: Cli, tmp_path: Path
) -> None:
    path = pbj_quarter_csv(tmp_path, "2018Q4", "2018-10-01", 92, zero_rn=5)
    args = ("rating", "project", path, "--facility", "Z00001", "--quarter", "2018Q4")
    result = cli(*args, "--as-of", "2018-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["release"], data["method"]) == ("2019-04", "2019-04")
    assert data["card"]["staffing_rating"] == 1
    text = cli(*args, "--as-of", "2018-12-31").stdout
    assert "release 2019-04" in text
    chosen = json.loads(
        cli(*args, "--as-of", "2018-12-31", "--release", "2019-01", "--format", "json").stdout
    )
    assert (chosen["release"], chosen["method"]) == ("2019-01", "2018-04")
    assert chosen["card"]["staffing_rating"] != 1


def test_project_of_2018q1_is_not_refused(cli: Cli, tmp_path: Path) -> None:
    path = pbj_quarter_csv(tmp_path, "2018Q1", "2018-01-01", 45, zero_rn=0)
    result = cli(
        "rating", "project", path, "--facility", "Z00001", "--quarter", "2018Q1",
        "--as-of", "2018-02-14", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["release"] == "2018-07"


def test_project_of_a_quarter_no_release_rated_fails_cleanly(cli: Cli, tmp_path: Path) -> None:
    path = pbj_quarter_csv(tmp_path, "2023Q4", "2023-10-01", 30, zero_rn=0)
    result = cli(
        "rating", "project", path, "--facility", "Z00001", "--quarter", "2023Q4",
        "--as-of", "2023-10-30",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "error: no Care Compare release rated 2023Q4" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_help_names_the_release_not_the_processing_date(cli: Cli) -> None:
    result = cli("rating", "project", "--help")
    assert result.exit_code == 0
    words = " ".join(result.stdout.replace("│", " ").split())
    assert "Processing Date" not in words
    assert "default: the method of the release that rates the quarter" in words


def test_turnover_takes_the_rules_of_the_release_that_rates_the_quarter(
    cli: Cli, tmp_path: Path
) -> None:
    # Five administrator ids on 4 days of one quarter: excluded from the July 2023 release on
    # (2022-07 as revised), not by the 12-day rule 2022-07 began with.
    db = tmp_path / "store.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE employee_hours (state VARCHAR, facility_id VARCHAR, quarter VARCHAR,"
        " employee_id VARCHAR, workdate DATE, job_title_code INTEGER, pay_type_code INTEGER,"
        " hours DOUBLE, source_file VARCHAR, sha256 VARCHAR)"
    )
    con.execute(
        "INSERT INTO employee_hours SELECT 'AL', 'F1', '', 'A' || i,"
        " DATE '2022-02-01' + d::INTEGER, 1, 1, 8, 't', 's' FROM range(5) a(i), range(4) b(d)"
    )
    con.close()
    args = ("rating", "turnover", "--db", db, "--format", "json")
    (row,) = json.loads(cli(*args, "--quarter", "2023Q1").stdout)
    assert row["admin_excluded"] is True
    (row,) = json.loads(cli(*args, "--quarter", "2022Q4").stdout)
    assert row["admin_excluded"] is False
    early = cli(*args, "--quarter", "2021Q4")
    assert early.exit_code == 1
    assert "no turnover measures" in early.stderr
