"""The DuckDB engine: the default, in process, one connection."""

from __future__ import annotations

import re
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.engines.seam import EngineName, Schema
from carecover.errors import InputError
from carecover.filekind import utf8_copy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "PARAMETERS",
    "DuckDBEngine",
    "DuckDBLinkage",
    "arrow_of",
    "arrow_of_sql",
    "parameters",
    "quiet",
    "rows_of",
    "rows_of_sql",
    "rows_over_arrow",
    "sql_of",
    "table_of",
    "text_sql",
    "value_of_one_row",
    "with_parameters",
]

_DUCKDB_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE", "date": "DATE"}
_names = count()
_scratch = threading.local()
_CSV_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)


@contextmanager
def quiet() -> Iterator[None]:
    """Silence ibis 12's call of DuckDB 2.0's deprecated ``fetch_arrow_table``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        yield


def arrow_of(expr: Any) -> Any:
    """Execute a DuckDB-backed Ibis expression on its own connection, into Arrow.

    The compiled SQL runs on the connection itself, not a cursor: temp tables
    (a checked file scan, a registered Arrow table) live per connection.
    """
    import ibis

    backend = ibis.get_backend(expr)
    with quiet():  # DuckDB 2.0 warns from inside its own to_arrow_table
        sql = str(ibis.to_sql(expr, dialect="duckdb"))
        schema = expr.schema().to_pyarrow()
        # Cast to the expression's own types (DuckDB sums integers as HUGEINT).
        return backend.con.sql(sql).to_arrow_table().cast(schema)


def table_of(con: DuckDBPyConnection, name: str, *, database: str | None = None) -> Any:
    """The table ``name`` (of the attached ``database``) of a DuckDB connection, as Ibis.

    For rules run on a store's own connection, where its temporary tables and
    attached stores are visible: the result is an unbound Ibis table with the
    table's schema, to compile with ``sql_of`` and run with ``rows_of`` on
    ``con``. (Reading only the schema costs half a millisecond; an Ibis
    backend over the connection cost tens on a store, per call.)
    """
    import ibis

    qualified = ".".join(_quoted(part) for part in (database, name) if part)
    # execute(), not sql(): a caller may hold a half-read result on ``con``,
    # which execute() replaces and sql() refuses. Its warning is about copying
    # rows, and there are none.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)
        arrow = con.execute(f"SELECT * FROM {qualified} LIMIT 0").to_arrow_table().schema
    # Arrow calls every column nullable; a NOT NULL column stays one for Ibis,
    # as its DuckDB backend would type it (Ibis keeps a cast only between types
    # that differ, nullability included).
    required = {row[0] for row in con.execute(f"DESCRIBE {qualified}").fetchall() if row[2] == "NO"}
    types = ibis.Schema.from_pyarrow(arrow)
    schema = {
        column: dtype.copy(nullable=False) if column in required else dtype
        for column, dtype in types.items()
    }
    return ibis.table(schema, name=name, database=database)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def text_sql(path: Path, columns: Mapping[str, int], width: int) -> str:
    """A query of the UTF-8 CSV at ``path`` as text, ``columns`` picked by position.

    Every one of the ``width`` columns is VARCHAR, named explicitly (no
    sniffing), the header skipped, strict RFC 4180 quoting (``Engine.read_text``).
    """
    types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    picks = ", ".join(f"c{at} AS {_quoted(name)}" for name, at in columns.items())
    quoted = str(path).replace("'", "''")  # a view's SQL cannot take parameters
    return (
        f"SELECT {picks} FROM read_csv('{quoted}', header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        f"columns = {{{types}}})"
    )


def sql_of(expr: Any) -> str:
    """An Ibis expression as DuckDB SQL."""
    import ibis

    return str(ibis.to_sql(expr, dialect="duckdb"))


def rows_of(con: DuckDBPyConnection, expr: Any) -> list[dict[str, Any]]:
    """Run ``expr`` on the DuckDB connection ``con``; its rows as dictionaries, in order."""
    return rows_of_sql(con, sql_of(expr))


#: The one-row table of a rule's run-time parameters (``parameters``).
PARAMETERS = "carecover_parameters"


def parameters(**types: str) -> Any:
    """A one-row Ibis table of run-time parameters, named ``PARAMETERS``.

    A rule compares with ``parameters(facility="string").facility.as_scalar()``
    instead of a literal, so its SQL is compiled once and run for any value
    (``rows_of_sql(con, sql, parameters={"facility": ...})``): compiling an
    Ibis expression costs tens of milliseconds, running it on a store a few.
    """
    import ibis

    return ibis.table(types, name=PARAMETERS)


def rows_of_sql(
    con: DuckDBPyConnection, sql: str, *, parameters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run an expression already compiled by ``sql_of`` on ``con``; rows as dictionaries.

    ``parameters`` gives the values of the rule's ``PARAMETERS`` table, in
    order of its columns. The rows come back in no set order: the caller sorts them.
    """
    sql, values = with_parameters(sql, parameters)
    result = con.execute(sql, values)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def arrow_of_sql(
    con: DuckDBPyConnection, sql: str, *, parameters: dict[str, Any] | None = None
) -> Any:
    """Run an expression compiled by ``sql_of`` on ``con`` into Arrow (``rows_of_sql``).

    For results too large for row dictionaries: Arrow straight from a
    relation is not copied. DuckDB 2 runs no relation beside an unfinished
    result, so give a cursor of a connection that may hold one.
    """
    sql, values = with_parameters(sql, parameters)
    return con.sql(sql, params=values).to_arrow_table()


