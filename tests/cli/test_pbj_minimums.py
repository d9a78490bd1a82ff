"""``carecover pbj minimums``: state minimum staffing from files or the store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
FIXTURES = REPO / "tests" / "fixtures" / "pbj"
NY_FILE = "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
AL_FILE = "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"


def _csv(result: CliResult) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_it_writes_the_issues_columns_first_as_csv(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / NY_FILE, "--quarter", "2024Q2", "--format", "csv")
    header = result.stdout.splitlines()[0]
    assert header.startswith("provnum,state,period,rule,required,actual,compliant,")
    rows = {r["rule"]: r for r in _csv(result)}
    assert set(rows) == {"ny-total", "ny-cna", "ny-licensed"}
    total = rows["ny-total"]
    assert (total["provnum"], total["state"], total["period"]) == ("335513", "NY", "2024Q2")
    assert (total["required"], total["actual"], total["compliant"]) == ("3.5", "2.86626", "false")
    assert float(total["shortfall_hours"]) > 0
    assert "nysenate.gov" in total["source"]


def test_it_offers_the_repealed_federal_rule_as_a_what_if(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / AL_FILE, "--what-if", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["rule"]: r for r in json.loads(result.stdout)}
    assert rows["federal-2024-total"]["actual"] == 4.29361
    assert rows["federal-2024-total"]["compliant"] is True
    assert rows["federal-2024-rn-24-7"]["compliant"] is None
    assert {r["status"] for r in rows.values()} == {"repealed"}
    assert "Public Law 119-21" in rows["federal-2024-rn"]["note"]


def test_a_facility_in_a_state_without_a_minimum_gets_a_note(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / AL_FILE)
    assert result.exit_code == 0, result.stderr
    assert "(no facility-days match)" in result.stdout
    assert "no minimum staffing rule applies" in result.stderr


def test_rule_applies_another_states_rules_as_a_what_if(cli: Cli, shared: Path) -> None:
    rows = _csv(cli("pbj", "minimums", shared / AL_FILE, "--rule", "CA", "--format", "csv"))
    assert {r["rule"] for r in rows} == {"ca-total", "ca-cna"}
    assert {r["averaging"] for r in rows} == {"daily"}


def test_it_reads_the_store_loaded_by_pbj_load(cli: Cli, shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "staffing.duckdb"
    assert cli("pbj", "load", shared / NY_FILE, "--db", db).exit_code == 0
    from_store = _csv(
        cli(
            "pbj", "minimums", "--db", db, "--state", "NY", "--quarter", "2023Q4", "--format", "csv"
        )
    )
    from_file = _csv(
        cli("pbj", "minimums", shared / NY_FILE, "--quarter", "2023Q4", "--format", "csv")
    )
    assert from_store == from_file
    assert len(from_store) == 3
    elsewhere = cli("pbj", "minimums", "--db", db, "--facility", "999999", "--format", "csv")
    assert _csv(elsewhere) == []


def test_the_table_shows_the_figures(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / NY_FILE, "--quarter", "2024Q2")
    assert result.exit_code == 0, result.stderr
    head = result.stdout.splitlines()[0].split()
    assert head[:7] == ["provnum", "state", "period", "rule", "required", "actual", "compliant"]
    assert "note" not in head


def test_an_unknown_rule_is_one_error_line(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / AL_FILE, "--rule", "XX")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: no minimum staffing rule 'XX'")
    assert "Traceback" not in result.stderr


def test_a_bad_file_names_its_line_and_field(cli: Cli) -> None:
    result = cli("pbj", "minimums", FIXTURES / "negative_hours.csv")
    assert result.exit_code == 1
    assert "negative_hours.csv:3: Hrs_RN: negative hours" in result.stderr


def test_a_missing_store_is_one_error_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "minimums", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no staffing store")


def test_a_bad_quarter_is_one_error_line(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "minimums", shared / AL_FILE, "--quarter", "2024Q5")
    assert result.exit_code == 1
    assert result.stderr.startswith("error:")
