"""Synthetic backup data passes every rule a real file must pass (the demo validates it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carecover.backup.reading import check_reports
from carecover.backup.synth import synth_backup_data
from carecover.backup.writing import write_reports_csv
from carecover.errors import InputError


@pytest.mark.parametrize("seed", [2026, 7])
def test_synthetic_reports_are_all_valid(tmp_path: Path, seed: int) -> None:
    today = date(2026, 11, 23)
    data = synth_backup_data(first=date(2026, 6, 1), last=today, seed=seed)
    path = tmp_path / "reports.csv"
    write_reports_csv(data.reports, path)
    result = check_reports(path, today=today)
    assert result.records == len(data.reports) > 50
    assert result.problems == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("members", 0), ("members", 20_001), ("agencies", 0), ("agencies", 10**8), ("eors", -1)],
)
def test_a_world_larger_than_any_mco_serves_is_refused_at_once(name: str, value: int) -> None:
    with pytest.raises(InputError, match=f"{name} must be between") as caught:
        synth_backup_data(first=date(2026, 6, 1), last=date(2026, 6, 30), **{name: value})
    assert caught.value.field == f"--{name}"
