"""The DuckDB adapter's helpers for rules run on a store's own connection."""

from __future__ import annotations

from pathlib import Path

import duckdb

from carecover.engines.duckdb import (
    arrow_of_sql,
    parameters,
    rows_of,
    rows_of_sql,
    sql_of,
    table_of,
)


def test_a_table_keeps_its_types_and_its_not_null_columns() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (k VARCHAR NOT NULL, d DATE, n INTEGER[], x DECIMAL(10, 2))")
    schema = table_of(con, "t").schema()
    assert [(c, str(t)) for c, t in schema.items()] == [
        ("k", "!string"),
        ("d", "date"),
        ("n", "array<int32>"),
        ("x", "decimal(10, 2)"),
    ]


def test_temporary_and_attached_tables_are_read_on_the_connection(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("ATTACH ? AS other", [str(tmp_path / "other.duckdb")])
    con.execute("CREATE TABLE other.kept AS SELECT 7 AS v")
    con.execute('CREATE TEMP TABLE "odd ""name""" AS SELECT 1 AS v UNION ALL SELECT 2')
    odd = table_of(con, 'odd "name"')
    assert rows_of(con, odd.order_by("v")) == [{"v": 1}, {"v": 2}]
    assert rows_of(con, table_of(con, "kept", database="other")) == [{"v": 7}]


def test_a_half_read_result_on_the_connection_does_not_get_in_the_way() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS v FROM range(5000)")
    con.execute("SELECT * FROM t").fetchone()
    t = table_of(con, "t")
    assert rows_of(con, t.aggregate(n=t.count())) == [{"n": 5000}]


def test_a_rule_compiled_once_runs_for_each_value_of_its_parameters() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('TX', 1), ('TX', 2), ('NC', 5)) v(s, n)")
    t = table_of(con, "t")
    given = parameters(state="string", least="int64")
    picked = t.filter((t.s == given.state.as_scalar()) & (t.n >= given.least.as_scalar()))
    sql = sql_of(picked.aggregate(total=picked.n.sum()))
    assert rows_of_sql(con, sql, parameters={"state": "TX", "least": 2}) == [{"total": 2}]
    assert rows_of_sql(con, sql, parameters={"least": 0, "state": "NC"}) == [{"total": 5}]
    # A value is data, never SQL.
    assert rows_of_sql(con, sql, parameters={"state": "' OR 1=1 --", "least": 0}) == [
        {"total": None}
    ]


def test_a_compiled_rule_runs_into_arrow_with_its_parameters_on_a_cursor() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('TX', 1), ('TX', 2), ('NC', 5)) v(s, n)")
    t = table_of(con, "t")
    state = parameters(state="string").state.as_scalar()
    sql = sql_of(t.filter(t.s == state).select("n").order_by("n"))
    half_read = con.execute("SELECT * FROM range(5000)")
    half_read.fetchone()
    cursor = con.cursor()
    assert arrow_of_sql(cursor, sql, parameters={"state": "TX"}).to_pydict() == {"n": [1, 2]}
    assert arrow_of_sql(cursor, sql, parameters={"state": "NC"}).column("n").to_pylist() == [5]
    assert half_read.fetchone() == (1,), "the connection's own result is left alone"
