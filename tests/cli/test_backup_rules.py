"""``carecover backup classify``, ``backup services`` and ``backup reasons``."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
OUTCOME_KEYS = {
    "kind",
    "report_required",
    "document_in_member_record",
    "incident_level",
    "escalate",
    "rule",
    "explanation",
}


def test_classify_prints_a_readable_summary_of_a_failure(cli: Cli) -> None:
    result = cli("backup", "classify", "--cause", "staff_quit", "--backup", "declined")
    assert result.exit_code == 0
    assert "FAILURE TO PROVIDE BACKUP STAFFING" in result.stdout
    assert "Report required:            yes" in result.stdout
    assert "J256 trigger 2" in result.stdout


def test_classify_prints_a_service_break_for_a_member_cause(cli: Cli) -> None:
    result = cli("backup", "classify", "--cause", "member_vacation", "--backup", "not_offered")
    assert result.exit_code == 0
    assert result.stdout.startswith("SERVICE BREAK")
    assert "Report required:            no" in result.stdout


def test_classify_json_has_exactly_the_outcome_keys(cli: Cli) -> None:
    result = cli(
        "backup",
        "classify",
        "--cause",
        "staff_no_show",
        "--backup",
        "not_offered",
        "--late-notice",
        "--harm",
        "--json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == OUTCOME_KEYS
    assert data["kind"] == "failure_to_provide_backup"
    assert data["incident_level"] == "I"
    assert data["escalate"] is True
    assert "IRIS" in data["explanation"]


def test_classify_rejects_an_unknown_cause_with_one_clean_line(cli: Cli) -> None:
    result = cli("backup", "classify", "--cause", "aliens", "--backup", "declined")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cause: unknown code 'aliens'; valid codes: ")
    assert "staff_quit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_classify_rejects_an_unknown_backup_listing_the_valid_codes(cli: Cli) -> None:
    result = cli("backup", "classify", "--cause", "staff_quit", "--backup", "maybe")
    assert result.exit_code == 1
    assert "error: backup:" in result.stderr
    assert "provided, unavailable, declined, not_offered" in result.stderr


def test_classify_without_a_cause_is_a_usage_error(cli: Cli) -> None:
    result = cli("backup", "classify", "--backup", "declined")
    assert result.exit_code == 2


def test_services_lists_the_seed_codes(cli: Cli) -> None:
    result = cli("backup", "services")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["code", "name", "unit", "verified"]
    assert "T2013TF" in result.stdout
    assert "H2015" in result.stdout


def test_services_search_by_code_prefix(cli: Cli) -> None:
    result = cli("backup", "services", "--search", "T2013")
    assert result.exit_code == 0
    codes = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert codes[0] == "T2013TF"
    assert all(c.startswith("T2013") for c in codes)


def test_services_search_by_name_words(cli: Cli) -> None:
    result = cli("backup", "services", "--search", "community")
    assert "Community Networking" in result.stdout
    assert "Respite" not in result.stdout


def test_services_on_a_date_leaves_out_codes_not_yet_in_effect(cli: Cli) -> None:
    result = cli("backup", "services", "--on", "2023-06-30")
    assert "H0045U4HA" in result.stdout
    assert "H0045HA " not in result.stdout


def test_services_with_a_bad_date_is_a_usage_error(cli: Cli) -> None:
    assert cli("backup", "services", "--on", "yesterday").exit_code == 2


def test_services_says_so_when_nothing_matches(cli: Cli) -> None:
    result = cli("backup", "services", "--search", "zzz")
    assert result.exit_code == 0
    assert "no matching services" in result.stdout


def test_reasons_lists_other_as_requiring_an_explanation(cli: Cli) -> None:
    result = cli("backup", "reasons")
    assert result.exit_code == 0
    other = next(line for line in result.stdout.splitlines() if line.startswith("other "))
    assert other.split()[-2:] == ["yes", "no"]
    assert "backup_staff_unavailable" in result.stdout
