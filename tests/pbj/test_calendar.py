"""PBJ quarters: calendar vs federal fiscal quarters, the 45-day deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter

quarters = st.builds(Quarter, st.integers(1900, 2200), st.integers(1, 4))
days = st.dates(date(1900, 1, 1), date(2200, 12, 31))


def test_it_parses_a_calendar_quarter() -> None:
    q = Quarter.parse("2024Q2")
    assert (q.year, q.quarter) == (2024, 2)
    assert (q.start, q.end, q.days) == (date(2024, 4, 1), date(2024, 6, 30), 91)
    assert str(q) == "2024Q2"
    assert Quarter.parse("CY2024Q2") == q


@pytest.mark.parametrize("text", ["2024Q5", "2024", "Q2 2024", "", "24Q1"])
def test_it_rejects_text_that_is_not_a_quarter(text: str) -> None:
    with pytest.raises(InputError, match="not a quarter"):
        Quarter.parse(text)


@pytest.mark.parametrize(
    ("label", "fiscal_year", "report_quarter", "deadline"),
    [
        ("2024Q4", 2025, 1, date(2025, 2, 14)),
        ("2025Q1", 2025, 2, date(2025, 5, 15)),
        ("2025Q2", 2025, 3, date(2025, 8, 14)),
        ("2025Q3", 2025, 4, date(2025, 11, 14)),
    ],
)
def test_it_labels_october_to_december_as_report_quarter_one_of_the_next_fiscal_year(
    label: str, fiscal_year: int, report_quarter: int, deadline: date
) -> None:
    q = Quarter.parse(label)
    assert (q.fiscal_year, q.report_quarter, q.deadline) == (fiscal_year, report_quarter, deadline)


def test_it_counts_down_to_the_deadline_and_goes_negative_after_it() -> None:
    q = Quarter.parse("2024Q2")
    assert q.countdown(date(2024, 8, 1)) == 13
    assert q.countdown(date(2024, 8, 14)) == 0
    assert q.countdown(date(2024, 8, 15)) == -1


@given(quarters)
def test_fiscal_labels_round_trip(q: Quarter) -> None:
    assert Quarter.from_fiscal(q.fiscal_year, q.report_quarter) == q


@given(days)
def test_every_day_falls_in_the_quarter_that_contains_it(day: date) -> None:
    q = Quarter.containing(day)
    assert q.start <= day <= q.end
    assert q.contains(day)
    assert str(Quarter.parse(str(q))) == str(q)


@given(days)
def test_the_fiscal_year_is_the_calendar_year_plus_one_from_october(day: date) -> None:
    q = Quarter.containing(day)
    assert q.fiscal_year == (day.year + 1 if day.month >= 10 else day.year)
    assert q.report_quarter == {1: 2, 2: 3, 3: 4, 4: 1}[q.quarter]


@given(quarters)
def test_quarters_tile_the_calendar(q: Quarter) -> None:
    assert q.next().start == q.end + timedelta(days=1)
    assert q.next().previous() == q
    assert q.days in (90, 91, 92)
    assert q.deadline == q.end + timedelta(days=45)
    assert q.countdown(q.deadline) == 0


def test_the_last_quarter_is_due_until_its_deadline_then_the_current_one() -> None:
    assert Quarter.next_due(date(2026, 11, 14)) == Quarter(2026, 3)
    assert Quarter.next_due(date(2026, 11, 15)) == Quarter(2026, 4)
    assert Quarter.next_due(date(2026, 10, 1)) == Quarter(2026, 3)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_the_quarter_due_next_is_never_overdue_and_never_further_than_one_quarter(
    today: date,
) -> None:
    due = Quarter.next_due(today)
    assert due.countdown(today) >= 0
    assert due in (Quarter.containing(today), Quarter.containing(today).previous())
