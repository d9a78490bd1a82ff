"""The facility page's figures service: the domain's numbers, laid out, for one quarter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from carecover.facility.overview import WhatIf
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.store import ibis_table
from carecover.pbj.submission.days import TABLE
from carecover.portal.nursinghome.figure_cache import facility_figures
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store
from carecover.rating import method_on, pbj_days, project

QUARTER = Quarter(2026, 3)
TODAY = date(2026, 11, 23)
SATURDAY = date(2026, 8, 1)
RN_COLUMNS = ("hrs_rndon", "hrs_rnadmin", "hrs_rn")


def set_rn_hours(facility: Facility, day: date, hours: float) -> None:
    """Give one day of the facility's own submission ``hours`` RN hours (all as staff RN)."""
    with facility_store(facility) as con:
        con.execute(
            f"UPDATE {TABLE} SET hrs_rndon = 0, hrs_rnadmin = 0, hrs_rn = ? WHERE workdate = ?",
            [hours, day],
        )


@pytest.fixture
def uncovered(loaded_facility: Facility) -> Facility:
    """Oakwood with two days without an RN (one a Saturday) and one day of 4 RN hours."""
    set_rn_hours(loaded_facility, SATURDAY, 0)
    set_rn_hours(loaded_facility, date(2026, 8, 4), 0)
    set_rn_hours(loaded_facility, date(2026, 9, 9), 4)
    return loaded_facility


def domain_measures(facility: Facility) -> dict[str, Any]:
    with facility_store(facility) as con:
        rows = to_rows(quarterly_measures(ibis_table(con, TABLE), quarter=QUARTER))
    assert len(rows) == 1
    return rows[0]


def test_the_latest_quarter_with_data_is_shown_by_default(loaded_facility: Facility) -> None:
    figures = facility_figures(loaded_facility, None, today=TODAY)
    assert figures.quarter == QUARTER
    assert figures.quarters == [QUARTER]
    assert len(figures.daily) == QUARTER.days


def test_zero_rn_and_under_8_hour_days_match_the_quarterly_measures(uncovered: Facility) -> None:
    figures = facility_figures(uncovered, QUARTER, today=TODAY)
    expected = domain_measures(uncovered)
    assert (figures.zero_rn_days, figures.under_8h_days) == (2, 3)
    assert figures.zero_rn_days == expected["zero_rn_days"]
    assert figures.under_8h_days == expected["rn_under_8h_days"]
    assert figures.quarter_measures == expected


def test_the_calendar_colours_each_day_and_marks_weekends(uncovered: Facility) -> None:
    figures = facility_figures(uncovered, QUARTER, today=TODAY)
    cells = {c.day: c for m in figures.months for w in m.weeks for c in w if c.kind != "outside"}
    assert [m.title for m in figures.months] == ["July 2026", "August 2026", "September 2026"]
    assert len(cells) == QUARTER.days
    assert cells[SATURDAY].kind == "zero"
    assert cells[SATURDAY].weekend
    assert cells[date(2026, 8, 4)].kind == "zero"
    assert not cells[date(2026, 8, 4)].weekend
    assert cells[date(2026, 9, 9)].kind == "under"
    assert sum(c.kind == "zero" for c in cells.values()) == figures.zero_rn_days
    assert sum(c.kind == "covered" for c in cells.values()) == QUARTER.days - 3


def test_the_star_card_is_the_rating_of_the_quarters_days(uncovered: Facility) -> None:
    figures = facility_figures(uncovered, QUARTER, today=TODAY)
    with facility_store(uncovered) as con:
        days = pbj_days(ibis_table(con, TABLE), uncovered.ccn, QUARTER)
    assert figures.star is not None
    expected = project(
        uncovered.ccn,
        QUARTER,
        QUARTER.end,
        days,
        method_on(QUARTER.end),
        cmi_ratio=figures.star.cmi_ratio,
    ).card
    assert figures.star.card.staffing_rating == expected.staffing_rating
    assert figures.star.card.points == expected.points
    assert [m.points for m in figures.star.card.measures] == [m.points for m in expected.measures]


def test_a_failed_audit_in_the_settings_gives_one_star(loaded_facility: Facility) -> None:
    loaded_facility.audit_failed = True
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.star is not None
    assert figures.star.card.staffing_rating == 1
    assert "audit" in figures.star.card.decided_by


def test_the_overall_rating_needs_inspection_and_qm_stars(loaded_facility: Facility) -> None:
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.star is not None
    assert figures.star.overall_steps[0] == "start from the health-inspection rating: 3"
    loaded_facility.quality_measure_stars = None
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.star is not None
    assert figures.star.overall_steps == ()


def test_a_published_case_mix_ratio_in_the_settings_is_used(loaded_facility: Facility) -> None:
    plain = facility_figures(loaded_facility, QUARTER, today=TODAY)
    loaded_facility.cmi_ratio = 1.25
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.star is not None
    assert plain.star is not None
    assert figures.star.cmi_ratio == 1.25
    assert "settings" in figures.star.cmi_source
    # A higher case-mix means lower adjusted HPRD for the same hours.
    adjusted, before = figures.star.card.measures[0].value, plain.star.card.measures[0].value
    assert adjusted is not None
    assert before is not None
    assert adjusted < before


