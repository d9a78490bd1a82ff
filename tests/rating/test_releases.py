"""The Care Compare release calendar: a quarter is rated by the release that uses it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import InputError, NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method, method_on
from carecover.rating.projection import DayFigures, project
from carecover.rating.releases import release, release_for_quarter, release_on, releases


def quarter_days(quarter: Quarter, zero_rn: int) -> list[DayFigures]:
    """A well-staffed quarter (40 residents, 1.2 RN and 5 total HPRD) with ``zero_rn`` days."""
    out = []
    for i in range(quarter.days):
        day = quarter.start + timedelta(days=i)
        out.append(DayFigures(day, 40.0, 0.0 if i < zero_rn else 48.0, 200.0, 100.0))
    return out


def test_2018q4_with_five_days_without_an_rn_is_one_star_under_the_april_2019_four_day_rule() -> (
    None
):
    q = Quarter(2018, 4)
    p = project("Z00001", q, q.end, quarter_days(q, 5))
    assert (p.release, p.method) == ("2019-04", "2019-04")
    assert p.card.staffing_rating == 1
    assert p.card.decided_by == "one star: 4 or more days without an RN"
    assert p.zero_rn_one_star_at == 4


def test_2018q1_is_rated_by_the_july_2018_release_not_refused() -> None:
    q = Quarter(2018, 1)
    p = project("Z00001", q, date(2018, 2, 15), quarter_days(q, 0))
    assert (p.release, p.method) == ("2018-07", "2018-04")
    assert p.zero_rn_one_star_at == 7


def test_2024q1_is_rated_with_pdpm_in_july_2024_not_with_rug_iv() -> None:
    r = release_for_quarter(Quarter(2024, 1))
    assert (r.name, r.date, r.method_name) == ("2024-07", date(2024, 7, 31), "2024-07")
    assert r.method.casemix.system == "pdpm"
    assert r.method.casemix.release == "2024-08"
    q = Quarter(2024, 1)
    assert project("Z00001", q, q.end, quarter_days(q, 0)).method == "2024-07"


def test_a_chosen_release_gives_its_method_and_national_figures() -> None:
    q = Quarter(2024, 1)
    p = project("Z00001", q, q.end, quarter_days(q, 0), release="2024-01")
    assert (p.release, p.method) == ("2024-01", "2022-07")
    assert any("rates 2023Q3, not 2024Q1" in n for n in p.notes)


def test_a_provider_file_month_names_the_release_in_force_then() -> None:
    assert release("2024-08").name == "2024-07"
    assert release("2025-09").name == "2025-07"
    assert release("2021-08").method_name == "2019-04"
    with pytest.raises(InputError, match="a release is a month like 2024-07"):
        release("July 2024")


def test_quarters_a_held_release_skipped_were_never_rated() -> None:
    with pytest.raises(NotFoundError, match=r"2023Q4 \(2024-04: held"):
        release_for_quarter(Quarter(2023, 4))
    with pytest.raises(NotFoundError, match=r"2020Q1 \(2020-07: held"):
        release_for_quarter(Quarter(2020, 1))
    with pytest.raises(NotFoundError, match="the first, 2018-04, rated 2017Q4"):
        release_for_quarter(Quarter(2017, 3))


def test_a_quarter_past_the_calendar_gets_the_usual_release_marked_projected() -> None:
    last = releases()[-1]
    q = last.pbj_quarter.next().next()
    r = release_for_quarter(q)
    assert r.projected
    assert r.date > q.deadline
    assert r.date.weekday() == 2
    assert "projected" in r.describe()


def test_each_release_uses_the_method_in_force_on_its_date() -> None:
    for r in releases():
        assert method_on(r.date).name == r.method_name, r.name
        assert r.mds_period == r.pbj_quarter


def test_the_administrator_exclusion_changed_with_the_july_2023_release() -> None:
    before = release_for_quarter(Quarter(2022, 4)).method.turnover
    after = release_for_quarter(Quarter(2023, 1)).method.turnover
    assert before is not None
    assert after is not None
    assert (before.admin_exclusion_days, before.admin_exclusion_scope) == (12, "eligibility")
    assert (after.admin_exclusion_days, after.admin_exclusion_scope) == (4, "quarter")
    assert method("2022-07").turnover == before


def test_missing_turnover_gets_lowest_points_from_the_april_2024_release() -> None:
    rule = release_on(date(2024, 5, 1)).method.points
    assert rule is not None
    assert (rule.missing_total_turnover, rule.missing_admin) == ("lowest", "lowest")
    assert method("2022-07").points is not None
    assert method("2022-07").points.missing_total_turnover == "drop"


@given(st.integers(2017 * 4 + 3, 2032 * 4 + 3))
def test_a_quarter_is_only_ever_rated_after_its_pbj_deadline(n: int) -> None:
    q = Quarter(n // 4, n % 4 + 1)
    try:
        r = release_for_quarter(q)
    except NotFoundError:
        assert q in (Quarter(2020, 1), Quarter(2023, 4))
        return
    assert r.pbj_quarter == q
    assert q.deadline < r.date
    assert r.date - q.end < timedelta(days=125)
