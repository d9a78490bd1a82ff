"""The star card: every measure with its points or level, the next band, the rule that decided."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.rating.cutpoints import band_points, next_band
from carecover.rating.explain import explain
from carecover.rating.measures import FacilityMeasures
from carecover.rating.methods import method
from carecover.rating.scoring import rate


def card(name: str, **values: object):  # type: ignore[no-untyped-def]
    return explain(rate(FacilityMeasures.one("015009", **values), method(name)), 0)


def test_the_card_lists_six_measures_with_points_and_next_bands() -> None:
    c = card(
        "2024-07",
        adjusted_rn=1.317,
        adjusted_total=4.35288,
        adjusted_weekend_total=3.39425,
        total_turnover=39.0,
        rn_turnover=18.2,
        admin_departures=3,
    )
    total = c.measures[0]
    assert (total.points, total.max_points, total.next_bound, total.next_points) == (
        80,
        100,
        4.499,
        90,
    )
    assert c.measures[1].next_bound is None  # RN already at 100 points
    assert c.measures[3].next_bound == 37.5  # turnover must fall to 37.5 % for 45 points
    text = c.to_text()
    assert "staffing rating: 4 of 5" in text
    assert "points to the next star: 10.0" in text


def test_a_rescaled_score_says_so() -> None:
    c = card("2022-07", adjusted_rn=1.0, adjusted_total=4.0, adjusted_weekend_total=3.5)
    assert c.possible_points == 250
    assert "rescaled from 250 possible" in c.to_text()
    assert c.to_dict()["measures"][3]["status"] == "dropped (missing)"


def test_a_level_card_gives_levels_and_the_hours_to_the_next_star() -> None:
    c = card("2019-04", adjusted_rn=0.6, adjusted_total=3.9, zero_rn_days=1)
    assert [m.level for m in c.measures] == [3, 3]
    assert (c.staffing_rating, c.rn_staffing_rating) == (3, 3)
    assert any("more adjusted RN HPRD would add a staffing star" in n for n in c.notes)
    assert any("1 days with residents and no RN hours" in n for n in c.notes)


@settings(max_examples=100, deadline=None)
@given(
    value=st.floats(min_value=0, max_value=8),
    measure=st.sampled_from(
        ["adjusted_rn_hprd", "adjusted_total_nurse_hprd", "adjusted_weekend_total_nurse_hprd"]
    ),
)
def test_the_next_band_bound_earns_the_next_bands_points(value: float, measure: str) -> None:
    rule = method("2024-07").points
    assert rule is not None
    bands = rule.bands[measure]
    bound, points = next_band(np.array([value]), bands, 3)
    if np.isnan(bound[0]):
        assert band_points(np.array([value]), bands, 3)[0] == rule.max_points(measure)
    else:
        assert band_points(bound, bands, 3)[0] == points[0]
        assert points[0] > band_points(np.array([value]), bands, 3)[0]
