"""Choosing an engine and its Spark master."""

from __future__ import annotations

import pytest

from carecover.engines import connect, spark_master
from carecover.errors import ConfigError


def test_the_spark_master_comes_from_the_option_then_the_environment_then_local(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARECOVER_SPARK_MASTER", raising=False)
    assert spark_master() == "local[*]"
    monkeypatch.setenv("CARECOVER_SPARK_MASTER", "spark://127.0.0.1:7077")
    assert spark_master() == "spark://127.0.0.1:7077"
    assert spark_master("local[2]") == "local[2]"


def test_an_unknown_engine_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="unknown engine 'polars'"):
        connect("polars")


def test_the_duckdb_engine_reads_a_csv_with_its_declared_types(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "rows.csv"
    path.write_text("id,day,hours\nA,2024-04-01,7.5\nB,2024-04-02,\n", encoding="utf-8")
    engine = connect("duckdb")
    table = engine.read_csv(path, {"id": "string", "day": "date", "hours": "float64"})
    rows = engine.to_rows(table.order_by("id"))
    engine.close()
    assert [r["hours"] for r in rows] == [7.5, None]
    assert str(table.schema()["day"]) == "date"
