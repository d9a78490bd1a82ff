"""``--engine duckdb|spark`` and ``--spark-master URL``, shared by the analytic commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from carecover.engines import DEFAULT_SPARK_MASTER, SPARK_MASTER_VARIABLE, EngineName

__all__ = ["EngineOption", "SparkMasterOption", "engine_for"]

EngineOption = Annotated[
    EngineName,
    typer.Option("--engine", help="Where the rules run: duckdb (default) or spark."),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        envvar=SPARK_MASTER_VARIABLE,
        help=f"Spark master with --engine spark (default {DEFAULT_SPARK_MASTER}).",
    ),
]


@contextmanager
def engine_for(name: EngineName, master: str | None) -> Iterator[Any]:
    """The engine to pass to a rule: ``None`` for DuckDB (the rule's own), else a Spark engine."""
    if name is EngineName.DUCKDB:
        yield None
        return
    from carecover.engines import connect

    engine = connect(name, master=master)
    try:
        yield engine
    finally:
        engine.close()
