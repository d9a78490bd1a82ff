"""Tenure of the staff on hand (issue 14 §3): hand-computed stays, both engines alike.

Window for 2024Q2: 2023-01-01 to 2024-06-30 (547 days). Each facility holds
one edge: all along (censored), a leave shorter or longer than the gap,
a start inside the window, agency staff, someone who left before the end.
"""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.engines import connect
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method
from carecover.rating.tenure import YEAR_DAYS, tenure_expression
from carecover.rating.turnover import turnover_window
from tests.engines.sessions import assert_same_rows, spark_engine

LAST = Quarter.parse("2024Q2")
W0, _, _, W1 = turnover_window(LAST)
WINDOW_DAYS = (W1 - W0).days + 1
SPANS = [
    ("F1", "RN1", 7, W0, W1, 1),  # all along: 547 days, censored
    ("F1", "RN2", 7, W0, date(2023, 9, 30), 1),  # left: not on hand
    ("F2", "CNA1", 10, W0, date(2023, 8, 1), 2),  # a 90-day leave...
    ("F2", "CNA1", 10, date(2023, 10, 31), W1, 2),  # ...then back
    ("F3", "CNA9", 10, W0, date(2023, 2, 1), 2),  # the home's data begins with the window
    ("F3", "LPN1", 9, date(2023, 3, 20), W1, 2),  # started 78 days in
    ("F4", "AG1", 10, W0, W1, 3),  # agency staff: not counted
    ("F4", "ADM1", 1, date(2024, 1, 1), W1, 1),  # administrator since January
]
COLUMNS = ["provnum", "employee_id", "workdate", "job_title_code", "pay_type_code", "hours"]


def table_of(spans: list[tuple[str, str, int, date, date, int]]) -> pa.Table:
    rows = []
    for facility, employee, code, first, last, pay in spans:
        day = first
        while day <= last:
            rows.append(dict(zip(COLUMNS, (facility, employee, day, code, pay, 8.0), strict=True)))
            day += timedelta(days=1)
    return pa.Table.from_pylist(rows)


def tenure(name: str, spans: list[tuple[str, str, int, date, date, int]]) -> dict[str, dict]:
    rule = method(name).turnover
    assert rule is not None
    duck = connect("duckdb")
    rows = duck.to_rows(tenure_expression(duck.from_arrow(table_of(spans)), LAST, rule))
    duck.close()
    return {r["provnum"]: r for r in rows}


def test_staff_on_hand_all_along_have_the_whole_window_and_are_censored() -> None:
    f1 = tenure("2024-07", SPANS)["F1"]
    assert (f1["rn_staff"], f1["rn_mean_tenure_days"], f1["rn_censored"]) == (1, 547.0, 1)
    assert f1["rn_tenure_1y_plus"] == 1
    assert f1["admin_staff"] == 0
    assert f1["admin_mean_tenure_days"] is None


def test_a_leave_shorter_than_the_gap_keeps_the_stay_and_a_longer_one_starts_a_new_one() -> None:
    # 2023-08-02 to 2023-10-30 without hours: 90 days. Since July 2024 turnover needs
    # more than 90 (91): one stay; under the 60-day rule she left and came back.
    assert tenure("2024-07", SPANS)["F2"]["nurse_mean_tenure_days"] == 547.0
    back = tenure("2022-07", SPANS)["F2"]
    assert back["nurse_mean_tenure_days"] == (W1 - date(2023, 10, 31)).days + 1 == 244
    assert (back["nurse_censored"], back["nurse_tenure_1y_plus"]) == (0, 0)


def test_a_start_inside_the_window_counts_from_its_first_day() -> None:
    f3 = tenure("2022-07", SPANS)["F3"]
    assert f3["nurse_mean_tenure_days"] == (W1 - date(2023, 3, 20)).days + 1 == 469
    assert f3["nurse_censored"] == 0  # 78 days in: past the 60-day gap, a real start
    assert tenure("2024-07", SPANS)["F3"]["nurse_censored"] == 1  # within 91 days: maybe earlier


def test_agency_staff_are_not_counted_and_administrators_have_their_own_group() -> None:
    f4 = tenure("2024-07", SPANS)["F4"]
    assert (f4["nurse_staff"], f4["rn_staff"]) == (0, 0)
    assert (f4["admin_staff"], f4["admin_mean_tenure_days"]) == (1, 182.0)
    assert f4["admin_tenure_1y_plus"] == 0


@pytest.mark.parametrize("name", ["2022-07", "2024-07"])
def test_tenure_is_equal_on_both_engines_with_and_without_the_kept_days(name: str) -> None:
    rule = method(name).turnover
    assert rule is not None
    duck, spark = connect("duckdb"), spark_engine()
    results = [
        e.to_rows(tenure_expression(e.from_arrow(table_of(SPANS)), LAST, rule, keep=keep))
        for e in (duck, spark)
        for keep in (None, e.kept)
    ]
    duck.close()
    for other in results[1:]:
        assert_same_rows(results[0], other)
    assert len(results[0]) == 4


spans = st.lists(
    st.tuples(
        st.integers(min_value=-30, max_value=WINDOW_DAYS + 30),
        st.integers(min_value=0, max_value=200),
    ),
    min_size=1,
    max_size=6,
)


@settings(deadline=None, max_examples=40)
@given(runs=spans)
def test_tenure_is_never_negative_nor_longer_than_the_window(runs: list[tuple[int, int]]) -> None:
    made = [
        ("F1", "RN1", 7, W0 + timedelta(days=s), W0 + timedelta(days=s + n), 1) for s, n in runs
    ]
    row = tenure("2024-07", made).get("F1")
    if row is None or not row["rn_staff"]:
        return
    assert 1 <= row["rn_mean_tenure_days"] <= WINDOW_DAYS
    assert row["rn_tenure_1y_plus"] == (row["rn_mean_tenure_days"] >= YEAR_DAYS)
