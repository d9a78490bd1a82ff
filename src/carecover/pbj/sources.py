"""What a rule's ``source`` names, decided once: an Ibis table, a store, or public files.

The PBJ rules take their daily rows from any of three places: an Ibis table
with the store's columns (a caller that already has one, e.g. on Spark), a
DuckDB store (a path ending ``.duckdb`` or ``.db``), or one or more public
CSV files. ``resolve`` tells which, in this one place, so every rule reads
the same argument the same way and matches on a typed value instead of
testing attributes and file suffixes of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from ibis.expr.types import Table

__all__ = [
    "STORE_SUFFIXES",
    "FilesSource",
    "Resolved",
    "Source",
    "StoreSource",
    "TableSource",
    "resolve",
]

#: A path with one of these suffixes is a DuckDB store; anything else a public file.
STORE_SUFFIXES = (".duckdb", ".db")


@dataclass(frozen=True)
class TableSource:
    """An Ibis table with the store's columns, used as it is."""

    table: Any


@dataclass(frozen=True)
class StoreSource:
    """A DuckDB store written by ``pbj load``."""

    path: Path


@dataclass(frozen=True)
class FilesSource:
    """Public CSV files, read through the loader's checks."""

    paths: tuple[Path, ...]


Resolved = TableSource | StoreSource | FilesSource

Source: TypeAlias = "Table | str | Path | Iterable[str | Path] | Resolved"
"""What a rule takes: an Ibis table, a store path, public CSV path(s), or one already resolved."""


def resolve(source: object) -> Resolved:
    """The kind of ``source``: an Ibis table, a store path, or CSV path(s) (one or many)."""
    if isinstance(source, TableSource | StoreSource | FilesSource):
        return source
    if hasattr(source, "group_by"):  # an Ibis table (Ibis is not imported to check)
        return TableSource(source)
    if isinstance(source, str | Path):
        paths = [Path(source)]
    elif isinstance(source, Iterable):
        paths = [Path(p) for p in source]
    else:
        raise TypeError(f"not a table, a store or files: {type(source).__name__}")
    if len(paths) == 1 and paths[0].suffix.lower() in STORE_SUFFIXES:
        return StoreSource(paths[0].expanduser())
    return FilesSource(tuple(paths))