def test_a_late_submission_in_the_what_if_projects_one_star(loaded_facility: Facility) -> None:
    late = WhatIf(submitted_on=QUARTER.deadline + timedelta(days=1))
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY, what_if=late)
    assert figures.projection is not None
    assert figures.star is not None
    assert figures.projection.card.staffing_rating == 1
    assert figures.star.card.staffing_rating != 1  # the star card stays as reported


def test_extra_rn_hours_in_the_what_if_raise_the_projected_rn_hprd(
    loaded_facility: Facility,
) -> None:
    figures = facility_figures(
        loaded_facility, QUARTER, today=TODAY, what_if=WhatIf(extra_rn_hours=8)
    )
    row = domain_measures(loaded_facility)
    assert figures.projection is not None
    expected = (row["rn_hours"] + 8 * QUARTER.days) / row["resident_days"]
    assert figures.projection.projected["rn"] == pytest.approx(expected)


def test_a_quarter_in_progress_is_projected_from_its_last_day(loaded_facility: Facility) -> None:
    with facility_store(loaded_facility) as con:
        con.execute(f"DELETE FROM {TABLE} WHERE workdate > ?", [date(2026, 8, 31)])
    figures = facility_figures(loaded_facility, QUARTER, today=date(2026, 9, 1))
    assert figures.projection is not None
    assert figures.projection.as_of == date(2026, 8, 31)
    assert figures.projection.days_remaining == 30
    assert figures.lists_as_of == date(2026, 9, 1)


def test_the_census_is_compared_with_a_cms_public_file(loaded_facility: Facility) -> None:
    with facility_store(loaded_facility) as con:
        con.execute(f"INSERT INTO daily_nurse_staffing SELECT * FROM {TABLE}")
        con.execute(
            "UPDATE daily_nurse_staffing SET mdscensus = mdscensus + 3 WHERE workdate = ?",
            [SATURDAY],
        )
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.reconciliation is not None
    assert figures.reconciliation.days_compared == QUARTER.days
    assert [d.day for d in figures.census if d.difference] == [SATURDAY]
    assert next(d for d in figures.census if d.day == SATURDAY).difference == -3
    assert [r["quarter"] for r in figures.public_measures] == ["2026Q3"]


def test_without_a_public_file_there_is_no_census_comparison(loaded_facility: Facility) -> None:
    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.reconciliation is None
    assert figures.census == []


def test_a_quarter_without_data_falls_back_to_the_latest(loaded_facility: Facility) -> None:
    figures = facility_figures(loaded_facility, Quarter(2025, 1), today=TODAY)
    assert figures.quarter == QUARTER
    assert figures.notices == [
        "There are no PBJ days of 100000 for 2025Q1: showing the latest quarter."
    ]


def test_a_facility_without_data_has_no_quarter(homes: dict[str, Any]) -> None:
    figures = facility_figures(homes["riverside"], None, today=TODAY)
    assert figures.quarter is None
    assert figures.quarters == []
    assert figures.star is None


def test_the_mds_lists_are_taken_on_the_quarters_last_day(loaded_facility: Facility) -> None:
    from carecover.mds import missing_assessments

    figures = facility_figures(loaded_facility, QUARTER, today=TODAY)
    assert figures.lists_as_of == QUARTER.end
    with facility_store(loaded_facility) as con:
        expected = missing_assessments(con, QUARTER.end, facility="100000")
    assert figures.missing == expected
    assert figures.missing


def test_the_star_card_rates_a_quarter_as_the_release_that_rated_it(
    loaded_facility: Facility,
) -> None:
    # The facility's days moved to 2018Q4 (as long as 2026Q3), five of them without an RN:
    # CMS rated 2018Q4 in the April 2019 release under the 4-day rule, not 2018's 7 days.
    old, new = Quarter(2018, 4), QUARTER.start - Quarter(2018, 4).start
    with facility_store(loaded_facility) as con:
        con.execute(
            f"UPDATE {TABLE} SET workdate = workdate - ?::INTEGER, quarter = ?",
            [new.days, str(old)],
        )
    for day in range(5):
        set_rn_hours(loaded_facility, old.start + timedelta(days=7 * day), 0)
    figures = facility_figures(loaded_facility, old, today=TODAY)
    assert figures.method == "2019-04"
    assert figures.star is not None
    assert figures.star.card.staffing_rating == 1
    assert figures.star.card.decided_by == "one star: 4 or more days without an RN"
    assert any("release 2019-04" in n for n in figures.star.notes)


def test_a_quarter_no_release_rated_has_no_star_card_and_says_why(
    loaded_facility: Facility,
) -> None:
    never = Quarter(2023, 4)  # staffing was held in April 2024: 2023Q4 was never rated
    shift = QUARTER.start - never.start
    with facility_store(loaded_facility) as con:
        con.execute(
            f"UPDATE {TABLE} SET workdate = workdate - ?::INTEGER, quarter = ?",
            [shift.days, str(never)],
        )
    figures = facility_figures(loaded_facility, never, today=TODAY)
    assert figures.star is None
    assert any("never rated" in n for n in figures.notices)
