"""The facility page warns of days with residents and no nurse hours (issue 15 §2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client

from carecover.pbj.measures.staffing import _NURSE_HOURS
from carecover.pbj.submission.days import TABLE
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store

PAGE = "/nursing-homes/100000/"


def test_a_loaded_quarter_without_gaps_shows_no_day_warning(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    page = as_home_user("don").get(PAGE).content.decode()
    assert "day-warning" not in page


def test_a_day_with_residents_and_no_nurse_hours_is_warned(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    with facility_store(loaded_facility) as con:
        zeros = ", ".join(f"{c} = 0" for c in _NURSE_HOURS)
        con.execute(f"UPDATE {TABLE} SET {zeros} WHERE workdate = ?", [date(2026, 8, 4)])
    page = as_home_user("don").get(PAGE).content.decode()
    assert "day-warning" in page
    assert "100000 2026Q3: 1 day(s) with residents and no nurse hours" in page
