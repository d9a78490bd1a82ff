"""benchmarks/pbj_national_parts.py times every part it names, on a real public file."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.pbj_national_parts import ROUNDS, parts


def test_every_part_is_timed_in_every_round_with_a_fresh_compile(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARECOVER_CACHE_DIR", str(tmp_path / "cache"))
    source = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    found = parts([str(source)])
    assert set(found["queries"]) == {"reference", "unchecked", "checked", "printed"}
    for times in found["queries"].values():
        assert len(times) == ROUNDS
        assert all(t > 0 for t in times)
    assert found["compile"] > 0
    # The first part compiled the measures into the empty cache.
    assert any((tmp_path / "cache").iterdir())
