"""The engine seam's types: what a rule may ask of an engine (see ``carecover.engines``).

Apart from the package so that the adapters (``duckdb``, ``spark``) can name
them without importing the package that opens them.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["Engine", "EngineName", "Linkage", "Schema"]


Schema = Mapping[str, str]
"""Column name -> Ibis type name (``string``, ``int64``, ``float64``, ``date``), in file order."""


class EngineName(StrEnum):
    """The engines a rule can run on."""

    DUCKDB = "duckdb"
    SPARK = "spark"


class Engine(Protocol):
    """A connection that runs Ibis expressions (see the module docstring)."""

    name: EngineName

    def read_csv(self, path: Path, schema: Schema, *, date_format: str = "yyyy-MM-dd") -> Any:
        """The CSV at ``path`` (with a header) as an Ibis table typed by ``schema``."""
        ...

    def read_text(
        self,
        path: Path,
        columns: Mapping[str, int],
        *,
        width: int,
        encoding: str = "utf-8",
        order: str | None = None,
    ) -> Any:
        """The CSV at ``path`` as an Ibis table of text: ``columns`` names fields by position.

        Every column is a string as written (an empty field may be NULL); the
        header line is skipped; commas, RFC 4180 quoting (``"``, doubled to
        escape), ``width`` fields a row; ``encoding`` is ``utf-8`` or
        ``cp1252``. ``order`` names an added int64 column that grows in file
        order (not consecutive). A file that is not such CSV (a quote left
        open, a row of another width) raises ``InputError`` naming the file
        when the table is run, never a row dropped.
        """
        ...

    def from_arrow(self, table: Any) -> Any:
        """An Arrow table as an Ibis table of this engine."""
        ...

    def kept(self, table: Any) -> Any:
        """``table`` computed once for the queries that follow: they do not read its sources again.

        The engine keeps it as it keeps data (DuckDB: a temporary table;
        Spark: its cache, spilling to disk). An unreadable source raises
        ``InputError`` as ``to_arrow`` would, here or when first run.
        """
        ...

    def to_arrow(self, expr: Any) -> Any:
        """Execute ``expr`` and return an Arrow table."""
        ...

    def to_rows(self, expr: Any) -> list[dict[str, Any]]:
        """Execute ``expr`` and return its rows as dictionaries, in its order."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


@runtime_checkable
class Linkage(Protocol):
    """Where Splink links records (see the module docstring)."""

    name: EngineName

    def linkage_api(self) -> Any:
        """Splink's database API for this engine."""
        ...

    def linkage_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Splink settings written in DuckDB's SQL, in this engine's SQL."""
        ...

    def linkage_input(self, table: Any) -> Any:
        """An Arrow table of records as what Splink's ``Linker`` takes on this engine."""
        ...

    def linkage_output(self, predictions: Any, columns: tuple[str, ...]) -> Any:
        """``columns`` of Splink's predictions as an Arrow table."""
        ...

    def reproducible(self) -> AbstractContextManager[None]:
        """A context in which seeded random sampling gives the same sample each run."""
        ...

    def linking(self) -> AbstractContextManager[None]:
        """The context of one linkage run (the engine's clean-up after Splink)."""
        ...
