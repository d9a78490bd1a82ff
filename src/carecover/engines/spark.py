"""The Spark engine: Ibis's PySpark backend on a local or standalone cluster.

One SparkSession per process (Spark allows no more): ``start`` reuses a
running one. Time is read and written in UTC so dates do not move with the
machine's zone. Arrow tables go to Spark through ``createDataFrame`` of the
Arrow table itself: Ibis's in-memory tables pass through pandas, where a
missing hours value becomes NaN and sums turn NaN (seen on pyspark 4.0.5).
"""

from __future__ import annotations

import gc
import warnings
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from carecover.engines import EngineName, Schema
from carecover.errors import ConfigError

__all__ = ["SparkEngine"]

_SPARK_TYPES = {"string": "STRING", "int64": "BIGINT", "float64": "DOUBLE", "date": "DATE"}
_names = count()


@dataclass
class SparkEngine:
    """Ibis on a SparkSession."""

    session: Any
    backend: Any
    owns_session: bool = True
    name: EngineName = EngineName.SPARK

    @classmethod
    def start(cls, master: str, *, partitions: int | None = None) -> SparkEngine:
        """Start (or reuse) the process's SparkSession on ``master``."""
        try:
            import ibis
            from pyspark.sql import SparkSession
        except ImportError as error:  # pragma: no cover - pyspark is a dependency
            raise ConfigError(f"the Spark engine needs pyspark ({error})") from None
        builder = (
            SparkSession.builder.master(master)
            .appName("carecover")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        if partitions is not None:
            builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
        running = SparkSession.getActiveSession()
        try:
            session = builder.getOrCreate()
        except Exception as error:  # py4j and Java errors have no common base
            raise ConfigError(f"could not start Spark on {master}: {error}") from None
        session.sparkContext.setLogLevel("ERROR")
        # A session that was running before (a notebook's, the tests' shared
        # one) is the caller's to stop, not ours.
        return cls(session, ibis.pyspark.connect(session), owns_session=running is None)

    def read_csv(self, path: Path, schema: Schema, *, date_format: str = "yyyy-MM-dd") -> Any:
        """The CSV at ``path`` typed by ``schema``; a row that does not fit fails the read."""
        ddl = ", ".join(f"`{c}` {_SPARK_TYPES[t]}" for c, t in schema.items())
        frame = self.session.read.csv(
            str(path), header=True, schema=ddl, mode="FAILFAST", dateFormat=date_format
        )
        return self._view(frame)

    def from_arrow(self, table: Any) -> Any:
        """An Arrow table as a Spark table (nulls stay nulls)."""
        return self._view(self.session.createDataFrame(table))

    def _view(self, frame: Any) -> Any:
        name = f"carecover_{next(_names)}"
        frame.createOrReplaceTempView(name)
        return self.backend.table(name)

    def to_arrow(self, expr: Any) -> Any:
        """Execute ``expr`` on Spark into Arrow, typed as ``expr`` says.

        Through ``DataFrame.toArrow``, not Ibis's ``to_pyarrow``: that goes
        through pandas (a float column with nulls becomes NaN on the way).
        """
        frame = self.session.sql(str(self.backend.compile(expr)))
        with warnings.catch_warnings():
            # PySpark leaves the socket it collected from for the garbage
            # collector to close ("closed when garbage-collected", pyspark
            # util.py); collect it here, where its ResourceWarning is known.
            warnings.simplefilter("ignore", ResourceWarning)
            arrow = frame.toArrow()
            gc.collect()
        return arrow.cast(expr.schema().to_pyarrow())

    def to_rows(self, expr: Any) -> list[dict[str, Any]]:
        """Execute ``expr`` on Spark into row dictionaries, in its order."""
        rows: list[dict[str, Any]] = self.to_arrow(expr).to_pylist()
        return rows

    def close(self) -> None:
        """Stop the SparkSession if this engine started it."""
        if self.owns_session:
            self.session.stop()
