"""Synthetic visits: the demo's members, every coverage pattern, readable by the generic layout."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from carecover.backup.synth import synth_backup_data
from carecover.backup.synth_visits import synth_visits
from carecover.backup.visit_layout import FIELDS, read_visits
from carecover.backup.visits import interruptions

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def test_a_month_of_visits_has_missed_partial_covered_and_cancelled_visits(
    tmp_path: Path,
) -> None:
    rows = synth_visits(first=FIRST, last=LAST, members=40, seed=7)
    path = tmp_path / "visits.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    visits = read_visits(path)
    assert len(visits) == len(rows) > 400
    missed = [v for v in visits if v.actual_start is None]
    assert any(v.cause and v.cause.value.startswith("staff_") for v in missed)
    assert any(v.cause and v.cause.value.startswith("member_") for v in missed)
    assert any(v.backup and v.backup.value == "provided" for v in visits)
    found = interruptions(visits)
    kinds = {r.kind for r in found}
    assert kinds == {"failure_to_provide_backup", "service_break"}
    assert any(r.hours_without_staff < 3 for r in found)  # a partly delivered visit


def test_the_visits_belong_to_the_synthetic_members_of_the_same_seed() -> None:
    world = synth_backup_data(first=FIRST, last=LAST, agencies=2, eors=2, members=40, seed=7)
    ids = {m.medicaid_id for m in world.members}
    rows = synth_visits(first=FIRST, last=LAST, members=40, seed=7)
    assert {r["member_medicaid_id"] for r in rows} <= ids
    assert rows == synth_visits(first=FIRST, last=LAST, members=40, seed=7)
