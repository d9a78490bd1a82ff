"""RN on site 8 consecutive hours a day and the full-time DON, from punches."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import ConfigError, InputError
from carecover.pbj.timeclock.onsite import (
    DailyHours,
    OnsiteDay,
    Shift,
    onsite_from_timeclock,
    onsite_measures,
    onsite_rules,
)

TIMECLOCK = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "timeclock"
MONDAY = datetime(2026, 7, 6)


def at(day: int, hour: float) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour)


def rn(start: datetime, end: datetime, employee: str = "R1", job: int = 7) -> Shift:
    return Shift("F", employee, job, start, end)


def by_day(days: tuple[OnsiteDay, ...]) -> dict[date, OnsiteDay]:
    return {d.workdate: d for d in days}


def test_the_fixture_has_one_saturday_short_of_eight_consecutive_rn_hours() -> None:
    report = onsite_from_timeclock(TIMECLOCK / "onsite.csv")
    days = by_day(report.days)
    assert len(days) == 14
    assert [d.workdate for d in report.days if not d.rn_8h_consecutive] == [date(2026, 7, 11)]
    saturday = days[date(2026, 7, 11)]
    assert (saturday.longest_rn_stretch_hours, saturday.rn_onsite_hours) == (4.0, 7.0)
    assert saturday.first_rn_on == datetime(2026, 7, 11, 10, 0)
    assert saturday.last_rn_off == datetime(2026, 7, 11, 17, 30)
    assert report.days_short == 1
    assert (report.punch_rows, report.daily_rows) == (29, 1)


def test_the_don_is_full_time_the_first_week_and_short_the_second() -> None:
    report = onsite_from_timeclock(TIMECLOCK / "onsite.csv")
    weeks = [(w.week_start, w.don_hours, w.don_full_time) for w in report.weeks]
    # Week two: four 8-hour punch days and a 4-hour daily-hours row.
    assert weeks == [(date(2026, 7, 6), 40.0, True), (date(2026, 7, 13), 36.0, False)]
    assert report.weeks_don_short == 1


def test_back_to_back_shifts_of_different_rns_make_one_stretch() -> None:
    report = onsite_measures([rn(at(0, 7), at(0, 15)), rn(at(0, 15), at(0, 19), "R2")])
    [day] = report.days
    assert (day.longest_rn_stretch_hours, day.rn_8h_consecutive) == (12.0, True)


def test_a_gap_of_one_minute_breaks_the_stretch() -> None:
    report = onsite_measures([rn(at(0, 7), at(0, 11)), rn(at(0, 11 + 1 / 60), at(0, 16), "R2")])
    [day] = report.days
    assert day.rn_8h_consecutive is False
    assert round(day.longest_rn_stretch_hours, 4) == round(5 - 1 / 60, 4)


def test_exactly_eight_hours_is_enough() -> None:
    [day] = onsite_measures([rn(at(0, 8), at(0, 16))]).days
    assert day.rn_8h_consecutive is True


def test_a_night_shift_counts_on_each_day_for_its_part_inside_it() -> None:
    report = onsite_measures([rn(at(0, 22), at(1, 6))])
    assert [(d.workdate.day, d.longest_rn_stretch_hours) for d in report.days] == [
        (6, 2.0),
        (7, 6.0),
    ]


def test_with_a_seven_oclock_day_a_night_shift_is_one_stretch() -> None:
    rules = replace(onsite_rules(), day_starts=time(7, 0))
    report = onsite_measures([rn(at(0, 19), at(1, 7))], rules=rules)
    [day] = report.days
    assert (day.workdate, day.longest_rn_stretch_hours) == (date(2026, 7, 6), 12.0)
    assert day.first_rn_on == at(0, 19)


def test_the_don_counts_as_an_rn_unless_the_rules_say_otherwise() -> None:
    shifts = [rn(at(0, 7), at(0, 12)), rn(at(0, 12), at(0, 16), "D1", job=5)]
    assert onsite_measures(shifts).days[0].longest_rn_stretch_hours == 9.0
    rules = replace(onsite_rules(), rn_job_codes=frozenset({6, 7}))
    assert onsite_measures(shifts, rules=rules).days[0].longest_rn_stretch_hours == 5.0


def test_a_day_without_any_rn_is_listed_with_zero_hours() -> None:
    cna = Shift("F", "C1", 10, at(1, 6), at(1, 14))
    report = onsite_measures([rn(at(0, 7), at(0, 15)), cna, rn(at(2, 7), at(2, 15))])
    assert [(d.workdate.day, d.longest_rn_stretch_hours) for d in report.days] == [
        (6, 8.0),
        (7, 0.0),
        (8, 8.0),
    ]
    assert report.days[1].first_rn_on is None


def test_a_week_only_partly_in_the_data_is_not_judged() -> None:
    report = onsite_measures(
        [rn(at(2, 8), at(2, 16), "D1", job=5)],
        [DailyHours("F", "D1", 5, date(2026, 7, 10), 8.0)],
    )
    [week] = report.weeks
    assert (week.don_hours, week.complete, week.don_full_time) == (16.0, False, None)
    assert report.weeks_don_short == 0


def test_weeks_can_start_on_sunday() -> None:
    rules = replace(onsite_rules(), week_starts=6)
    shifts = [rn(at(d, 8), at(d, 16), "D1", job=5) for d in range(-1, 6)]
    [week] = onsite_measures(shifts, rules=rules).weeks
    assert (week.week_start, week.don_hours, week.don_full_time) == (date(2026, 7, 5), 56.0, True)


def test_timestamps_with_an_offset_are_read_as_wall_clock(tmp_path: Path) -> None:
    path = tmp_path / "tz.csv"
    path.write_text(
        "employee_id,job_title_code,pay_type_code,punch_in,punch_out\n"
        "R1,7,2,2026-07-06T07:00-04:00,2026-07-06T19:00Z\n"
    )
    [day] = onsite_from_timeclock(path).days
    assert (day.first_rn_on, day.last_rn_off) == (datetime(2026, 7, 6, 7), datetime(2026, 7, 6, 15))


def test_facility_id_keeps_that_facility_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "facility_id,employee_id,job_title_code,pay_type_code,punch_in,punch_out\n"
        "A,R1,7,2,2026-07-06T07:00,2026-07-06T11:00\n"
        ",R2,7,2,2026-07-06T11:00,2026-07-06T15:00\n"
        "B,R3,7,2,2026-07-06T07:00,2026-07-06T20:00\n"
    )
    only_a = onsite_from_timeclock(path, facility_id="A")
    assert [(d.facility_id, d.longest_rn_stretch_hours) for d in only_a.days] == [("A", 8.0)]
    assert only_a.rows_for_other_facilities == 1
    every = onsite_from_timeclock(path)
    assert sorted(d.facility_id for d in every.days) == ["", "A", "B"]


def test_a_file_without_punches_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no punch rows"):
        onsite_from_timeclock(TIMECLOCK / "daily_hours.csv")


def test_rules_come_from_a_file_and_a_bad_one_is_a_config_error(tmp_path: Path) -> None:
    shipped = onsite_rules()
    assert (shipped.rn_job_codes, shipped.don_full_time_hours) == (frozenset({5, 6, 7}), 40.0)
    custom = tmp_path / "rules.csv"
    text = Path(__file__).resolve().parents[3] / "src/carecover/data/pbj/onsite_rules.csv"
    custom.write_text(text.read_text().replace("week_starts,monday", "week_starts,sunday"))
    assert onsite_rules(custom).week_starts == 6
    custom.write_text(text.read_text().replace("rn_job_codes,5;6;7", "rn_job_codes,5;99"))
    with pytest.raises(ConfigError, match="rn_job_codes"):
        onsite_rules(custom)


# --- properties of the interval merging --------------------------------------------------

# One thread: these queries are tiny, and a thread pool only adds start-up cost per example.
CON = duckdb.connect(":memory:", config={"threads": 1})

minutes = st.integers(min_value=0, max_value=3 * 24 * 60)
lengths = st.integers(min_value=1, max_value=16 * 60)
shift_lists = st.lists(
    st.tuples(minutes, lengths, st.sampled_from([5, 6, 7])), min_size=1, max_size=8
)


def shifts_of(spec: list[tuple[int, int, int]], facility: str = "F") -> list[Shift]:
    return [
        Shift(
            facility, f"E{i}", job, MONDAY + timedelta(minutes=m), MONDAY + timedelta(minutes=m + n)
        )
        for i, (m, n, job) in enumerate(spec)
    ]


def oracle(spec: list[tuple[int, int, int]]) -> dict[date, float]:
    """Merge minute intervals by hand, cut them at midnight, keep each day's longest."""
    merged: list[list[int]] = []
    for start, length in sorted((m, n) for m, n, _ in spec):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], start + length)
        else:
            merged.append([start, start + length])
    best: dict[date, float] = {}
    for start, end in merged:
        day = start // 1440
        while day * 1440 < end:
            piece = min(end, (day + 1) * 1440) - max(start, day * 1440)
            key = (MONDAY + timedelta(days=day)).date()
            best[key] = max(best.get(key, 0.0), round(piece / 60, 6))
            day += 1
    return best


