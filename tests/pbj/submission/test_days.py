"""A facility's own submission turned into public-file days (hours by column, MDS census)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.staffing import daily_measures, quarterly_measures, to_rows
from carecover.pbj.store import connect, ibis_table
from carecover.pbj.submission.days import TABLE, build_submission_days
from carecover.pbj.submission.store import load_xml
from carecover.pbj.submission.synth import synth_pbj_xml

Q = Quarter(2026, 3)


@pytest.fixture
def con() -> Any:
    store = connect(":memory:")
    yield store
    store.close()


def _hours(con: Any, *rows: tuple[str, str, date, int, int, float]) -> None:
    """(facility_id, employee, day, job code, pay type, hours) straight into employee_hours."""
    con.executemany(
        "INSERT INTO employee_hours VALUES ('NC', ?, '2026Q3', ?, ?, ?, ?, ?, 'f.xml', 'x')",
        [list(r) for r in rows],
    )


def _build(con: Any, census: dict[date, int], facility_id: str = "F1", state: str = "nc") -> int:
    return build_submission_days(
        con, provnum="345678", state=state, facility_id=facility_id, quarter=Q, census=census
    )


def _row(con: Any, day: date) -> dict[str, Any]:
    cur = con.execute(f"SELECT * FROM {TABLE} WHERE workdate = ?", [day])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_hours_land_in_the_public_file_column_of_their_job_title_and_pay_type(con: Any) -> None:
    day = date(2026, 7, 6)
    _hours(
        con,
        ("F1", "e1", day, 7, 1, 8.0),  # RN, employee
        ("F1", "e2", day, 7, 3, 4.5),  # RN, contract
        ("F1", "e3", day, 5, 2, 8.0),  # DON
        ("F1", "e4", day, 10, 1, 7.25),  # CNA
    )
    _build(con, {day: 50})
    row = _row(con, day)
    assert (row["hrs_rn"], row["hrs_rn_emp"], row["hrs_rn_ctr"]) == (12.5, 8.0, 4.5)
    assert (row["hrs_rndon"], row["hrs_rndon_emp"], row["hrs_rndon_ctr"]) == (8.0, 8.0, 0.0)
    assert row["hrs_cna"] == 7.25
    assert row["mdscensus"] == 50
    assert row["quarter"] == "2026Q3"
    assert row["state"] == "NC"


def test_a_day_with_residents_and_no_hours_counts_as_a_day_without_an_rn(con: Any) -> None:
    _hours(con, ("F1", "e1", date(2026, 7, 6), 7, 1, 8.0))
    _build(con, {date(2026, 7, 6): 40, date(2026, 7, 7): 41})
    (measures,) = to_rows(quarterly_measures(ibis_table(con, TABLE)))
    assert measures["days_reported"] == 2
    assert measures["zero_rn_days"] == 1
    assert _row(con, date(2026, 7, 7))["hrs_rn"] == 0.0


def test_hours_without_a_census_keep_the_day_with_no_residents(con: Any) -> None:
    _hours(con, ("F1", "e1", date(2026, 7, 6), 7, 1, 8.0))
    assert _build(con, {}) == 1
    (day,) = to_rows(daily_measures(ibis_table(con, TABLE)))
    assert day["census"] == 0
    assert day["zero_rn"] is False


def test_other_submissions_and_days_outside_the_quarter_are_left_out(con: Any) -> None:
    _hours(
        con,
        ("F1", "e1", date(2026, 7, 6), 7, 1, 8.0),
        ("F2", "e9", date(2026, 7, 6), 7, 1, 99.0),
    )
    _build(con, {date(2026, 6, 30): 30, date(2026, 10, 1): 30, date(2026, 7, 6): 30})
    rows = con.execute(f"SELECT workdate, hrs_rn FROM {TABLE}").fetchall()
    assert rows == [(date(2026, 7, 6), 8.0)]


def test_rebuilding_replaces_the_quarter_instead_of_adding_to_it(con: Any) -> None:
    _hours(con, ("F1", "e1", date(2026, 7, 6), 7, 1, 8.0))
    _build(con, {date(2026, 7, 6): 30})
    _build(con, {date(2026, 7, 6): 31})
    assert con.execute(f"SELECT count(*), max(mdscensus) FROM {TABLE}").fetchone() == (1, 31)


def test_a_synthetic_submission_keeps_every_nurse_hour(con: Any, tmp_path: Path) -> None:
    xml = tmp_path / "s.xml"
    synth_pbj_xml(xml, facilities=1, quarter=Q, seed=3)
    load_xml(con, xml, submitted_on=date(2026, 10, 2))
    ((nurse_hours,),) = con.execute(
        "SELECT sum(hours) FROM employee_hours WHERE job_title_code BETWEEN 5 AND 12"
    ).fetchall()
    census = {Q.start + timedelta(days=i): 80 for i in range(Q.days)}
    state = con.execute("SELECT any_value(state) FROM employee_hours").fetchone()[0]
    _build(con, census, facility_id="SYN000001", state=state)
    (measures,) = to_rows(quarterly_measures(ibis_table(con, TABLE)))
    assert measures["total_hours"] == pytest.approx(nurse_hours, abs=0.01)
