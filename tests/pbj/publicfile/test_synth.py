"""Synthetic public-file rows: realistic, loadable, deterministic."""

from __future__ import annotations

import hashlib
import statistics
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.publicfile.synth import synthesize_puf


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_writes_every_day_of_the_quarter_for_every_facility(tmp_path: Path) -> None:
    out = tmp_path / "puf.csv"
    result = synthesize_puf(out, facilities=40, quarter="2024Q2", seed=3)
    assert (result.rows, result.quarter) == (40 * 91, "2024Q2")
    assert len(out.read_text().splitlines()) == 40 * 91 + 1


def test_the_same_seed_gives_the_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synthesize_puf(a, facilities=20, quarter="2025Q1", seed=7)
    synthesize_puf(b, facilities=20, quarter="2025Q1", seed=7)
    synthesize_puf(c, facilities=20, quarter="2025Q1", seed=8)
    assert digest(a) == digest(b)
    assert digest(a) != digest(c)


def test_synthetic_rows_load_and_have_national_looking_measures(tmp_path: Path) -> None:
    out = tmp_path / "puf.csv"
    synthesize_puf(out, facilities=200, quarter="2024Q2", seed=1)
    rows = to_rows(quarterly_measures(out))
    assert len(rows) == 200
    assert all(r["provnum"].startswith("S") and len(r["provnum"]) == 6 for r in rows)
    total = statistics.median(r["total_hprd"] for r in rows)
    rn = statistics.median(r["rn_hprd"] for r in rows)
    weekend = statistics.median(r["weekend_total_hprd"] for r in rows)
    assert 3.0 < total < 4.5
    assert 0.3 < rn < 1.1
    assert weekend < total


def test_it_can_draw_from_the_full_national_summary(tmp_path: Path, shared: Path) -> None:
    summary = shared / "data/reference/national_facility_quarter_summary_CY2025Q1-CY2026Q1.csv"
    result = synthesize_puf(tmp_path / "p.csv", facilities=5, quarter="2024Q4", summary=summary)
    assert result.rows == 5 * 92


def test_it_rejects_a_missing_summary_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        synthesize_puf(tmp_path / "p.csv", facilities=5, quarter="2024Q4", summary=tmp_path / "x")
