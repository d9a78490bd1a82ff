"""``carecover backup from-visits``: interruptions from EVV visit files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
VISITS = str(Path(__file__).parents[1] / "fixtures" / "backup" / "visits" / "month.csv")
CONTRACT = (
    "provider_id,member_medicaid_id,incident_date,service_code,hours_without_staff,kind,"
    "report_required"
)


def test_csv_columns_start_with_the_public_contract(cli: Cli) -> None:
    result = cli("backup", "from-visits", VISITS, "--format", "csv")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0]
    assert header.startswith(CONTRACT + ",rule,explanation,")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["incident_date"], r["hours_without_staff"], r["kind"]) for r in rows] == [
        ("2026-10-06", "4.0", "failure_to_provide_backup"),
        ("2026-10-07", "1.5", "failure_to_provide_backup"),
        ("2026-10-09", "4.0", "service_break"),
        ("2026-10-10", "2.0", "failure_to_provide_backup"),
        ("2026-10-11", "6.0", "failure_to_provide_backup"),
        ("2026-10-12", "4.0", "failure_to_provide_backup"),
        ("2026-10-13", "2.0", "unexplained"),
    ]
    assert rows[0]["report_required"] == "true"
    assert rows[-1]["report_required"] == ""


def test_json_has_a_summary_and_the_rows(cli: Cli) -> None:
    result = cli("backup", "from-visits", VISITS, "--format", "json")
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "visits": 8,
        "failures": 5,
        "service_breaks": 1,
        "unexplained": 1,
        "hours_failures": 17.5,
        "hours_service_breaks": 4.0,
    }
    assert data["interruptions"][3]["gaps"] == "22:00-24:00"


def test_the_table_ends_with_what_to_do(cli: Cli) -> None:
    result = cli("backup", "from-visits", VISITS)
    assert result.exit_code == 0
    assert "failures to report: 5 (17.5 h)" in result.stdout


def test_a_bad_file_is_one_line_naming_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(Path(VISITS).read_text().replace("09:30,12:00", "09:30,"))
    result = cli("backup", "from-visits", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: ")
    assert f"{bad}:4: actual_end: is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_mappings_are_listed_and_shown_with_unconfirmed_rows(cli: Cli) -> None:
    assert cli("backup", "from-visits", "--list-mappings").stdout.split() == [
        "generic",
        "hhaexchange",
    ]
    shown = cli("backup", "from-visits", "--mapping", "hhaexchange", "--show-mapping").stdout
    assert "[UNCONFIRMED]" in shown
    assert "Schedule Start" in shown


def test_a_spreadsheet_formula_in_a_name_is_neutralised(cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(Path(VISITS).read_text().replace("Jones", "=HYPERLINK(1)"))
    result = cli("backup", "from-visits", str(hostile), "--format", "csv")
    assert "'=HYPERLINK(1)" in result.stdout
