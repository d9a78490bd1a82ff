"""``carecover pbj validate``: reports, exit statuses and hostile input."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

XML = Path(__file__).resolve().parent.parent / "fixtures" / "pbj" / "xml"
Cli = Callable[..., CliResult]
ON = ("--submitted-on", "2026-07-20")


def test_it_exits_0_for_a_valid_file(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "valid.xml", *ON)
    assert result.exit_code == 0
    assert "Status: ACCEPTED" in result.stdout


def test_it_exits_0_when_there_are_only_warnings(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "duplicate_work_day.xml", *ON, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["status"] == "accepted"
    assert [f["severity"] for f in data["findings"]] == ["warning"]


def test_it_exits_1_and_reports_json_for_a_rejected_file(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "hours_negative.xml", *ON, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "rejected"
    assert {"edit", "severity", "message", "line"} <= set(data["findings"][0])


def test_it_writes_an_html_report(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "valid.xml", *ON, "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_it_rejects_a_truncated_file_with_a_clear_message(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "truncated.xml", *ON)
    assert result.exit_code == 1
    assert "CC-01" in result.stdout
    assert "line" in result.stdout


def test_it_rejects_a_file_in_the_wrong_encoding(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "wrong_encoding.xml", *ON)
    assert result.exit_code == 1
    assert "encoding" in result.stdout


def test_it_refuses_an_entity_bomb_without_expanding_it(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "billion_laughs.xml", *ON)
    assert result.exit_code == 1
    assert "DOCTYPE" in result.stdout
    assert "lollol" not in result.stdout


def test_it_never_reads_a_file_named_by_an_external_entity(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "external_entity.xml", *ON, "--format", "json")
    assert result.exit_code == 1
    assert "root:" not in result.stdout


def test_it_refuses_a_2_gb_file_before_parsing(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "huge.xml"
    with big.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(2 * 1024**3 + 1)
    result = cli("pbj", "validate", big)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "over the limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_rejects_negative_hours_with_the_cms_edit(cli: Cli) -> None:
    result = cli("pbj", "validate", XML / "hours_negative.xml", *ON)
    assert result.exit_code == 1
    assert "-3679" in result.stdout
    assert "negative" in result.stdout


def test_it_refuses_a_zip_bomb(cli: Cli, tmp_path: Path) -> None:
    upload = tmp_path / "bomb.zip"
    with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b" " * (10 * 1024 * 1024))
    result = cli("pbj", "validate", upload)
    assert result.exit_code == 1
    assert "zip bomb" in result.stderr


def test_it_validates_a_zip_upload(cli: Cli, tmp_path: Path) -> None:
    upload = tmp_path / "q3.zip"
    with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(XML / "valid.xml", "valid.xml")
    result = cli("pbj", "validate", upload, *ON, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["name"] == "q3.zip!valid.xml"


def test_it_says_when_the_file_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "validate", tmp_path / "missing.xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


def test_it_exits_2_for_a_bad_date_or_format(cli: Cli) -> None:
    assert cli("pbj", "validate", XML / "valid.xml", "--submitted-on", "July").exit_code == 2
    assert cli("pbj", "validate", XML / "valid.xml", "--format", "pdf").exit_code == 2
