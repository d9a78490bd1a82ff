"""Punches split at midnight, summed, rounded after summing, capped per day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import ValidationError
from carecover.pbj.timeclock.shifts import (
    DayHours,
    WorkedTime,
    check_daily_cap,
    daily_cap,
    round_hours,
    split_at_midnight,
    sum_worked_time,
)

starts = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31))
spans = st.timedeltas(timedelta(seconds=1), timedelta(days=3))


def test_it_splits_a_night_shift_at_midnight() -> None:
    pieces = split_at_midnight(datetime(2026, 7, 1, 19), datetime(2026, 7, 2, 7, 30))
    assert pieces == [
        (date(2026, 7, 1), timedelta(hours=5)),
        (date(2026, 7, 2), timedelta(hours=7, minutes=30)),
    ]


def test_it_keeps_a_day_shift_whole() -> None:
    pieces = split_at_midnight(datetime(2026, 7, 1, 7), datetime(2026, 7, 1, 15))
    assert pieces == [(date(2026, 7, 1), timedelta(hours=8))]


def test_it_splits_at_midnight_in_the_punches_own_offset() -> None:
    eastern = timezone(timedelta(hours=-4))
    pieces = split_at_midnight(
        datetime(2026, 7, 1, 23, tzinfo=eastern), datetime(2026, 7, 2, 5, tzinfo=UTC)
    )
    # 05:00 UTC is 01:00 at -04:00: one hour each side of the local midnight.
    assert pieces == [
        (date(2026, 7, 1), timedelta(hours=1)),
        (date(2026, 7, 2), timedelta(hours=1)),
    ]


@given(starts, spans)
def test_splitting_preserves_the_total_time(start: datetime, span: timedelta) -> None:
    pieces = split_at_midnight(start, start + span)
    assert sum((p for _, p in pieces), timedelta()) == span


@given(starts, spans)
def test_no_piece_crosses_midnight(start: datetime, span: timedelta) -> None:
    cursor = start
    for day, piece in split_at_midnight(start, start + span):
        assert cursor.date() == day
        assert cursor + piece <= datetime.combine(day + timedelta(days=1), time(0))
        assert piece > timedelta(0)
        cursor += piece


def test_it_rejects_a_shift_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        split_at_midnight(datetime(2026, 7, 2), datetime(2026, 7, 1))


@pytest.mark.parametrize(
    ("hours", "rounded"),
    [
        (Fraction(1, 8), "0.13"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(1005, 1000), "1.01"),
        (Fraction(0), "0.00"),
    ],
)
def test_it_rounds_half_up_to_two_decimals(hours: Fraction, rounded: str) -> None:
    assert round_hours(hours) == Decimal(rounded)
    assert str(round_hours(hours)) == rounded


def _worked(hours: Fraction, day: date = date(2026, 7, 1), code: int = 7) -> WorkedTime:
    return WorkedTime("E1", day, code, 2, hours, 2)


def test_it_rounds_after_summing_not_before() -> None:
    # Three 20-minute punches are exactly one hour; rounding each first gives 0.99.
    entries = sum_worked_time([_worked(Fraction(1, 3))] * 3)
    assert [e.hours for e in entries] == [Decimal("1.00")]


def test_it_sums_per_employee_date_job_and_pay_type_in_file_order() -> None:
    entries = sum_worked_time(
        [
            _worked(Fraction(4), date(2026, 7, 2)),
            _worked(Fraction(2), code=10),
            _worked(Fraction(3)),
            WorkedTime("E1", date(2026, 7, 1), 7, 2, Fraction(1), 9),
        ]
    )
    assert [(e.day.day, e.job_title_code, e.hours, e.lines) for e in entries] == [
        (1, 7, Decimal("4.00"), (2, 9)),
        (1, 10, Decimal("2.00"), (2,)),
        (2, 7, Decimal("4.00"), (2,)),
    ]


def test_the_daily_cap_is_24_hours_before_22_march_2026_and_22_5_from_then() -> None:
    assert daily_cap(date(2026, 3, 21)) == Decimal("24.00")
    assert daily_cap(date(2026, 3, 22)) == Decimal("22.50")
    assert daily_cap(date(2016, 7, 1)) == Decimal("24.00")


def _day(hours: str, day: date, code: int = 7, line: int = 2) -> DayHours:
    return DayHours("E1", day, code, 2, Decimal(hours), (line,))


def test_it_allows_23_hours_on_a_day_before_the_4_10_cap() -> None:
    check_daily_cap([_day("23.00", date(2026, 3, 21))])


def test_it_refuses_more_than_22_5_hours_across_job_codes_from_22_march_2026() -> None:
    entries = [_day("16.00", date(2026, 3, 22), 7, 2), _day("6.51", date(2026, 3, 22), 6, 3)]
    with pytest.raises(ValidationError) as caught:
        check_daily_cap(entries, file="tc.csv")
    message = str(caught.value)
    assert "employee E1 on 2026-03-22: 22.51 hours" in message
    assert "daily cap of 22.50 (lines 2, 3)" in message
    assert caught.value.file == "tc.csv"


def test_it_allows_exactly_22_5_hours() -> None:
    check_daily_cap([_day("12.50", date(2026, 7, 1)), _day("10.00", date(2026, 7, 1), 6)])
