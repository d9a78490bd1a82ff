"""CASPER-style roster and missing-assessment reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from carecover.mds import connect, load_files
from carecover.mds.reports import missing_assessments, roster
from tests.mds.test_store import FIX


@pytest.fixture
def con() -> Any:
    c = connect(None)
    load_files(c, [FIX / "extract.csv"])
    yield c
    c.close()


def test_the_roster_lists_residents_not_discharged(con: Any) -> None:
    names = [(r.facility, r.first_name) for r in roster(con, date(2026, 2, 15))]
    assert names == [("055001", "Ann"), ("055002", "Cy")]
    assert [r.first_name for r in roster(con, date(2026, 4, 15))] == ["Cy"]


def test_it_flags_a_last_obra_over_138_days_ago(con: Any) -> None:
    found = missing_assessments(con, date(2026, 6, 1), facility="055002")
    assert [(m.first_name, m.last_obra_date) for m in found] == [("Cy", date(2026, 1, 10))]
    assert missing_assessments(con, date(2026, 5, 1), facility="055002") == []


def test_it_flags_an_episode_without_an_obra_assessment_after_60_days(con: Any) -> None:
    # Ann re-entered on 2026-04-20 (A0310A 01 on that entry record counts as OBRA).
    assert missing_assessments(con, date(2026, 7, 1), facility="055001") == []
