"""One operator type for every exclusion rule, and one HPRD formula (issue 14 §1)."""

from __future__ import annotations

import math

import ibis
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import ConfigError
from carecover.pbj.measures.staffing import exclusion_rules
from carecover.pbj.store import quiet_ibis
from carecover.rating.comparison import Comparison, hprd, parse_comparison
from carecover.rating.methods import methods

VALUES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@pytest.mark.parametrize("text", ["<", "ge", "", "LT", None])
def test_an_operator_that_is_not_eq_gt_or_lt_is_a_config_error_naming_where(text: object) -> None:
    with pytest.raises(ConfigError, match=r"rules\.csv line 3: operator must be one of eq, gt"):
        parse_comparison(text, where="rules.csv line 3")


def test_every_shipped_rule_has_a_known_operator() -> None:
    assert {r.operator for r in exclusion_rules()} <= set(Comparison)
    assert {t.operator for m in methods() for t in m.exclusions} <= set(Comparison)


@settings(deadline=None, max_examples=25)
@given(values=st.lists(VALUES, min_size=1, max_size=30), threshold=VALUES)
def test_a_comparison_gives_the_same_answer_on_numbers_an_array_and_an_ibis_column(
    values: list[float], threshold: float
) -> None:
    table = ibis.memtable(pa.table({"v": [*values, threshold]}))
    con = ibis.duckdb.connect()
    for op in Comparison:
        on_numbers = [bool(op.test(v, threshold)) for v in [*values, threshold]]
        on_array = op.test(np.array([*values, threshold]), threshold).tolist()
        with quiet_ibis():
            hits = con.to_pyarrow(table.select(hit=op.test(table.v, threshold)))
        assert on_numbers == on_array == hits.column("hit").to_pylist()


@given(hours=st.floats(min_value=0, max_value=1e5), days=st.integers(min_value=-3, max_value=10**5))
def test_hprd_is_hours_over_resident_days_and_none_without_resident_days(
    hours: float, days: int
) -> None:
    got = hprd(hours, float(days))
    if days <= 0:
        assert got is None
    else:
        assert got is not None
        assert math.isclose(got, hours / days)


def test_hprd_of_ibis_columns_is_null_without_resident_days() -> None:
    table = ibis.memtable(pa.table({"h": [8.0, 8.0], "d": [4.0, 0.0]}))
    with quiet_ibis():
        out = ibis.duckdb.connect().to_pyarrow(table.select(x=hprd(table.h, table.d)))
    assert out.column("x").to_pylist() == [2.0, None]
