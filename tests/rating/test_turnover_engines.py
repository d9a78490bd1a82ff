"""The turnover rule gives the same figures on DuckDB and on Spark (``local[1]``).

Each facility of one hand-built table holds one edge of the rule (a departure,
leave shorter than the gap, too few hours to be eligible, agency staff, a gap
past the data, administrators who left, five administrators on four days).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pyarrow as pa
import pytest

from carecover.engines import connect
from carecover.engines.duckdb import sql_of
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import method
from carecover.rating.turnover import turnover_expression, turnover_figures, turnover_window
from tests.engines.sessions import spark_engine

LAST = Quarter.parse("2024Q2")
W0, P0, P1, W1 = turnover_window(LAST)
SPANS = [
    ("F1", "RN1", 7, W0, W1, 2),
    ("F1", "RN2", 7, W0, date(2023, 9, 30), 2),
    ("F2", "CNA1", 10, W0, date(2023, 8, 1), 2),
    ("F2", "CNA1", 10, date(2023, 10, 31), W1, 2),
    ("F3", "LPN1", 9, date(2023, 3, 20), W1, 2),
    ("F4", "AG1", 10, W0, date(2023, 6, 1), 3),
    ("F4", "RN1", 7, W0, W1, 1),
    ("F5", "RN1", 7, W0, date(2024, 6, 1), 2),
    ("F6", "ADM1", 1, W0, date(2023, 12, 31), 2),
    ("F6", "ADM2", 1, date(2024, 1, 1), W1, 2),
    *(
        ("F7", f"ADM{i}", 1, date(2023, 7, 1 + i * 5), date(2023, 7, 4 + i * 5), 2)
        for i in range(5)
    ),
]


def hours_table() -> pa.Table:
    rows = []
    for facility, employee, code, first, last, pay in SPANS:
        day = first
        while day <= last:
            rows.append((facility, employee, day, code, pay, 8.0))
            day += timedelta(days=1)
    names = ["provnum", "employee_id", "workdate", "job_title_code", "pay_type_code", "hours"]
    return pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in rows])


@pytest.mark.parametrize("name", ["2022-07", "2024-07"])
def test_turnover_is_equal_on_both_engines_with_and_without_the_kept_days(name: str) -> None:
    rule = method(name).turnover
    assert rule is not None
    duck, spark = connect("duckdb"), spark_engine()
    results = [
        turnover_figures(
            e.to_rows(turnover_expression(e.from_arrow(hours_table()), LAST, rule, keep=keep))
        )
        for e in (duck, spark)
        for keep in (None, e.kept)
    ]
    duck.close()
    assert all(r == results[0] for r in results[1:])
    by_facility = {t.provnum: t for t in results[0]}
    assert len(by_facility) == 7
    assert by_facility["F1"].rn_departures == 1
    assert by_facility["F7"].admin_excluded is (name == "2024-07")


def test_with_the_engine_keeping_its_days_the_rule_reads_its_source_once() -> None:
    rule = method("2024-07").turnover
    assert rule is not None
    duck = connect("duckdb")
    source = duck.from_arrow(hours_table())
    kept: list[str] = []

    def keep(table: Any) -> Any:
        out = duck.kept(table)
        kept.append(out.get_name())
        return out

    sql = sql_of(turnover_expression(source, LAST, rule, keep=keep))
    duck.close()
    assert len(kept) == 1
    assert kept[0] in sql
    # Every step reads the kept days: the source is not in the final query.
    assert source.get_name() not in sql
