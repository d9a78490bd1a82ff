"""Scoring: points and levels, rescaling, missing measures, overrides (vectorised)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.pbj.calendar import Quarter
from carecover.rating.measures import FacilityMeasures, late_submission
from carecover.rating.methods import method
from carecover.rating.scoring import rate

GOOD = {
    "adjusted_rn": 1.317,
    "adjusted_total": 4.35288,
    "adjusted_weekend_total": 3.39425,
    "total_turnover": 39.0,
    "rn_turnover": 18.2,
    "admin_departures": 3,
}


def one(name: str = "2024-07", **changes: object) -> tuple[float, float, float, str]:
    values = GOOD | changes
    r = rate(FacilityMeasures.one("X00001", **values), method(name))
    return (
        float(r.staffing_rating[0]),
        float(r.rn_staffing_rating[0]),
        float(r.points[0]),
        str(r.decided_by[0]),
    )


def test_points_add_up_on_380_and_map_to_stars() -> None:
    stars, rn_stars, points, decided = one()
    assert (stars, points, decided) == (4, 310, "points")
    assert math.isnan(rn_stars)


def test_values_are_rounded_to_three_decimals_before_the_bands() -> None:
    # 4.1505 rounds to 4.151, the 80-point bound; 4.1504 rounds to 4.150 (70).
    assert one(adjusted_total=4.1505)[2] == 310
    assert one(adjusted_total=4.1504)[2] == 300


def test_a_measure_that_cannot_be_computed_is_dropped_and_the_score_rescaled() -> None:
    _, _, points, _ = one("2024-07", adjusted_weekend_total=None)
    assert points == pytest.approx((310 - 30) * 380 / 330)


def test_in_2022_missing_turnover_is_dropped_and_rescaled() -> None:
    stars, _, points, _ = one("2022-07", total_turnover=None, rn_turnover=None)
    assert points == pytest.approx((310 - 40 - 50) * 380 / 280)
    assert stars == 4


def test_in_2024_missing_total_turnover_gives_lowest_points_on_both_nurse_turnovers() -> None:
    stars, _, points, _ = one("2024-07", total_turnover=None, rn_turnover=None)
    assert (points, stars) == (310 - 40 - 50 + 5 + 5, 3)


def test_in_2024_missing_rn_turnover_alone_is_dropped() -> None:
    _, _, points, _ = one("2024-07", rn_turnover=None)
    assert points == pytest.approx((310 - 50) * 380 / 330)


def test_in_2024_missing_administrator_departures_gets_the_lowest_points() -> None:
    assert one("2024-07", admin_departures=None)[2] == 310


def test_a_footnote_can_drop_a_turnover_measure_that_would_get_lowest_points() -> None:
    r = rate(
        FacilityMeasures.one(
            "X", **(GOOD | {"admin_departures": None}), policy={"administrator_departures": "drop"}
        ),
        method("2024-07"),
    )
    assert r.points[0] == pytest.approx(300 * 380 / 350)


@pytest.mark.parametrize(
    ("name", "days", "one_star"),
    [
        ("2018-04", 6, False),
        ("2018-04", 7, True),
        ("2019-04", 4, True),
        ("2019-04", 3, False),
        ("2024-07", 4, True),
    ],
)
def test_days_without_an_rn_give_one_star_from_the_versions_threshold(
    name: str, days: int, one_star: bool
) -> None:
    stars, _, _, decided = one(name, zero_rn_days=days)
    assert (stars == 1) is one_star
    assert ("without an RN" in decided) is one_star


def test_a_late_submission_and_a_failed_audit_give_one_star() -> None:
    assert one(submitted_late=True)[::3] == (1, "one star: PBJ submitted late or not at all")
    assert one(audit_failed=True)[::3] == (1, "one star: failed PBJ audit")


def test_implausible_values_give_no_rating() -> None:
    stars, _, _, decided = one(reported={"total": 12.5})
    assert math.isnan(stars)
    assert decided.startswith("implausible values")
    assert math.isnan(one(reported={"aide": 5.3})[0])
    assert one(reported={"total": 11.9, "aide": 5.2})[0] == 4


def test_a_one_star_override_wins_over_implausible_values() -> None:
    assert one(reported={"total": 0.0}, submitted_late=True)[0] == 1


def test_no_staffing_level_measures_give_no_rating() -> None:
    stars, _, _, decided = one(adjusted_rn=None, adjusted_total=None, adjusted_weekend_total=None)
    assert math.isnan(stars)
    assert decided == "no rating: staffing measures missing"


def test_the_2019_method_combines_rn_and_total_levels_through_the_observed_grid() -> None:
    # RN level 5 (>= 1.0485) with total level 1 (< 3.1075) is 3 stars; RN 1 and total 5 is 3.
    assert one("2019-04", adjusted_rn=1.1, adjusted_total=3.0)[:2] == (3, 5)
    assert one("2019-04", adjusted_rn=0.3, adjusted_total=4.5)[:2] == (3, 1)
    assert one("2019-04", adjusted_rn=0.8, adjusted_total=4.1)[:2] == (4, 4)


def test_the_2018_method_averages_levels_rounding_down() -> None:
    # RN level 2 (0.283-0.378), total level 1 -> (2 + 1) / 2 rounded down = 1.
    assert one("2018-04", adjusted_rn=0.30, adjusted_total=3.0)[:2] == (1, 2)


def test_a_footnote_one_star_sets_both_ratings_in_the_two_measure_methods() -> None:
    r = rate(
        FacilityMeasures.one("X", **GOOD, forced_one_star="CMS footnote 12"), method("2019-04")
    )
    assert (r.staffing_rating[0], r.rn_staffing_rating[0]) == (1, 1)
    assert r.figures_rating[0] == 5


def test_it_rates_many_facilities_column_wise() -> None:
    n = 20_000
    rng = np.random.default_rng(1)
    m = FacilityMeasures.build(
        [f"S{i:05d}" for i in range(n)],
        adjusted_rn=rng.uniform(0.1, 2, n),
        adjusted_total=rng.uniform(2, 6, n),
        adjusted_weekend_total=rng.uniform(2, 5, n),
        total_turnover=rng.uniform(10, 90, n),
        rn_turnover=rng.uniform(0, 100, n),
        admin_departures=rng.integers(0, 4, n),
    )
    r = rate(m, method("2024-07"))
    assert set(np.unique(r.staffing_rating)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert len(r) == n


# --- properties of the cut points ----------------------------------------------------

hprd = st.floats(min_value=0.0, max_value=11.0, allow_nan=False)
extra = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)
pct = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
METHODS = st.sampled_from(["2018-04", "2019-04", "2022-07", "2024-07"])


@settings(max_examples=100, deadline=None)
@given(
    name=METHODS,
    rn=hprd,
    total=hprd,
    wk=hprd,
    more_rn=extra,
    more_total=extra,
    more_wk=extra,
    t=pct,
    r=pct,
)
def test_more_hours_never_give_fewer_stars(
    name: str,
    rn: float,
    total: float,
    wk: float,
    more_rn: float,
    more_total: float,
    more_wk: float,
    t: float,
    r: float,
) -> None:
    base = {"total_turnover": t, "rn_turnover": r, "admin_departures": 1}
    m = FacilityMeasures.build(
        ["A", "B"],
        adjusted_rn=[rn, rn + more_rn],
        adjusted_total=[total, total + more_total],
        adjusted_weekend_total=[wk, wk + more_wk],
        **{k: [v, v] for k, v in base.items()},
    )
    result = rate(m, method(name))
    assert result.staffing_rating[1] >= result.staffing_rating[0]
    if method(name).rn_staffing_rating:
        assert result.rn_staffing_rating[1] >= result.rn_staffing_rating[0]


@settings(max_examples=100, deadline=None)
@given(t=pct, lower=st.floats(min_value=0, max_value=50), admin=st.integers(0, 5))
def test_less_turnover_never_gives_fewer_points(t: float, lower: float, admin: int) -> None:
    m = FacilityMeasures.build(
        ["A", "B"],
        adjusted_rn=0.5,
        adjusted_total=3.5,
        adjusted_weekend_total=3.0,
        total_turnover=[t, max(0.0, t - lower)],
        rn_turnover=[t, max(0.0, t - lower)],
        admin_departures=[admin, max(0, admin - 1)],
    )
    result = rate(m, method("2024-07"))
    assert result.points[1] >= result.points[0]


@settings(max_examples=100, deadline=None)
@given(
    rn=hprd,
    total=hprd,
    wk=st.none() | hprd,
    t=st.none() | pct,
    r=st.none() | pct,
    admin=st.none() | st.integers(0, 4),
    name=st.sampled_from(["2022-07", "2024-07"]),
)
def test_the_rescaled_score_stays_on_380_and_equals_raw_times_380_over_possible(
    rn: float,
    total: float,
    wk: float | None,
    t: float | None,
    r: float | None,
    admin: int | None,
    name: str,
) -> None:
    result = rate(
        FacilityMeasures.one(
            "A",
            adjusted_rn=rn,
            adjusted_total=total,
            adjusted_weekend_total=wk,
            total_turnover=t,
            rn_turnover=r,
            admin_departures=admin,
        ),
        method(name),
    )
    score, raw, possible = result.points[0], result.raw_points[0], result.possible_points[0]
    assert 0 < score <= 380 + 1e-9
    assert score == pytest.approx(raw * 380 / possible)
    if None not in (wk, t, r, admin):
        assert possible == 380
        assert score == raw


def test_a_submission_on_the_deadline_day_is_on_time_and_the_day_after_is_late() -> None:
    q = Quarter.parse("2024Q2")
    assert q.deadline == date(2024, 8, 14)
    assert late_submission(q, date(2024, 8, 14)) is False
    assert late_submission(q, date(2024, 8, 15)) is True
    assert late_submission(q, None) is True


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2017, 2030), quarter=st.integers(1, 4), days=st.integers(-30, 120))
def test_late_means_after_45_days_past_the_quarter(year: int, quarter: int, days: int) -> None:
    q = Quarter(year, quarter)
    assert late_submission(q, q.end + timedelta(days=days)) is (days > 45)
