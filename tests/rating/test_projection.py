"""Mid-quarter projection: days so far + schedule ahead, RN-day allowance, hours for a star."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method
from carecover.rating.projection import DayFigures, project
from carecover.rating.schedule import read_schedule
from tests.conftest import REPO

Q = Quarter.parse("2024Q2")
FIXTURES = REPO / "tests" / "fixtures" / "rating"
TURNOVER = {"total_turnover": 45.0, "rn_turnover": 40.0, "admin_departures": 1.0}


def days(
    first: date,
    last: date,
    *,
    rn: float = 24.0,
    total: float = 160.0,
    census: float = 40.0,
    no_rn: tuple[date, ...] = (),
) -> list[DayFigures]:
    out = []
    d = first
    while d <= last:
        out.append(DayFigures(d, census, 0.0 if d in no_rn else rn, total))
        d += timedelta(days=1)
    return out


def test_the_rest_of_the_quarter_repeats_the_days_so_far_when_there_is_no_schedule() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    p = project("Z1", Q, date(2024, 5, 15), so_far, method("2024-07"), **TURNOVER)
    assert (p.days_so_far, p.days_remaining, p.days_assumed) == (45, 46, 46)
    assert p.projected["rn"] == pytest.approx(24 / 40)
    assert p.projected["total"] == pytest.approx(4.0)


def test_days_without_an_rn_are_counted_against_the_allowance() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15), no_rn=(date(2024, 4, 7), date(2024, 4, 14)))
    plan = days(date(2024, 6, 1), date(2024, 6, 1), rn=0.0)
    p = project("Z1", Q, date(2024, 5, 15), so_far, method("2024-07"), schedule=plan, **TURNOVER)
    assert (p.zero_rn_days_so_far, p.zero_rn_days_scheduled) == (2, 1)
    assert p.zero_rn_days_left_before_one_star == 0
    # Three days is under the four of the rule: the figures still decide.
    assert p.card.decided_by == "points"


def test_four_days_without_an_rn_already_mean_one_star() -> None:
    no_rn = tuple(date(2024, 4, d) for d in (6, 7, 13, 14))
    so_far = days(date(2024, 4, 1), date(2024, 5, 15), no_rn=no_rn)
    p = project("Z1", Q, date(2024, 5, 15), so_far, method("2024-07"), **TURNOVER)
    assert p.card.staffing_rating == 1
    assert "4 or more days without an RN" in p.card.decided_by
    assert any("one star for the quarter" in n for n in p.notes)


def test_the_extra_rn_hours_found_do_reach_the_next_star_and_a_little_less_does_not() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15), rn=20.0, total=150.0)
    m = method("2024-07")
    p = project("Z1", Q, date(2024, 5, 15), so_far, m, **TURNOVER)
    extra = p.extra_rn_hours_per_day_for_next_star
    assert extra is not None
    assert extra > 0
    stars = p.card.figures_rating
    assert stars is not None

    def with_extra(x: float) -> int | None:
        plan = days(date(2024, 5, 16), date(2024, 6, 30), rn=20.0 + x, total=150.0 + x)
        return project(
            "Z1", Q, date(2024, 5, 15), so_far, m, schedule=plan, **TURNOVER
        ).card.figures_rating

    assert (with_extra(extra) or 0) > stars
    assert with_extra(max(0.0, extra - 0.05)) == stars


def test_a_five_star_facility_needs_no_extra_hours() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15), rn=60.0, total=240.0)
    p = project(
        "Z1",
        Q,
        date(2024, 5, 15),
        so_far,
        method("2024-07"),
        total_turnover=10.0,
        rn_turnover=10.0,
        admin_departures=0.0,
    )
    assert p.card.figures_rating == 5
    assert p.extra_rn_hours_per_day_for_next_star is None
    assert "already 5 stars" in p.to_text()


def test_the_weekend_gap_is_all_days_minus_weekend_hprd() -> None:
    so_far = [
        DayFigures(d.workdate, 40, 24, 120 if d.weekend else 170)
        for d in days(date(2024, 4, 1), date(2024, 5, 15))
    ]
    p = project("Z1", Q, date(2024, 5, 15), so_far, method("2024-07"), **TURNOVER)
    assert p.weekend_gap_hprd == pytest.approx(p.projected["total"] - p.projected["weekend_total"])
    assert p.weekend_gap_hprd > 0
    assert p.extra_weekend_hours_per_weekend_day_for_next_band is not None


def test_a_cmi_ratio_scales_the_adjusted_hprd() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    m = method("2024-07")
    average = project("Z1", Q, date(2024, 5, 15), so_far, m, **TURNOVER)
    sicker = project("Z1", Q, date(2024, 5, 15), so_far, m, cmi_ratio=1.2, **TURNOVER)
    assert sicker.adjusted["total"] == pytest.approx((average.adjusted["total"] or 0) / 1.2)


def test_as_of_outside_the_quarter_and_a_schedule_day_already_past_are_refused() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    m = method("2024-07")
    with pytest.raises(InputError, match="not in 2024Q2"):
        project("Z1", Q, date(2024, 7, 1), so_far, m)
    with pytest.raises(InputError, match="not a remaining day"):
        project(
            "Z1",
            Q,
            date(2024, 5, 15),
            so_far,
            m,
            schedule=days(date(2024, 5, 10), date(2024, 5, 10)),
        )
    with pytest.raises(InputError, match="no PBJ days"):
        project("Z1", Q, date(2024, 5, 15), [], m)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("cmi_ratio", float("nan"), "nan is out of range: expected a number from 0 to 10"),
        ("cmi_ratio", float("inf"), "inf is out of range"),
        ("cmi_ratio", -5.0, "-5 is out of range"),
        ("cmi_ratio", 0.0, "0 is not a case-mix ratio"),
        ("total_turnover", float("-inf"), "-inf is out of range: expected a number from 0 to 100"),
        ("total_turnover", 1e308, "1e+308 is out of range"),
        ("rn_turnover", -3.0, "-3 is out of range"),
        ("rn_turnover", float("nan"), "nan is out of range"),
        ("admin_departures", 2.5, "2.5 is out of range: expected a whole number from 0 to 100"),
        ("admin_departures", 1e300, "1e+300 is out of range"),
    ],
)
def test_a_bad_number_given_for_the_projection_is_refused_by_name(
    name: str, value: float, words: str
) -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    inputs = {**TURNOVER, name: value}
    with pytest.raises(InputError, match=re.escape(words)) as caught:
        project("Z1", Q, date(2024, 5, 15), so_far, method("2024-07"), **inputs)
    assert caught.value.field == name


def test_the_edges_of_each_projection_input_are_accepted() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    m = method("2024-07")
    for inputs in (
        {"cmi_ratio": 10.0, "total_turnover": 0.0, "rn_turnover": 100.0, "admin_departures": 0.0},
        {"cmi_ratio": 0.01, "total_turnover": 100.0, "rn_turnover": 0.0, "admin_departures": 100.0},
    ):
        assert project("Z1", Q, date(2024, 5, 15), so_far, m, **inputs).card.staffing_rating


@settings(max_examples=25, deadline=None)
@given(rn=st.floats(5, 60), more=st.floats(0, 30))
def test_more_scheduled_rn_hours_never_project_fewer_stars(rn: float, more: float) -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15), rn=rn, total=rn + 120)
    m = method("2024-07")
    a = project(
        "Z1",
        Q,
        date(2024, 5, 15),
        so_far,
        m,
        schedule=days(date(2024, 5, 16), date(2024, 6, 30), rn=rn, total=rn + 120),
        **TURNOVER,
    )
    b = project(
        "Z1",
        Q,
        date(2024, 5, 15),
        so_far,
        m,
        schedule=days(date(2024, 5, 16), date(2024, 6, 30), rn=rn + more, total=rn + more + 120),
        **TURNOVER,
    )
    assert (b.card.staffing_rating or 0) >= (a.card.staffing_rating or 0)


def test_a_schedule_csv_is_read_and_checked(tmp_path: Path) -> None:
    plan = read_schedule(FIXTURES / "schedule_Z00001.csv")
    assert len(plan) == 46
    assert plan[0].workdate == date(2024, 5, 16)
    assert sum(d.zero_rn for d in plan) == 1
    bad = tmp_path / "s.csv"
    for body, message in (
        ("date,census,rn_hours\n", "missing column"),
        (
            "date,census,rn_hours,total_hours\n2024-06-01,40,-1,100\n",
            ":2: rn_hours: must be 0 or more",
        ),
        ("date,census,rn_hours,total_hours\n2024-06-01,40,10,5\n", "total_hours must include"),
        ("date,census,rn_hours,total_hours\n06/01/2024,40,10,50\n", ":2: date: not a date"),
        (
            "date,census,rn_hours,total_hours\n2024-06-01,40,1,5\n2024-06-01,40,1,5\n",
            "planned twice",
        ),
        ("date,census,rn_hours,total_hours\n2024-06-01,inf,1,5\n", ":2: census: must be 0 or"),
        (
            "date,census,rn_hours,total_hours\n2024-06-01,1e308,1,5\n",
            r":2: census: implausible census 1e\+308 \(more than 2000 residents\)",
        ),
        (
            "date,census,rn_hours,total_hours\n2024-06-01,5000000,1,5\n",
            r"implausible census 5000000 \(more than 2000",
        ),
        (
            "date,census,rn_hours,total_hours\n2024-06-01,40,8,99999\n",
            r":2: total_hours: implausible hours 99999 in one day \(above 24 h x 40 resident\(s\)"
            r" \+ 240 h = 1200\)",
        ),
        (
            "date,census,rn_hours,total_hours,aide_hours\n2024-06-01,0,0,240,241\n",
            ":2: aide_hours: implausible hours 241",
        ),
    ):
        bad.write_text(body, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            read_schedule(bad)


def test_what_if_a_late_submission_or_a_failed_audit() -> None:
    so_far = days(date(2024, 4, 1), date(2024, 5, 15))
    m = method("2024-07")
    late = project(
        "Z1", Q, date(2024, 5, 15), so_far, m, submitted_on=date(2024, 8, 20), **TURNOVER
    )
    assert late.card.staffing_rating == 1
    on_time = project(
        "Z1", Q, date(2024, 5, 15), so_far, m, submitted_on=date(2024, 8, 14), **TURNOVER
    )
    assert on_time.card.decided_by == "points"
    audit = project("Z1", Q, date(2024, 5, 15), so_far, m, audit_failed=True, **TURNOVER)
    assert audit.card.decided_by == "one star: failed PBJ audit"
