"""``carecover pbj onsite``: RN 8 consecutive hours and the full-time DON from punches."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
ONSITE = REPO / "tests" / "fixtures" / "pbj" / "timeclock" / "onsite.csv"


def test_the_table_shows_days_weeks_and_a_summary(cli: Cli) -> None:
    result = cli("pbj", "onsite", ONSITE)
    assert result.exit_code == 0, result.stderr
    assert "longest_rn_stretch_hours" in result.stdout
    assert "don_full_time" in result.stdout
    assert (
        "1 of 14 day(s) short of 8 consecutive RN hours; DON under 40 h in 1 of 2 complete week(s)"
    ) in result.stdout


def test_csv_lists_one_row_per_day_and_weekly_the_don_weeks(cli: Cli) -> None:
    days = list(csv.DictReader(io.StringIO(cli("pbj", "onsite", ONSITE, "--format", "csv").stdout)))
    assert len(days) == 14
    saturday = next(d for d in days if d["workdate"] == "2026-07-11")
    assert (saturday["longest_rn_stretch_hours"], saturday["rn_8h_consecutive"]) == (
        "4.00",
        "false",
    )
    assert saturday["first_rn_on"] == "2026-07-11 10:00"
    weekly = cli("pbj", "onsite", ONSITE, "--format", "csv", "--weekly").stdout
    weeks = list(csv.DictReader(io.StringIO(weekly)))
    assert [(w["don_hours"], w["don_full_time"]) for w in weeks] == [
        ("40.00", "true"),
        ("36.00", "false"),
    ]


def test_json_carries_days_weeks_and_summary(cli: Cli) -> None:
    data = json.loads(cli("pbj", "onsite", ONSITE, "--format", "json").stdout)
    assert data["summary"]["days_short_of_rn_consecutive_hours"] == 1
    assert data["summary"]["weeks_don_under_full_time"] == 1
    assert data["weeks"][0]["don_full_time"] is True


def test_a_bad_row_is_a_clean_error(cli: Cli, tmp_path: object) -> None:
    result = cli(
        "pbj", "onsite", REPO / "tests" / "fixtures" / "pbj" / "timeclock" / "daily_hours.csv"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "no punch rows" in result.stderr


@pytest.mark.parametrize(
    "hours", ["1" * 400, "25", "1e999999999", "1e-999999999", "inf", "nan", "-1"]
)
def test_absurd_daily_hours_are_one_error_line_naming_the_line(
    cli: Cli, tmp_path: Path, hours: str
) -> None:
    # Issue 12 §1: 400 digits gave an OverflowError traceback.
    path = tmp_path / "onsite.csv"
    path.write_text(ONSITE.read_text() + f"D001,5,1,,,2026-07-08,{hours}\n")
    result = cli("pbj", "onsite", path)
    assert result.exit_code == 1
    line = len(ONSITE.read_text().splitlines()) + 1
    assert result.stderr.startswith(f"error: {path}:{line}: hours: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert len(result.stderr) < 200


def test_a_full_day_of_daily_hours_still_counts(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "onsite.csv"
    path.write_text(ONSITE.read_text() + "D001,5,1,,,2026-07-08,24\n")
    assert cli("pbj", "onsite", path).exit_code == 0


def test_an_ambiguous_job_title_is_not_guessed_as_rn_time(cli: Cli, tmp_path: Path) -> None:
    # An LPN "Unit Manager" defaulted to code 6 would show RN coverage that is not there.
    path = tmp_path / "onsite.csv"
    path.write_text(
        "employee_id,job_title,pay_type_code,punch_in,punch_out\n"
        "U1,Unit Manager,2,2026-07-06T08:00,2026-07-06T16:00\n"
    )
    result = cli("pbj", "onsite", path)
    assert result.exit_code == 1
    assert "'Unit Manager': 6 (" in result.stderr
    mapping = tmp_path / "map.csv"
    mapping.write_text("job_title,job_title_code\nUnit Manager,8\n")
    assert cli("pbj", "onsite", path, "--mapping", mapping).exit_code == 0
