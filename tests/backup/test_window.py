from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.window import window_hours

clock = st.times().map(lambda t: t.replace(microsecond=0))


def test_it_counts_a_daytime_window_in_hours() -> None:
    assert window_hours(time(9, 0), time(17, 30)) == 8.5


def test_it_counts_a_window_that_crosses_midnight() -> None:
    assert window_hours(time(22, 0), time(6, 0)) == 8.0


def test_it_treats_equal_start_and_end_as_a_full_day() -> None:
    assert window_hours(time(7, 0), time(7, 0)) == 24.0


def test_it_counts_a_window_ending_at_midnight() -> None:
    assert window_hours(time(18, 0), time(0, 0)) == 6.0


@given(clock, clock)
def test_it_always_gives_more_than_zero_and_at_most_24_hours(start: time, end: time) -> None:
    assert 0 < window_hours(start, end) <= 24


@given(clock, clock)
def test_it_crosses_midnight_exactly_when_the_end_is_not_after_the_start(
    start: time, end: time
) -> None:
    crosses = end <= start
    same_day = (end.hour * 3600 + end.minute * 60 + end.second) - (
        start.hour * 3600 + start.minute * 60 + start.second
    )
    expected = (same_day + 86400 if crosses else same_day) / 3600
    assert window_hours(start, end) == pytest.approx(expected)


@given(clock, clock)
def test_it_splits_a_day_into_a_window_and_its_complement(start: time, end: time) -> None:
    if start != end:
        assert window_hours(start, end) + window_hours(end, start) == pytest.approx(24)
