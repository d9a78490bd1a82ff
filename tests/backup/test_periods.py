from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.periods import (
    PeriodScheme,
    ReportingPeriod,
    parse_month,
    parse_quarter,
    quarter_bounds,
)
from carecover.errors import InputError

days = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))
schemes = st.one_of(
    st.builds(PeriodScheme.semi_monthly, grace_days=st.integers(0, 30)),
    st.builds(
        PeriodScheme.cycles,
        anchor=days,
        length_days=st.integers(1, 31),
        grace_days=st.integers(0, 30),
    ),
)


def test_it_cuts_the_month_at_the_15th_and_makes_reports_due_5_days_later() -> None:
    scheme = PeriodScheme.semi_monthly()
    assert scheme.period_for(date(2026, 10, 15)) == ReportingPeriod(
        date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 20)
    )
    assert scheme.period_for(date(2026, 10, 16)) == ReportingPeriod(
        date(2026, 10, 16), date(2026, 10, 31), date(2026, 11, 5)
    )


def test_it_ends_the_second_february_period_on_the_28th_or_29th() -> None:
    scheme = PeriodScheme.semi_monthly()
    assert scheme.period_for(date(2026, 2, 20)).end == date(2026, 2, 28)
    assert scheme.period_for(date(2028, 2, 20)).end == date(2028, 2, 29)
    assert scheme.period_for(date(2028, 2, 29)).due == date(2028, 3, 5)
    assert scheme.period_for(date(2026, 2, 28)).due == date(2026, 3, 5)


def test_it_labels_a_period_with_both_ends() -> None:
    period = PeriodScheme.semi_monthly().period_for(date(2026, 10, 3))
    assert period.label == "2026-10-01..2026-10-15"


def test_it_runs_14_day_cycles_backwards_from_the_anchor() -> None:
    scheme = PeriodScheme.cycles(date(2026, 1, 5))
    assert scheme.period_for(date(2026, 1, 4)) == ReportingPeriod(
        date(2025, 12, 22), date(2026, 1, 4), date(2026, 1, 9)
    )
    assert scheme.period_for(date(2026, 1, 18)).start == date(2026, 1, 5)
    assert scheme.period_for(date(2026, 1, 19)).start == date(2026, 1, 19)


@given(schemes, days)
def test_every_day_falls_in_its_own_period_and_reports_are_due_after_the_grace(
    scheme: PeriodScheme, day: date
) -> None:
    period = scheme.period_for(day)
    assert period.start <= day <= period.end
    assert period.due == period.end + timedelta(days=scheme.grace_days)
    # Asking with any other day of the same period gives the same period.
    assert scheme.period_for(period.start) == period
    assert scheme.period_for(period.end) == period


@given(schemes, days, st.integers(0, 120))
def test_periods_tile_the_calendar_without_gaps_or_overlaps(
    scheme: PeriodScheme, first: date, span: int
) -> None:
    last = min(first + timedelta(days=span), date(2199, 12, 31))
    periods = scheme.periods_between(first, last)
    assert periods[0].start <= first
    assert periods[-1].start <= last <= periods[-1].end
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    covered = sum((p.end - p.start).days + 1 for p in periods)
    assert covered == (periods[-1].end - periods[0].start).days + 1


@given(days)
def test_semi_monthly_periods_are_never_longer_than_16_days(day: date) -> None:
    period = PeriodScheme.semi_monthly().period_for(day)
    assert period.start.day in (1, 16)
    assert 13 <= (period.end - period.start).days + 1 <= 16
    assert (period.end + timedelta(days=1)).day in (1, 16)


def test_it_refuses_a_range_that_ends_before_it_starts() -> None:
    with pytest.raises(InputError, match="before it starts"):
        PeriodScheme.semi_monthly().periods_between(date(2026, 10, 2), date(2026, 10, 1))


def test_it_reads_a_month_and_a_quarter_or_a_month_inside_the_quarter() -> None:
    assert parse_month("2026-10") == date(2026, 10, 1)
    assert parse_quarter("2026Q4") == date(2026, 10, 1)
    assert parse_quarter("2026-q1") == date(2026, 1, 1)
    assert parse_quarter("2026-11") == date(2026, 10, 1)
    assert quarter_bounds(date(2026, 11, 5)) == (date(2026, 10, 1), date(2026, 12, 31))


@pytest.mark.parametrize("text", ["2026-13", "2026/10", "Oct 2026", "0000-01", "", "2026Q5"])
def test_it_rejects_a_period_it_cannot_read(text: str) -> None:
    with pytest.raises(InputError, match="--period"):
        parse_quarter(text)


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_month_inside_a_quarter_names_that_quarter(year: int, month: int) -> None:
    start = parse_quarter(f"{year:04d}-{month:02d}")
    assert start == parse_quarter(f"{year:04d}Q{(month - 1) // 3 + 1}")
    first, last = quarter_bounds(start)
    assert first <= date(year, month, 1) <= last