def with_parameters(sql: str, parameters: dict[str, Any] | None) -> tuple[str, list[Any]]:
    """``sql`` over the one-row ``PARAMETERS`` table of ``parameters``, and its values.

    The values go to DuckDB as ``$1``, ``$2``...: never spliced into the text.
    """
    if not parameters:
        return sql, []
    row = ", ".join(f"${i} AS {_quoted(name)}" for i, name in enumerate(parameters, start=1))
    return f"WITH {PARAMETERS} AS (SELECT {row}) SELECT * FROM ({sql})", list(parameters.values())


def rows_over_arrow(sql: str, tables: dict[str, Any]) -> list[dict[str, Any]]:
    """Run compiled ``sql`` over Arrow ``tables`` (name -> table); rows as dictionaries.

    For a rule applied to a record or a value at a time (``validate_record``,
    ``resident_key``): the same compiled expression a file is checked with,
    on a scratch in-memory connection kept per thread (opening one costs
    more than the query).
    """
    import duckdb

    con = getattr(_scratch, "con", None)
    if con is None:
        con = _scratch.con = duckdb.connect(":memory:")
    try:
        for name, table in tables.items():
            con.register(name, table)
        return rows_of_sql(con, sql)
    finally:
        for name in tables:
            con.unregister(name)


def value_of_one_row(sql: str, values: dict[str, str]) -> Any:
    """The first value ``sql`` gives over the one-row text table ``one_row`` of ``values``."""
    import pyarrow as pa  # type: ignore[import-untyped]

    row = pa.table({name: pa.array([value], pa.string()) for name, value in values.items()})
    found = rows_over_arrow(sql, {"one_row": row})
    return next(iter(found[0].values()))


