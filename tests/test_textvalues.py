"""Dates and numbers read from text (``textvalues``): DuckDB against an oracle, and Spark.

The shortcut for a value that matches as written (no trimming) must give
what the full reading gives: the oracles' examples include values with
blanks about them, and the Spark test reads the same tricky values.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache

import ibis
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from carecover.engines.duckdb import sql_of, value_of_one_row
from carecover.textvalues import number, parse_date
from tests.engines.sessions import spark_engine


@cache
def _one_value_sql(which: str) -> str:
    t = ibis.table({"x": "string"}, name="one_row")
    value = number(t.x) if which == "number" else parse_date(t.x)[0]
    return sql_of(t.select(value=value))


def _number_oracle(text: str) -> float | None:
    """Python's ``float`` without what the rules refuse: underscores, non-ASCII, inner blanks."""
    bare = text.strip(" \t\n\r\x0b\x0c")
    if "_" in bare or not bare.isascii() or bare != bare.strip():
        return None
    try:
        return float(bare)
    except ValueError:
        return None


def _day_oracle(text: str) -> date | None:
    if not re.fullmatch(r"[0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    digits = text.replace("-", "")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789+-.eEnaifINFty_ \t", max_size=10))
@example("1e2")
@example(" +3 ")
@example("-Infinity")
@example("1_000")
@example("+-8")
@example("1e400")
@example(" 8.5")
@example("8.5\t")
@example(".")
@example("1.2.3")
@example("")
def test_it_reads_a_number_as_pythons_float_does_without_underscores(text: str) -> None:
    found = value_of_one_row(_one_value_sql("number"), {"x": text})
    expected = _number_oracle(text)
    if expected is None or found is None:
        assert found == expected
    elif math.isnan(expected):
        assert math.isnan(found)
    else:
        assert found == expected


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.dates().map(lambda d: d.strftime("%Y%m%d")),
        st.dates().map(lambda d: d.isoformat()),
        st.text(alphabet="0123456789-", min_size=6, max_size=11),
    )
)
@example("20240229")
@example("20230229")
@example("00000101")
@example("2024-4-1")
def test_it_reads_a_day_only_as_yyyymmdd_or_iso_of_a_real_date(text: str) -> None:
    found = value_of_one_row(_one_value_sql("day"), {"x": text})
    assert found == _day_oracle(text)


TRICKY = [
    "8",
    "8.",
    ".5",
    "+3",
    "1e2",
    " 8.5",
    "8.5\t",
    "-Infinity",
    "nan",
    "1_000",
    "+-8",
    ".",
    "1.2.3",
    "",
    "1d",
    "0x1p3",
    "2024-4-1",
    "20240229",
    "20230229",
    "2024-02-29",
    "00000101",
]


def test_spark_reads_tricky_values_as_duckdb_does() -> None:
    engine = spark_engine()
    t = engine.from_arrow(pa.table({"x": TRICKY}))
    rows = engine.to_rows(t.select(t.x, n=number(t.x), d=parse_date(t.x)[0]))
    found = {row["x"]: (row["n"], row["d"]) for row in rows}
    for text in TRICKY:
        n = value_of_one_row(_one_value_sql("number"), {"x": text})
        d = value_of_one_row(_one_value_sql("day"), {"x": text})
        spark_n, spark_d = found[text]
        assert (spark_n is None) == (n is None), text
        assert n is None or math.isnan(n) == math.isnan(spark_n), text
        assert n is None or math.isnan(n) or spark_n == n, text
        assert spark_d == d, text
        assert d == _day_oracle(text), text
