"""The daily file's text typed by Ibis (``text.read``) gives what DuckDB's typed scan gives.

Each fixture is read by ``scan.scan_view`` (DuckDB's typed CSV scan) and by
``Engine.read_text`` and ``text.read`` on DuckDB and on Spark (``local[1]``);
the number and date parsing is checked against a Python oracle.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carecover.engines import Engine, connect
from carecover.pbj.measures.staffing import to_rows
from carecover.pbj.publicfile.checked import file_header, text_encoding
from carecover.pbj.publicfile.scan import scan_view, scanned_rows
from carecover.pbj.publicfile.text import read, text_columns, typed_columns, values
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
