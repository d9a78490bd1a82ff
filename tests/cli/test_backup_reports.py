from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from carecover.backup.reading import COLUMN_HELP
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "backup"
VALID = FIXTURES / "reports_valid.csv"
INVALID = FIXTURES / "reports_invalid.csv"
JSONL = FIXTURES / "reports.jsonl"


def test_it_passes_a_valid_file_with_a_summary(cli: Cli) -> None:
    result = cli("backup", "validate", VALID, "--today", "2026-11-23")
    assert result.exit_code == 0
    assert result.stdout.strip() == "10 records, 10 valid, 0 invalid"


def test_it_lists_every_invalid_record_as_file_line_field_message(cli: Cli) -> None:
    result = cli("backup", "validate", INVALID, "--today", "2026-11-23")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f"{INVALID}:2: report_id: must look like BUS-2026-000123"
    assert f"{INVALID}:8: incident_date: cannot be after today (2026-11-23)" in lines
    assert lines[-1] == "25 records, 1 valid, 24 invalid"
    assert len(lines) == 25


def test_it_reads_json_lines(cli: Cli) -> None:
    result = cli("backup", "validate", JSONL, "--today", "2026-11-23")
    assert result.exit_code == 0
    assert result.stdout.strip() == "5 records, 5 valid, 0 invalid"


def test_it_judges_future_dates_against_the_today_it_is_given(cli: Cli) -> None:
    result = cli("backup", "validate", VALID, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert f"{VALID}:8: incident_date: cannot be after today (2026-11-22)" in result.stdout


def test_it_prints_json_on_request(cli: Cli) -> None:
    result = cli("backup", "validate", INVALID, "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["records"], data["valid"], data["invalid"]) == (25, 1, 24)
    assert data["problems"][0] == {
        "line": 2,
        "field": "report_id",
        "message": "must look like BUS-2026-000123",
    }


def test_it_names_a_missing_file_in_one_error_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("backup", "validate", tmp_path / "nope.csv", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: no such file"
    assert "Traceback" not in result.stderr


def test_it_treats_a_malformed_today_as_a_usage_error(cli: Cli) -> None:
    result = cli("backup", "validate", VALID, "--today", "23/11/2026")
    assert result.exit_code == 2


def test_it_treats_an_unknown_format_as_a_usage_error(cli: Cli) -> None:
    result = cli("backup", "validate", VALID, "--format", "xml")
    assert result.exit_code == 2


def test_it_is_documented(cli: Cli) -> None:
    docs = (REPO / "docs" / "backup-reports.md").read_text(encoding="utf-8")
    assert "carecover backup validate" in docs
    for option in ("--today", "--format"):
        assert option in docs


def test_it_documents_every_column_with_its_help_text() -> None:
    docs = (REPO / "docs" / "backup-reports.md").read_text(encoding="utf-8")
    for column, help_text in COLUMN_HELP.items():
        assert f"| `{column}` |" in docs
        assert help_text in docs, column


def test_every_documented_example_runs_from_the_repository_root(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    docs = (REPO / "docs" / "backup-reports.md").read_text(encoding="utf-8")
    examples = re.findall(r"^(?:\$ )?carecover (backup validate tests/\S+.*)$", docs, re.M)
    assert len(examples) >= 3
    for example in examples:
        result = cli(*shlex.split(example))
        assert result.exit_code in (0, 1), example
        assert result.stderr == "", example
