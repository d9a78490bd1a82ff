"""Missing days are never silent in a projection (issue 15 §2)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method
from carecover.rating.projection import DayFigures, project
from tests.conftest import REPO

Q = Quarter.parse("2024Q2")
GOOD: dict[str, Any] = {"total_turnover": 10.0, "rn_turnover": 10.0, "admin_departures": 0.0}


def _days(first: date, last: date, skip_month: int | None = None) -> list[DayFigures]:
    out = []
    d = first
    while d <= last:
        if d.month != skip_month:
            out.append(DayFigures(d, 40.0, 60.0, 240.0, 100.0))
        d += timedelta(days=1)
    return out


def test_a_quarter_missing_31_days_projected_at_quarter_end_is_not_silently_five_stars() -> None:
    days = _days(Q.start, date(2024, 6, 30), skip_month=5)
    p = project("Z1", Q, date(2024, 6, 30), days, method("2024-07"), **GOOD)
    assert (p.days_so_far, p.days_missing) == (60, 31)
    assert p.excluded
    text = p.to_text()
    assert "warning: Z1 2024Q2: 31 day(s) of the quarter missing" in text
    assert "CMS would leave the staffing measures out" in text
    assert json.loads(json.dumps(p.to_dict(), default=str))["days_missing"] == 31


def test_a_whole_quarter_has_no_warning() -> None:
    p = project("Z1", Q, date(2024, 6, 30), _days(Q.start, date(2024, 6, 30)), method("2024-07"))
    assert (p.days_missing, p.days_blank, p.excluded, p.warnings) == (0, 0, False, [])
    assert "warning" not in p.to_text()


def test_a_blank_rn_day_keeps_its_census_and_is_named() -> None:
    days = _days(Q.start, date(2024, 4, 30))
    days[3] = DayFigures(days[3].workdate, 40.0, None, 0.0)
    p = project("Z1", Q, date(2024, 4, 30), days, method("2024-07"))
    assert (p.days_blank, p.days_without_nurse_staffing, p.excluded) == (1, 1, True)
    assert any("blank RN hours" in w for w in p.warnings)
    # The blank day's census stays in the denominator: one day's hours are gone.
    assert p.so_far["total"] == 240.0 * 29 / (40.0 * 30)


def test_rating_project_warns_of_the_days_missing_from_the_file(cli: Any) -> None:
    plain = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"
    args = ["rating", "project", plain, "--facility", "015001", "--quarter", "2024Q2"]
    result = cli(*args, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    assert "warning: 015001 2024Q2: 84 day(s) of the quarter missing" in result.stdout
    as_json = cli(*args, "--as-of", "2024-06-30", "--format", "json")
    data = json.loads(as_json.stdout)
    assert (data["days_missing"], data["excluded"]) == (84, True)
