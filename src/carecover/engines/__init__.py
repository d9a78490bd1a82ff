"""Engines: where an Ibis expression runs (DuckDB by default, Spark on request).

Every analytic rule is an Ibis expression over typed tables and knows
nothing of the engine; the one adapter module per engine (``duckdb``,
``spark``) holds all engine-specific code. An ``Engine`` is the seam:

- ``read_csv`` reads a CSV as a typed table with a declared schema;
- ``read_text`` reads a CSV's text (every field a string, picked by
  position), for rules that check a file's text themselves;
- ``from_arrow`` makes an Arrow table (rows already checked by a loader)
  a table of the engine;
- ``to_rows``/``to_arrow`` execute an expression;
- ``close`` releases the connection (and the Spark session it started).

Record linkage (Splink, for probable duplicate residents) has its own small
seam, ``Linkage``: Splink brings its own SQL per engine, so a linkage rule
hands records and a model to ``linkage_api``/``linkage_settings`` and reads
the predictions back as Arrow. ``linkage(engine)`` gives the engine's.

``connect("duckdb")`` or ``connect("spark", master="local[*]")`` opens one;
``place(table, engine)`` moves a table that DuckDB holds (a store's) onto
it. Public files are read by each engine itself, through ``read_text``: a
daily staffing file's (``pbj.publicfile.checked``) and an Employee Detail
file's (``pbj.employees.checked``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from carecover.engines.seam import Engine, EngineName, Linkage, Schema
from carecover.errors import ConfigError

__all__ = [
    "DEFAULT_SPARK_MASTER",
    "SPARK_MASTER_VARIABLE",
    "Engine",
    "EngineName",
    "Linkage",
    "Schema",
    "connect",
    "linkage",
    "place",
    "spark_master",
]

DEFAULT_SPARK_MASTER = "local[*]"
SPARK_MASTER_VARIABLE = "CARECOVER_SPARK_MASTER"


@contextmanager
def linkage(engine: Engine | None, *, threads: int | None = None) -> Iterator[Linkage]:
    """The linkage side of ``engine``; ``None`` is a scratch DuckDB with ``threads``.

    A scratch DuckDB is closed on leaving; the caller's own engine is not.
    """
    if engine is not None and engine.name is not EngineName.DUCKDB:
        if not isinstance(engine, Linkage):  # pragma: no cover - every engine links
            raise ConfigError(f"the {engine.name} engine cannot link records")
        yield engine
        return
    from carecover.engines.duckdb import DuckDBLinkage

    scratch = DuckDBLinkage(threads)
    try:
        yield scratch
    finally:
        scratch.close()


def spark_master(master: str | None = None) -> str:
    """The Spark master URL: ``master``, else ``$CARECOVER_SPARK_MASTER``, else ``local[*]``."""
    return master or os.environ.get(SPARK_MASTER_VARIABLE) or DEFAULT_SPARK_MASTER


def connect(
    name: EngineName | str, *, master: str | None = None, memory_limit: str | None = None
) -> Engine:
    """Open the engine called ``name`` (``master`` is Spark's master URL).

    ``memory_limit`` caps DuckDB's memory (it spills beyond); Spark's memory
    is its cluster's settings, so asking Spark for one is a ``ConfigError``.
    """
    try:
        engine = EngineName(name)
    except ValueError:
        raise ConfigError(f"unknown engine {name!r} (choose duckdb or spark)") from None
    if engine is EngineName.SPARK:
        if memory_limit is not None:
            raise ConfigError(
                "--memory-limit is DuckDB's: Spark's memory is set by its cluster "
                "(spark.driver.memory, the workers' memory)"
            )
        from carecover.engines.spark import SparkEngine

        return SparkEngine.start(spark_master(master))
    from carecover.engines.duckdb import DuckDBEngine

    return DuckDBEngine.memory(memory_limit=memory_limit)


def place(table: Any, engine: Engine | None) -> Any:
    """``table`` as a table of ``engine`` (unchanged when it already is one, or no engine)."""
    import ibis

    if engine is None:
        return table
    if ibis.get_backend(table) is getattr(engine, "backend", None):
        return table
    from carecover.engines.duckdb import arrow_of

    return engine.from_arrow(arrow_of(table))
