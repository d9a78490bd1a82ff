"""Visits → interruptions: missed, partial, overnight, several gaps, backup, member-driven."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.classify import Backup, Cause
from carecover.backup.visits import (
    UNEXPLAINED,
    Visit,
    interruption_row,
    interruptions,
    summarise,
)

DAY = date(2026, 10, 6)


def at(hhmm: str, day: date = DAY) -> datetime:
    """A moment on ``day`` (``24:00`` is the next midnight)."""
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hours, minutes=minutes)


def visit(
    start: str,
    end: str,
    actual: tuple[str, str] | None = None,
    *,
    cause: Cause | None = Cause.STAFF_ILLNESS,
    backup: Backup | None = Backup.UNAVAILABLE,
    member: str = "900000001A",
    service: str = "T2013TF",
    day: date = DAY,
) -> Visit:
    """A scheduled visit on ``day``; an end at or before the start runs past midnight."""
    s, e = at(start, day), at(end, day)
    if e <= s:
        e += timedelta(days=1)
    a_start = a_end = None
    if actual is not None:
        a_start, a_end = at(actual[0], day), at(actual[1], day)
        if a_start < s - timedelta(hours=12):
            a_start += timedelta(days=1)
        if a_end <= a_start:
            a_end += timedelta(days=1)
    return Visit(
        provider_id="PRV001",
        member_medicaid_id=member,
        member_last_name="Jones",
        member_first_name="Ada",
        member_date_of_birth=date(1990, 4, 2),
        service_code=service,
        visit_date=day,
        scheduled_start=s,
        scheduled_end=e,
        actual_start=a_start,
        actual_end=a_end,
        worker_id="W1",
        cause=cause,
        backup=backup,
    )


def test_a_missed_visit_leaves_its_whole_window_without_staff() -> None:
    [row] = interruptions([visit("08:00", "12:00")])
    assert row.hours_without_staff == 4.0
    assert row.kind == "failure_to_provide_backup"
    assert row.report_required is True
    assert row.incident_date == DAY


def test_a_partly_delivered_visit_counts_only_the_uncovered_part() -> None:
    [row] = interruptions([visit("08:00", "12:00", ("09:30", "12:00"))])
    assert row.hours_without_staff == 1.5
    assert interruption_row(row)["gaps"] == "08:00-09:30"


def test_a_fully_delivered_visit_is_no_interruption_whatever_its_codes() -> None:
    assert interruptions([visit("08:00", "12:00", ("08:00", "12:00"))]) == []


def test_time_worked_outside_the_window_does_not_make_up_for_time_missed_inside() -> None:
    [row] = interruptions([visit("08:00", "12:00", ("10:00", "14:00"))])
    assert row.hours_without_staff == 2.0


def test_a_visit_covered_by_backup_staff_is_no_failure() -> None:
    assert interruptions([visit("08:00", "12:00", backup=Backup.PROVIDED)]) == []


def test_a_member_driven_cause_is_a_service_break_not_a_report() -> None:
    [row] = interruptions([visit("08:00", "12:00", cause=Cause.MEMBER_VACATION, backup=None)])
    assert row.kind == "service_break"
    assert row.report_required is False


def test_a_provider_closure_is_a_service_break() -> None:
    [row] = interruptions([visit("08:00", "12:00", cause=Cause.PROVIDER_WEATHER_CLOSURE)])
    assert row.kind == "service_break"


def test_backup_declined_is_trigger_two() -> None:
    [row] = interruptions([visit("08:00", "12:00", backup=Backup.DECLINED)])
    assert row.rule.startswith("J256 trigger 2")


def test_a_staff_cause_with_no_backup_code_is_read_as_not_offered() -> None:
    [row] = interruptions([visit("08:00", "12:00", cause=Cause.STAFF_QUIT, backup=None)])
    assert row.kind == "failure_to_provide_backup"
    assert row.rule.startswith("J256 trigger 1")


def test_a_shortfall_with_no_cause_is_listed_to_explain_not_guessed() -> None:
    [row] = interruptions([visit("08:00", "12:00", cause=None, backup=None)])
    assert row.kind == UNEXPLAINED
    assert row.report_required is None


def test_an_overnight_miss_is_split_at_midnight_by_incident_date() -> None:
    rows = interruptions([visit("22:00", "06:00")])
    assert [(r.incident_date, r.hours_without_staff) for r in rows] == [
        (DAY, 2.0),
        (DAY + timedelta(days=1), 6.0),
    ]
    assert interruption_row(rows[0])["gaps"] == "22:00-24:00"


def test_an_overnight_visit_clocked_in_after_midnight_is_short_only_before_it() -> None:
    rows = interruptions([visit("22:00", "06:00", ("01:00", "06:00"))])
    assert [(r.incident_date, r.hours_without_staff) for r in rows] == [
        (DAY, 2.0),
        (DAY + timedelta(days=1), 1.0),
    ]


def test_several_gaps_of_one_visit_add_up_on_one_row() -> None:
    segments = [
        visit("08:00", "16:00", ("08:00", "10:00")),
        visit("08:00", "16:00", ("12:00", "14:00"), cause=None, backup=None),
    ]
    [row] = interruptions(segments)
    assert row.hours_without_staff == 4.0
    assert interruption_row(row)["gaps"] == "10:00-12:00;14:00-16:00"
    assert row.cause is Cause.STAFF_ILLNESS


def test_gaps_of_two_visits_on_one_day_add_up() -> None:
    rows = interruptions([visit("08:00", "10:00"), visit("14:00", "17:00", ("15:00", "17:00"))])
    [row] = rows
    assert row.hours_without_staff == 3.0


def test_overlapping_schedules_never_count_an_hour_twice() -> None:
    rows = interruptions([visit("08:00", "12:00"), visit("10:00", "14:00", service="H2015")])
    assert sum(r.hours_without_staff for r in rows) == 6.0


def test_a_member_day_never_holds_more_than_24_hours() -> None:
    rows = interruptions(
        [
            visit("00:00", "00:00"),  # 24 hours
            visit("08:00", "20:00", service="H2015"),
            visit("22:00", "02:00", service="T2013"),
        ]
    )
    per_day: dict[date, float] = defaultdict(float)
    for r in rows:
        per_day[r.incident_date] += r.hours_without_staff
    assert per_day[DAY] == 24.0
    assert per_day[DAY + timedelta(days=1)] == 2.0


def test_staff_present_under_another_visit_of_the_member_are_not_a_gap() -> None:
    rows = interruptions(
        [visit("08:00", "12:00"), visit("08:00", "12:00", ("08:00", "10:00"), service="H2015")]
    )
    assert sum(r.hours_without_staff for r in rows) == 2.0


def test_a_break_and_a_failure_on_one_day_are_two_rows() -> None:
    rows = interruptions(
        [visit("08:00", "10:00"), visit("14:00", "16:00", cause=Cause.MEMBER_ILLNESS)]
    )
    assert sorted(r.kind for r in rows) == ["failure_to_provide_backup", "service_break"]


def test_gaps_shorter_than_the_minimum_are_ignored_when_asked() -> None:
    late = visit("08:00", "12:00", ("08:10", "12:00"))
    assert interruptions([late], min_gap_minutes=15) == []
    [row] = interruptions([late])
    assert row.hours_without_staff == round(10 / 60, 2)


def test_the_summary_counts_visits_failures_breaks_and_the_unexplained() -> None:
    visits = [
        visit("08:00", "12:00"),
        visit("08:00", "12:00", day=DAY + timedelta(days=1), cause=Cause.MEMBER_HOLIDAY),
        visit("08:00", "12:00", day=DAY + timedelta(days=2), cause=None, backup=None),
        visit("08:00", "12:00", ("08:00", "12:00"), day=DAY + timedelta(days=3)),
    ]
    s = summarise(visits, interruptions(visits))
    assert (s.visits, s.failures, s.service_breaks, s.unexplained) == (4, 1, 1, 1)
    assert (s.hours_failures, s.hours_breaks) == (4.0, 4.0)


minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def visits_of_one_member(draw: st.DrawFn) -> list[Visit]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        start = draw(minutes)
        length = draw(st.integers(min_value=1, max_value=24 * 60))
        s = datetime.combine(DAY, datetime.min.time()) + timedelta(minutes=start)
        e = s + timedelta(minutes=length)
        actual = None
        if draw(st.booleans()):
            a = s + timedelta(minutes=draw(st.integers(min_value=-120, max_value=length)))
            actual = (a, a + timedelta(minutes=draw(st.integers(min_value=1, max_value=600))))
        out.append(
            Visit(
                "PRV001",
                "900000001A",
                "Jones",
                "Ada",
                None,
                draw(st.sampled_from(["T2013TF", "H2015"])),
                DAY,
                s,
                e,
                actual[0] if actual else None,
                actual[1] if actual else None,
                "W1",
                draw(st.sampled_from([Cause.STAFF_ILLNESS, Cause.MEMBER_VACATION, None])),
                Backup.UNAVAILABLE,
            )
        )
    return out


@given(visits_of_one_member())
def test_hours_never_exceed_the_window_nor_24_per_member_day(visits: list[Visit]) -> None:
    rows = interruptions(visits)
    delivered = [(v.actual_start, v.actual_end) for v in visits if v.actual_start and v.actual_end]
    per_day: dict[date, float] = defaultdict(float)
    for r in rows:
        per_day[r.incident_date] += r.hours_without_staff
        window = sum((e - s).total_seconds() for s, e in r.scheduled) / 3600
        assert r.hours_without_staff <= window + 0.005  # rounded to 2 decimals
        assert r.hours_without_staff > 0
    assert all(hours <= 24.0 + 0.01 for hours in per_day.values())
    # Every minute counted lies inside a scheduled window and outside every delivered segment.
    for r in rows:
        for gs, ge in r.gaps:
            moment = gs
            while moment < ge:
                assert any(s <= moment < e for s, e in r.scheduled)
                assert not any(s <= moment < e for s, e in delivered)
                moment += timedelta(minutes=1)
