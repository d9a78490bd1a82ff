"""Synthetic MDS extracts: valid, deterministic, realistic, with identity errors on demand."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.mds import connect, daily_census, load_files
from carecover.mds.synth import synth_mds

Q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}


def test_it_writes_records_that_all_pass_validation(tmp_path: Path) -> None:
    out = tmp_path / "mds.csv"
    summary = synth_mds(out, facilities=3, seed=1, **Q1)
    con = connect(None)
    (result,) = load_files(con, [out])
    assert (result.loaded, result.quarantined) == (summary.records, 0)
    kinds = {r[0] for r in con.execute("SELECT DISTINCT a0310f FROM mds_assessments").fetchall()}
    assert kinds == {"01", "10", "11", "12", "99"}
    census = daily_census(con, **Q1)
    assert {r.facility for r in census} == {"100000", "100001", "100002"}
    assert all(r.census > 0 for r in census)


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synth_mds(a, facilities=2, seed=7, **Q1)
    synth_mds(b, facilities=2, seed=7, **Q1)
    synth_mds(c, facilities=2, seed=8, **Q1)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_it_draws_census_sizes_from_the_national_summary(tmp_path: Path, shared: Path) -> None:
    ref = shared / "data" / "reference" / "national_facility_quarter_summary_CY2025Q1-CY2026Q1.csv"
    summary = synth_mds(tmp_path / "m.csv", facilities=2, seed=1, reference=ref, **Q1)
    assert summary.records > 0


def test_it_plants_identity_errors_at_the_requested_rate(tmp_path: Path) -> None:
    clean, dirty = tmp_path / "clean.csv", tmp_path / "dirty.csv"
    synth_mds(clean, facilities=2, seed=3, **Q1)
    synth_mds(dirty, facilities=2, seed=3, duplicate_rate=0.5, **Q1)
    with clean.open() as f1, dirty.open() as f2:
        pairs = list(zip(csv.DictReader(f1), csv.DictReader(f2), strict=True))
    items = ("A0500A", "A0500C", "A0900", "A0600A")
    changed = [p for p in pairs if any(p[0][i] != p[1][i] for i in items)]
    assert 0.3 * len(pairs) < len(changed) < 0.5 * len(pairs)
    assert any(a["A0500A"] == b["A0500C"] and a["A0500C"] == b["A0500A"] for a, b in changed)
    assert any(b["A0600A"] == "" for _, b in changed)
    assert any(a["A0900"][4:6] == b["A0900"][6:8] != a["A0900"][6:8] for a, b in changed)


@pytest.mark.parametrize("facilities", [0, -1, 100_000, 10**12])
def test_a_facility_count_outside_1_to_99999_is_refused_before_any_work(
    tmp_path: Path, facilities: int
) -> None:
    out = tmp_path / "mds.csv"
    with pytest.raises(InputError, match="between 1 and 99999"):
        synth_mds(out, facilities=facilities, **Q1)
    assert list(tmp_path.iterdir()) == []


def test_a_negative_seed_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the seed must be 0 or more, not -1") as caught:
        synth_mds(tmp_path / "mds.csv", facilities=1, seed=-1, **Q1)
    assert caught.value.field == "--seed"