@dataclass
class DuckDBEngine:
    """Ibis on a DuckDB connection (``memory()`` for a scratch one)."""

    backend: Any
    name: EngineName = EngineName.DUCKDB
    scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)
    copies: dict[str, Path] = field(default_factory=dict, repr=False)  # UTF-8 copy -> file

    @classmethod
    def memory(cls, *, memory_limit: str | None = None) -> DuckDBEngine:
        """A new in-memory DuckDB engine.

        ``memory_limit`` (``1.5GB``, ``800MB``) caps what DuckDB keeps in
        memory; beyond it, it spills to disk (a bad size: ``InputError``
        naming ``--memory-limit``).
        """
        import ibis

        from carecover.storefile import cap_memory

        engine = cls(ibis.duckdb.connect(":memory:"))
        if memory_limit is not None:
            try:
                cap_memory(engine.backend.con, memory_limit)
            except BaseException:
                engine.close()
                raise
        return engine

    def read_csv(self, path: Path, schema: Schema, *, date_format: str = "yyyy-MM-dd") -> Any:
        """The CSV at ``path`` typed by ``schema`` (a row that does not fit fails the read)."""
        columns = ", ".join(f"'{c}': '{_DUCKDB_TYPES[t]}'" for c, t in schema.items())
        fmt = date_format.replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d")
        name = f"csv_{next(_names)}"
        quoted = str(path).replace("'", "''")  # a view's SQL cannot take parameters
        self.backend.con.execute(
            f"CREATE TEMP VIEW {name} AS SELECT * FROM read_csv('{quoted}', header = true, "
            f"columns = {{{columns}}}, dateformat = '{fmt}')"
        )
        with quiet():
            return self.backend.table(name)

    def read_text(
        self,
        path: Path,
        columns: Mapping[str, int],
        *,
        width: int,
        encoding: str = "utf-8",
        order: str | None = None,
    ) -> Any:
        """The CSV at ``path`` as text, ``columns`` picked by position (see ``Engine``).

        ``order`` is ``row_number() OVER ()``: DuckDB numbers rows in the
        scan's order while ``preserve_insertion_order`` is on, on one thread.
        """
        name = f"text_{next(_names)}"
        numbered = f", row_number() OVER () AS {_quoted(order)}" if order else ""
        sql = text_sql(self._utf8(path, encoding), columns, width)
        self.backend.con.execute(f"CREATE TEMP VIEW {name} AS SELECT *{numbered} FROM ({sql})")
        with quiet():
            return self.backend.table(name)

    def _utf8(self, path: Path, encoding: str) -> Path:
        """``path``, or for ``cp1252`` a UTF-8 copy (DuckDB reads only UTF-8 and strict Latin-1)."""
        if encoding == "utf-8":
            return path
        if encoding != "cp1252":
            raise ValueError(f"unknown text encoding {encoding!r} (utf-8 or cp1252)")
        if self.scratch is None:
            self.scratch = tempfile.TemporaryDirectory(prefix="carecover-text-")
        copy = utf8_copy(path, Path(self.scratch.name) / f"{next(_names)}.csv")
        self.copies[str(copy)] = path
        return copy

    def from_arrow(self, table: Any) -> Any:
        """An Arrow table as a DuckDB table (registered, not copied)."""
        name = f"arrow_{next(_names)}"
        self.backend.con.register(name, table)
        with quiet():
            return self.backend.table(name)

    def kept(self, table: Any) -> Any:
        """``table`` computed now into a temporary table (see ``Engine.kept``)."""
        name = f"kept_{next(_names)}"
        with self._csv_errors():
            self.backend.con.execute(f"CREATE TEMP TABLE {name} AS {sql_of(table)}")
        with quiet():
            return self.backend.table(name)

    def to_arrow(self, expr: Any) -> Any:
        """Execute ``expr`` on DuckDB into Arrow (a file not readable as CSV: ``InputError``)."""
        with self._csv_errors():
            return arrow_of(expr)

    @contextmanager
    def _csv_errors(self) -> Iterator[None]:
        """DuckDB's error for a file it cannot read as CSV, as an ``InputError`` naming it."""
        import duckdb

        try:
            yield
        except duckdb.InvalidInputException as error:
            said = str(error)
            found = _CSV_FILE.search(said)
            if "CSV Error" not in said or found is None:
                raise
            reason = said.splitlines()[0].removeprefix("Invalid Input Error: ")
            file = str(self.copies.get(found.group(1), found.group(1)))
            raise InputError(f"not readable CSV ({reason})", file=file) from None

    def to_rows(self, expr: Any) -> list[dict[str, Any]]:
        """Execute ``expr`` on DuckDB into row dictionaries."""
        rows: list[dict[str, Any]] = self.to_arrow(expr).to_pylist()
        return rows

    def close(self) -> None:
        """Close the DuckDB connection (and remove the UTF-8 copies it read)."""
        self.backend.disconnect()
        if self.scratch is not None:
            self.scratch.cleanup()


@dataclass
class DuckDBLinkage:
    """Record linkage (Splink) in a scratch in-memory DuckDB: the default engine's side.

    The same methods as ``SparkEngine``'s linkage ones, so a linkage rule is
    written once. The scratch database holds Splink's work tables and is
    closed with ``close``; the caller's store is never written.
    """

    threads: int | None = None
    con: DuckDBPyConnection = None
    name: EngineName = EngineName.DUCKDB

    def __post_init__(self) -> None:
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        if self.threads is not None:
            self.con.execute(f"SET threads = {int(self.threads)}")

    def linkage_api(self) -> Any:
        """Splink's database API on the scratch connection."""
        from splink import DuckDBAPI

        return DuckDBAPI(self.con)

    def linkage_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """``settings`` as they are: the model is written in DuckDB's SQL."""
        return settings

    def linkage_input(self, table: Any) -> Any:
        """An Arrow table of records to link, as a scratch table's name."""
        name = f"linkage_input_{next(_names)}"
        self.con.register(f"{name}_arrow", table)
        self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")
        return name

    def linkage_output(self, predictions: Any, columns: tuple[str, ...]) -> Any:
        """Columns of Splink's predictions (a SplinkDataFrame) as an Arrow table."""
        cursor = self.con.cursor()
        try:
            return cursor.sql(
                f"SELECT {', '.join(columns)} FROM {predictions.physical_name}"
            ).to_arrow_table()
        finally:
            cursor.close()

    @contextmanager
    def reproducible(self) -> Iterator[None]:
        """Seeded random sampling repeats only single-threaded in DuckDB."""
        # fetchall, not fetchone: DuckDB 2 refuses Splink's next query beside
        # an unfinished result.
        ((threads,),) = self.con.execute("SELECT current_setting('threads')").fetchall()
        self.con.execute("SET threads = 1")
        try:
            yield
        finally:
            self.con.execute(f"SET threads = {int(threads)}")

    def linking(self) -> AbstractContextManager[None]:
        """The context of one linkage run (nothing to set up in DuckDB)."""
        return nullcontext()

    def close(self) -> None:
        """Close the scratch database."""
        self.con.close()
