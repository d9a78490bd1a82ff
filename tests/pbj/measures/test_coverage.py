"""RN coverage calendar: days without an RN and under 8 RN hours."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from carecover.pbj.measures.coverage import month_grid, rn_coverage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"


def test_it_lists_every_reported_day_with_its_flags() -> None:
    days = rn_coverage(FIXTURES / "rn_coverage.csv")
    assert len(days) == 10
    by_date = {d.workdate: d for d in days}
    saturday = by_date[date(2024, 4, 6)]
    assert (saturday.weekend, saturday.zero_rn, saturday.mark) == (True, True, "X")
    assert by_date[date(2024, 4, 7)].mark == "."  # only DON hours: an RN was there
    assert by_date[date(2024, 4, 8)].mark == "<"
    assert by_date[date(2024, 4, 9)].mark == "-"  # no residents
    assert by_date[date(2024, 4, 10)].mark == "-"  # RN hours not reported


def test_it_filters_by_facility() -> None:
    assert rn_coverage(FIXTURES / "rn_coverage.csv", facility="999999") == []


def test_the_month_grid_marks_weekends_and_days_without_an_rn() -> None:
    lines = month_grid(rn_coverage(FIXTURES / "rn_coverage.csv", quarter="2024Q2"))
    text = "\n".join(lines)
    assert lines[0] == ("015012: 1 day(s) without an RN (1 on weekends), 2 day(s) under 8 RN hours")
    assert "April 2024" in text
    assert "Sa*  Su*" in text
    assert "  1.   2.   3.   4.   5.   6X   7." in text
    assert "  8<   9-  10-" in text
