from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
REPORTS = str(Path(__file__).resolve().parent.parent / "fixtures" / "backup" / "rollup_reports.csv")


def test_export_writes_alliances_spreadsheet_for_the_providers_period(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "alliance.xlsx"
    result = cli("backup", "export", REPORTS, "--mco", "alliance", "--period", "2026-09-10",
                 "--provider", "P100", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Provider Name"
    assert rows[1][0] == "Sunrise Supports"


def test_export_to_an_unknown_mco_is_one_error_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("backup", "export", REPORTS, "--mco", "nosuch", "--period", "2026-09-10",
                 "--provider", "P100", "-o", str(tmp_path / "x.csv"))  # fmt: skip
    assert result.exit_code == 1
    assert "no export layout" in result.stderr
