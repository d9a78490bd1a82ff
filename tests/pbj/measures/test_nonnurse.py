"""Non-nurse HPRD (PT, OT, administrator...) from the non-nurse public file (issue 15 §6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.measures.nonnurse import categories, nonnurse_columns, nonnurse_rows
from tests.conftest import REPO, CliResult

NONNURSE = REPO / "tests" / "fixtures" / "pbj" / "nonnurse_2024Q2.csv"
Cli = Callable[..., CliResult]


def _two_days(tmp_path: Path) -> Path:
    """The fixture's day (census 40: 8 h admin, 6 h PT) and a second day (census 20: 4 h PT)."""
    lines = NONNURSE.read_text(encoding="utf-8").splitlines()
    second = lines[1].replace("20240401,40,8,8,0,,6,0,6", "20240402,20,,,,,4,4,0")
    path = tmp_path / "two.csv"
    path.write_text("\n".join([*lines, second]) + "\n", encoding="utf-8")
    return path


def test_pt_hprd_is_pt_hours_over_resident_days(tmp_path: Path) -> None:
    [row] = nonnurse_rows([_two_days(tmp_path)])
    assert (row["days_reported"], row["resident_days"]) == (2, 60)
    assert row["pt_hprd"] == pytest.approx((6 + 4) / 60)
    # An empty administrator cell adds 0 hours; the day's census stays.
    assert row["admin_hprd"] == pytest.approx(8 / 60)


def test_every_non_nurse_category_of_the_public_file_is_a_column() -> None:
    names = {c for c, _, _, _ in categories()}
    assert {"pt_hprd", "ot_hprd", "respther_hprd", "qualsocwrk_hprd", "mhsvc_hprd"} <= names
    assert len(names) == 24  # codes 1-4, 13-31 and 34 (§2.2)
    assert nonnurse_columns()[:4] == ["provnum", "quarter", "days_reported", "resident_days"]


def test_a_nurse_file_has_no_non_nurse_rows() -> None:
    nurse = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"
    assert nonnurse_rows([nurse]) == []


def test_a_bad_row_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = _two_days(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(",4,4,0", ",-4,4,0"), "utf-8")
    with pytest.raises(InputError, match=r"two\.csv"):
        nonnurse_rows([path])


def test_pbj_non_nurse_prints_the_hprd(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "non-nurse", _two_days(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["pt_hprd"] == 0.16667  # HPRD printed to 5 decimals, as pbj measures does
