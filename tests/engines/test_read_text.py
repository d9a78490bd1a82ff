"""``Engine.read_text``: a CSV file's text, fields picked by position, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carecover.engines import Engine, connect
from carecover.errors import InputError
from tests.engines.sessions import spark_engine


@pytest.fixture(params=["duckdb", "spark"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "spark":
        yield spark_engine()  # shared by the session: not closed here
        return
    duck = connect("duckdb")
    yield duck
    duck.close()


def rows(engine: Engine, table: Any, by: str) -> list[dict[str, Any]]:
    return engine.to_rows(table.order_by(by))


def test_it_names_fields_by_position_and_keeps_their_text_as_written(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "text.csv"
    path.write_text(
        'ID,NOTE,CCN,HOURS\n1,"a, ""quoted"" note",015001,08.50\n2,,015002,1e1\n', encoding="utf-8"
    )
    table = engine.read_text(path, {"ccn": 2, "note": 1, "hours": 3}, width=4, order="seq")
    assert list(table.columns) == ["ccn", "note", "hours", "seq"]
    assert all(str(t) == "string" for c, t in table.schema().items() if c != "seq")
    found = [{k: v for k, v in r.items() if k != "seq"} for r in rows(engine, table, "seq")]
    assert found == [
        {"ccn": "015001", "note": 'a, "quoted" note', "hours": "08.50"},
        {"ccn": "015002", "note": None, "hours": "1e1"},
    ]


def test_a_windows_1252_file_reads_as_its_characters(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes("ID,NAME\r\n1,O’Brien\r\n2,Françoise €\r\n".encode("cp1252"))
    table = engine.read_text(path, {"id": 0, "name": 1}, width=2, encoding="cp1252")
    assert [r["name"] for r in rows(engine, table, "id")] == ["O’Brien", "Françoise €"]


def test_the_order_column_grows_in_file_order_across_splits(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    numbers = list(range(400))
    path.write_text("N,PAD\n" + "".join(f"{n},{'x' * (n % 7)}\n" for n in numbers))
    conf = getattr(engine, "session", None)
    if conf is not None:  # Spark: splits of 256 bytes, so the file is read by many tasks
        conf.conf.set("spark.sql.files.maxPartitionBytes", "256")
        conf.conf.set("spark.sql.files.openCostInBytes", "0")
    try:
        table = engine.read_text(path, {"n": 0}, width=2, order="seq")
        found = [int(r["n"]) for r in rows(engine, table, "seq")]
    finally:
        if conf is not None:
            conf.conf.unset("spark.sql.files.maxPartitionBytes")
            conf.conf.unset("spark.sql.files.openCostInBytes")
    assert found == numbers


def test_a_row_of_another_width_is_an_input_error_naming_the_file(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("A,B,C\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    table = engine.read_text(path, {"a": 0}, width=3)
    with pytest.raises(InputError, match="not readable CSV") as caught:
        engine.to_rows(table)
    assert caught.value.file == str(path)


def test_a_quoted_line_break_stays_in_its_field(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "breaks.csv"
    path.write_text('A,NOTE,B\n1,"two\nlines",x\n2,one,y\n', encoding="utf-8")
    table = engine.read_text(path, {"a": 0, "note": 1, "b": 2}, width=3, order="seq")
    found = [(r["a"], r["note"], r["b"]) for r in rows(engine, table, "seq")]
    assert found == [("1", "two\nlines", "x"), ("2", "one", "y")]


def test_a_kept_table_is_not_read_from_its_file_again(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "kept.csv"
    path.write_text("A,B\n1,x\n2,y\n3,z\n", encoding="utf-8")
    text = engine.read_text(path, {"a": 0, "b": 1}, width=2)
    kept = engine.kept(text.mutate(n=text.a.cast("int64") * 10))
    first = engine.to_rows(kept.order_by("n"))
    # Kept: the file's new text is not read (the first query filled Spark's cache).
    path.write_text("A,B\n9,q\n", encoding="utf-8")
    assert engine.to_rows(kept.order_by("n")) == first
    assert [r["n"] for r in first] == [10, 20, 30]
    assert engine.to_rows(kept.aggregate(total=kept.n.sum())) == [{"total": 60}]


def test_a_kept_table_of_an_unreadable_file_is_an_input_error(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("A,B,C\n1,2,3\n4,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="not readable CSV") as caught:
        engine.to_rows(engine.kept(engine.read_text(path, {"a": 0}, width=3)))
    assert caught.value.file == str(path)


def test_a_kept_table_reads_records_spanning_lines(engine: Engine, tmp_path: Path) -> None:
    # Spark reads such a file again as one stream, and plans what it kept again.
    path = tmp_path / "breaks.csv"
    path.write_text('A,NOTE\n1,"two\nlines"\n2,one\n', encoding="utf-8")
    kept = engine.kept(engine.read_text(path, {"a": 0, "note": 1}, width=2, order="seq"))
    found = [(r["a"], r["note"]) for r in rows(engine, kept, "seq")]
    assert found == [("1", "two\nlines"), ("2", "one")]