@settings(max_examples=30, deadline=None)
@given(shift_lists)
def test_the_longest_stretch_matches_a_hand_merge_and_never_exceeds_the_rn_hours(
    spec: list[tuple[int, int, int]],
) -> None:
    days = onsite_measures(shifts_of(spec), con=CON).days
    found = {d.workdate: round(d.longest_rn_stretch_hours, 6) for d in days}
    assert {d: h for d, h in found.items() if h} == oracle(spec)
    for day in days:
        assert day.longest_rn_stretch_hours <= day.rn_onsite_hours + 1e-9
        assert day.rn_onsite_hours <= day.rn_hours + 1e-9
        assert day.rn_onsite_hours <= 24 + 1e-9
        assert day.rn_8h_consecutive == (day.longest_rn_stretch_hours >= 8 - 1e-9)


@settings(max_examples=30, deadline=None)
@given(shift_lists, st.data(), st.randoms(use_true_random=False))
def test_splitting_shuffling_or_adding_an_aide_shift_changes_no_stretch(
    spec: list[tuple[int, int, int]], data: Any, rng: random.Random
) -> None:
    original = shifts_of(spec, "A")
    # B: one shift split in two back-to-back shifts of two employees.
    index = data.draw(st.integers(0, len(spec) - 1))
    minute, length, job = spec[index]
    cut = data.draw(st.integers(0, length))
    pieces = [(minute, cut, job), (minute + cut, length - cut, job)]
    split = shifts_of([*spec[:index], *[p for p in pieces if p[1]], *spec[index + 1 :]], "B")
    # C: the same punches in another order.
    shuffled = shifts_of(spec, "C")
    rng.shuffle(shuffled)
    # D: a nurse aide on site at any time.
    start, span = data.draw(minutes), data.draw(lengths)
    aide = Shift(
        "D", "CNA", 10, MONDAY + timedelta(minutes=start), MONDAY + timedelta(minutes=start + span)
    )
    days = onsite_measures(
        [*original, *split, *shuffled, *shifts_of(spec, "D"), aide], con=CON
    ).days
    found: dict[str, dict[date, float]] = {}
    for d in days:
        found.setdefault(d.facility_id, {})[d.workdate] = round(d.longest_rn_stretch_hours, 6)
    assert found["B"] == found["A"]
    assert found["C"] == found["A"]
    assert {d: h for d, h in found["D"].items() if h} == {d: h for d, h in found["A"].items() if h}
