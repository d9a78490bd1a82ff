"""The daily file's text typed by Ibis (``text.read``) gives what DuckDB's typed scan gives.

Each fixture is read by ``scan.scan_view`` (DuckDB's typed CSV scan) and by
``Engine.read_text`` and ``text.read`` on DuckDB and on Spark (``local[1]``);
the number and date parsing is checked against a Python oracle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import ibis
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from carecover.engines import Engine, connect
from carecover.engines.duckdb import sql_of, value_of_one_row
from carecover.mds.record_rules import parse_date
from carecover.pbj.measures.staffing import to_rows
from carecover.pbj.publicfile.checked import file_header, text_encoding
from carecover.pbj.publicfile.scan import scan_view, scanned_rows
from carecover.pbj.publicfile.text import number, read, text_columns, typed_columns, values
from carecover.pbj.store import connect as store
from tests.engines.sessions import assert_same_rows, spark_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
UNREADABLE = {FIXTURES / "truncated.csv", FIXTURES / "utf16.csv"}
READABLE = sorted(set(FIXTURES.glob("*.csv")) - UNREADABLE)


@pytest.fixture
def duck() -> Iterator[Engine]:
    engine = connect("duckdb")
    yield engine
    engine.close()


def scanned(path: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """The typed rows DuckDB's scan gives, in the columns ``text.values`` gives."""
    con = store(":memory:")
    header = scan_view(con, path, "scan", tmp_path)
    t, _ = scanned_rows(con, "scan", header.kind)
    columns = ["provnum", "quarter", "workdate", "mdscensus", *typed_columns(header)[4:]]
    ordered = t.select(*columns).order_by(["provnum", "workdate"])
    return to_rows(ordered)


def typed(engine: Engine, path: Path) -> list[dict[str, Any]]:
    header, width = file_header(path)
    encoding = text_encoding(path)
    table = engine.read_text(path, text_columns(header), width=width, encoding=encoding)
    t, row = read(table, header)
    return engine.to_rows(t.select(**values(row)).order_by(["provnum", "workdate"]))


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_it_types_every_fixture_as_duckdbs_scan_does(
    duck: Engine, path: Path, tmp_path: Path
) -> None:
    assert_same_rows(scanned(path, tmp_path), typed(duck, path))


@pytest.mark.parametrize(
    "name", ["cp1252_name.csv", "both_don_2017Q2.csv", "lowercase_2017Q1.csv", "iso_workdate.csv"]
)
def test_it_types_cp1252_and_drifted_headers_on_spark_as_duckdbs_scan_does(
    name: str, tmp_path: Path
) -> None:
    path = FIXTURES / name
    assert_same_rows(scanned(path, tmp_path), typed(spark_engine(), path))


def test_it_takes_the_first_non_blank_of_a_column_given_twice(duck: Engine) -> None:
    rows = typed(duck, FIXTURES / "both_don_2017Q2.csv")
    # Hrs_RNDON blank then hrs_rn_donadmin 7.5 on the first day; 0 and blank on the second.
    assert [r["hrs_rndon"] for r in rows] == [7.5, 0.0]


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
