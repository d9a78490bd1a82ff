"""A rule's ``source`` is told apart in one place (issue 14 §1): table, store, or files."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from carecover.pbj.sources import FilesSource, StoreSource, TableSource, resolve


def test_an_ibis_table_is_used_as_it_is() -> None:
    table = ibis.table({"provnum": "string"}, name="t")
    assert resolve(table) == TableSource(table)


@pytest.mark.parametrize("name", ["staffing.duckdb", "STAFFING.DB", "x.db"])
def test_one_path_ending_duckdb_or_db_is_a_store(name: str) -> None:
    assert resolve(name) == StoreSource(Path(name))
    assert resolve([Path(name)]) == StoreSource(Path(name))


def test_a_store_path_starting_with_a_tilde_is_expanded() -> None:
    found = resolve("~/staffing.duckdb")
    assert isinstance(found, StoreSource)
    assert "~" not in str(found.path)


def test_csv_files_one_or_many_are_files() -> None:
    assert resolve("a.csv") == FilesSource((Path("a.csv"),))
    assert resolve(["a.csv", Path("b.CSV")]) == FilesSource((Path("a.csv"), Path("b.CSV")))


def test_two_stores_are_not_one_store() -> None:
    assert isinstance(resolve(["a.duckdb", "b.duckdb"]), FilesSource)


def test_a_resolved_source_resolves_to_itself() -> None:
    files = FilesSource((Path("a.csv"),))
    assert resolve(files) is files


def test_anything_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not a table, a store or files: int"):
        resolve(3)
