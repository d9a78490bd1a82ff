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


def test_a_memory_limit_caps_duckdb_which_spills_what_does_not_fit(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carecover.engines.duckdb import quiet

    monkeypatch.chdir(str(tmp_path))  # an in-memory DuckDB spills into ./.tmp
    engine = connect("duckdb", memory_limit="48MB")
    con = engine.backend.con
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit.endswith("MiB")
    assert float(limit.split()[0]) < 50
    # About 100 MB of rows kept under a 48 MB cap: they go to disk, none lost.
    con.execute(
        "CREATE TEMP VIEW big AS SELECT i, repeat('x', 24) || i AS s FROM range(3000000) r(i)"
    )
    with quiet():  # Ibis asks this DuckDB for the view's schema by a deprecated name
        big = engine.backend.table("big")
    kept = engine.kept(big)
    counted = engine.to_rows(kept.aggregate(n=kept.count(), top=kept.i.max()))
    (spilled,) = con.execute("SELECT sum(size) FROM duckdb_temporary_files()").fetchone()
    engine.close()
    assert counted == [{"n": 3_000_000, "top": 2_999_999}]
    assert spilled > 0


@pytest.mark.parametrize("size", ["lots", "-1GB", " -2MB", "nanGB", "infGB", "1e308GB", "0"])
def test_a_memory_limit_that_is_not_a_size_names_the_option(size: str) -> None:
    from carecover.errors import InputError

    with pytest.raises(InputError, match="not a memory size") as caught:
        connect("duckdb", memory_limit=size)
    assert caught.value.field == "--memory-limit"


def test_a_memory_limit_is_refused_for_spark_before_it_starts() -> None:
    with pytest.raises(ConfigError, match="--memory-limit is DuckDB's"):
        connect("spark", memory_limit="1GB")
