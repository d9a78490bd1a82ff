"""``synth employee-detail``: quarters written with one seed are one staffing history."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from carecover.engines import connect
from carecover.pbj.calendar import Quarter
from carecover.pbj.employees.detail import read_employee_detail
from carecover.pbj.employees.synth import synthesize_employee_detail
from carecover.rating.methods import method
from carecover.rating.turnover import turnover_expression, turnover_figures

LAST = Quarter.parse("2024Q2")


def quarters(last: Quarter, n: int) -> list[Quarter]:
    found = [last]
    while len(found) < n:
        found.insert(0, found[0].previous())
    return found


def written(tmp_path: Path, facilities: int, n: int) -> list[Path]:
    paths = []
    for quarter in quarters(LAST, n):
        path = tmp_path / f"employees_{quarter}.csv"
        synthesize_employee_detail(path, facilities=facilities, quarter=quarter)
        paths.append(path)
    return paths


def employee_days(path: Path) -> dict[str, list[str]]:
    """Each employee id's work dates (``YYYYMMDD``), in file order."""
    days: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            days[row["SYS_EMPLYEE_ID"]].append(row["WorkDate"])
    return days


def test_an_employee_carries_on_into_the_next_quarter_until_the_term_ends(
    tmp_path: Path,
) -> None:
    first, second = (employee_days(p) for p in written(tmp_path, 4, 2))
    # A term is a year or more: most of one quarter's staff are there the next.
    stayed = first.keys() & second.keys()
    assert len(stayed) >= 0.7 * len(first)
    # Some leave and are replaced, by new ids.
    assert first.keys() - second.keys()
    assert second.keys() - first.keys()
    # A place's terms follow one another: an id that left never comes back, and
    # a newcomer's first day is after the place's last holder stopped.
    left = first.keys() - second.keys()
    assert not left & second.keys()
    for employee in left:
        place, _, term = employee.rpartition("-")
        successor = f"{place}-{int(term) + 1}"
        if successor in first:
            assert min(first[successor]) > max(first[employee])


def test_six_quarters_give_about_half_the_nurse_staff_leaving_in_a_year(
    tmp_path: Path,
) -> None:
    rule = method("2024-07").turnover
    assert rule is not None
    rows = read_employee_detail(written(tmp_path, 30, 6))
    engine = connect("duckdb")
    try:
        figures = turnover_figures(
            engine.to_rows(turnover_expression(engine.from_arrow(rows), LAST, rule))
        )
    finally:
        engine.close()
    assert len(figures) == 30
    assert all(f.nurse_eligible > 0 for f in figures)
    eligible = sum(f.nurse_eligible for f in figures)
    departures = sum(f.nurse_departures for f in figures)
    assert 0.35 <= departures / eligible <= 0.70
    rn = sum(f.rn_departures for f in figures) / sum(f.rn_eligible for f in figures)
    assert 0.25 <= rn <= 0.75
    # One administrator a facility, on longer terms: some leave, most stay.
    admins = sum(f.admin_departures or 0 for f in figures)
    assert 0 < admins < 20


@pytest.mark.parametrize("facilities", [1, 3])
def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(
    tmp_path: Path, facilities: int
) -> None:
    a, b, c = (tmp_path / name for name in ("a.csv", "b.csv", "c.csv"))
    synthesize_employee_detail(a, facilities=facilities, quarter=LAST)
    synthesize_employee_detail(b, facilities=facilities, quarter=LAST)
    synthesize_employee_detail(c, facilities=facilities, quarter=LAST, seed=1)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
