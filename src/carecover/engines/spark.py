"""The Spark engine: Ibis's PySpark backend on a local or standalone cluster.

One SparkSession per process (Spark allows no more): ``start`` reuses a
running one. Time is read and written in UTC so dates do not move with the
machine's zone. Arrow tables go to Spark through ``createDataFrame`` of the
Arrow table itself: Ibis's in-memory tables pass through pandas, where a
missing hours value becomes NaN and sums turn NaN (seen on pyspark 4.0.5).

A file's text (``read_text``) is read by Spark's CSV reader in parallel
splits of its lines, strictly: every row must have the header's width
(FAILFAST, and column pruning off, which would let a short row pass when a
rule reads few columns). A record holding a quoted line break spans lines, so
a split sees rows of another width: the file is then read again as one
record stream (``multiLine``, one task for the file) before it is refused.
The order column is the split's byte offset plus the row's place in its
split (``monotonically_increasing_id``'s low 33 bits): every row takes at
least two bytes and a split holds the rows that start in it, so that sum
grows in file order however the file is split.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import re
import socket
import warnings
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import resources
from itertools import count
from pathlib import Path
from typing import Any

from carecover.engines.seam import EngineName, Schema
from carecover.errors import ConfigError, InputError

__all__ = ["SparkEngine", "check_master"]

_SPARK_TYPES = {"string": "STRING", "int64": "BIGINT", "float64": "DOUBLE", "date": "DATE"}
_CHARSETS = {"utf-8": "UTF-8", "cp1252": "windows-1252"}
_ROW_IN_SPLIT = (1 << 33) - 1  # monotonically_increasing_id: partition << 33 | row in it
_MALFORMED = ("MALFORMED_RECORD_IN_PARSING", "MALFORMED_CSV_RECORD")
_names = count()
# The master URLs Spark takes ("Master URLs" in Spark's Submitting Applications).
_HOST_PORT = r"(?:\[[0-9A-Fa-f:.]+\]|[^\s,/:\[\]]+):[0-9]{1,5}"
_MASTER_URL = re.compile(
    r"local(?:\[(?:\*|[1-9][0-9]*)(?:,[1-9][0-9]*)?\])?"
    r"|local-cluster\[[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*\]"
    rf"|spark://{_HOST_PORT}(?:,{_HOST_PORT})*"
    r"|yarn|k8s://\S+"
)
_MASTER_FORMS = "local[*], local[N], spark://HOST:PORT[,HOST:PORT...], yarn or k8s://HOST:PORT"
_REACH_SECONDS = 5.0


@dataclass(frozen=True)
class _Text:
    """How a ``read_text`` view reads its file (kept to read it again as one stream)."""

    path: Path
    columns: tuple[tuple[str, int], ...]
    width: int
    encoding: str
    order: str | None


@dataclass
class SparkEngine:
    """Ibis on a SparkSession."""

    session: Any
    backend: Any
    owns_session: bool = True
    name: EngineName = EngineName.SPARK
    texts: dict[str, _Text] = field(default_factory=dict, repr=False)
    streams: set[str] = field(default_factory=set, repr=False)  # texts read with multiLine
    # ``kept`` views: their SQL and cached frame, made again after a text is read again.
    keeps: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

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
            # A command's output is its report: no stage progress bars on stderr.
            .config("spark.ui.showConsoleProgress", "false")
        )
        quiet = _quiet_logging()
        if quiet is not None:
            builder = builder.config("spark.driver.extraJavaOptions", quiet)
        jar = _similarity_jar()
        if jar is not None:
            # Splink's string-similarity functions (Jaro-Winkler, Damerau-
            # Levenshtein) are Java UDFs: the jar must be on the session's
            # class path from its start (``linkage_api`` registers them).
            builder = builder.config("spark.jars", str(jar))
        if partitions is not None:
            builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
        check_master(master)
        running = SparkSession.getActiveSession()
        try:
            session = builder.getOrCreate()
        except Exception as error:  # py4j and Java errors have no common base
            message = _java_message(error)
            raise ConfigError(f"could not start Spark on {master}: {message}") from None
        session.sparkContext.setLogLevel("ERROR")
        # A row of another width fails a text read whatever columns a rule
        # reads: with pruning, Spark parses only those and lets a short row pass.
        session.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
        # Spark 4's CSV reader takes windows-1252 only among the JDK's charsets.
        session.conf.set("spark.sql.legacy.javaCharsets", "true")
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

    def read_text(
        self,
        path: Path,
        columns: Mapping[str, int],
        *,
        width: int,
        encoding: str = "utf-8",
        order: str | None = None,
    ) -> Any:
        """The CSV at ``path`` as text, ``columns`` picked by position (see ``Engine``)."""
        if encoding not in _CHARSETS:
            raise ValueError(f"unknown text encoding {encoding!r} (utf-8 or cp1252)")
        name = f"carecover_{next(_names)}"
        self.texts[name] = _Text(path, tuple(columns.items()), width, encoding, order)
        self._define_text(name, stream=False)
        return self.backend.table(name)

    def _define_text(self, name: str, *, stream: bool) -> None:
        text = self.texts[name]
        frame = self.session.read.csv(
            str(text.path),
            schema=", ".join(f"c{i} STRING" for i in range(text.width)),
            header=True,
            sep=",",
            quote='"',
            escape='"',
            mode="FAILFAST",
            encoding=_CHARSETS[text.encoding],
            multiLine=stream,
        )
        picks = [f"c{at} AS `{column}`" for column, at in text.columns]
        if text.order:
            picks.append(
                "input_file_block_start() + (monotonically_increasing_id() & "
                f"{_ROW_IN_SPLIT}) AS `{text.order}`"
            )
        frame.selectExpr(*picks).createOrReplaceTempView(name)
        if stream:
            self.streams.add(name)

    def _read_again(self, said: str) -> bool:
        """After a failed query: read its malformed text file again as one stream.

        False when the failure is not a text file Spark could not parse; an
        ``InputError`` naming the file when it was read as one stream already.
        """
        if not any(mark in said for mark in _MALFORMED):
            return False
        failed = [
            name
            for name, text in self.texts.items()
            if text.path.resolve().as_uri() in said or str(text.path.resolve()) in said
        ]
        if not failed:
            return False
        again = [name for name in failed if name not in self.streams]
        if not again:
            raise InputError(
                "not readable CSV (a quote left open, or a row of another width)",
                file=str(self.texts[failed[0]].path),
            )
        for name in again:
            self._define_text(name, stream=True)
        # A kept frame's plan read the text the first way: plan it again.
        for name, (sql, frame) in list(self.keeps.items()):
            frame.unpersist()
            self._keep(name, sql)
        return True

    def from_arrow(self, table: Any) -> Any:
        """An Arrow table as a Spark table (nulls stay nulls)."""
        return self._view(self.session.createDataFrame(table))

    def kept(self, table: Any) -> Any:
        """``table`` in Spark's cache, filled by the first query that runs it (``Engine.kept``)."""
        name = f"carecover_kept_{next(_names)}"
        self._keep(name, str(self.backend.compile(table)))
        return self.backend.table(name)

    def _keep(self, name: str, sql: str) -> None:
        frame = self.session.sql(sql).cache()
        frame.createOrReplaceTempView(name)
        self.keeps[name] = (sql, frame)

    def _view(self, frame: Any) -> Any:
        name = f"carecover_{next(_names)}"
        frame.createOrReplaceTempView(name)
        return self.backend.table(name)

    def to_arrow(self, expr: Any) -> Any:
        """Execute ``expr`` on Spark into Arrow, typed as ``expr`` says.

        Through ``DataFrame.toArrow``, not Ibis's ``to_pyarrow``: that goes
        through pandas (a float column with nulls becomes NaN on the way).
        """
        sql = str(self.backend.compile(expr))
        while True:
            try:
                arrow = self._collect(sql)
                break
            except Exception as error:  # py4j and Java errors have no common base
                if not self._read_again(str(error)):
                    raise
        return arrow.cast(expr.schema().to_pyarrow())

    def _collect(self, sql: str) -> Any:
        frame = self.session.sql(sql)
        with warnings.catch_warnings():
            # PySpark leaves the socket it collected from for the garbage
            # collector to close ("closed when garbage-collected", pyspark
            # util.py); collect it here, where its ResourceWarning is known.
            warnings.simplefilter("ignore", ResourceWarning)
            arrow = frame.toArrow()
            gc.collect()
        return arrow

    def to_rows(self, expr: Any) -> list[dict[str, Any]]:
        """Execute ``expr`` on Spark into row dictionaries, in its order."""
        rows: list[dict[str, Any]] = self.to_arrow(expr).to_pylist()
        return rows

    # Record linkage (Splink) on this engine: the model's SQL is written in
    # DuckDB's dialect, Splink's Spark backend needs Spark's function names and
    # the similarity UDFs of its jar.

    def linkage_api(self) -> Any:
        """Splink's database API on this session, its similarity functions registered.

        Intermediate tables are persisted in Spark's memory (spilling to its
        own local directories), not written as Parquet to a checkpoint
        directory we would have to clean: they hold residents' identities.
        """
        from splink import SparkAPI

        api: Any = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.session, break_lineage_method="persist"
        )
        return api

    def linkage_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Splink ``settings`` written for DuckDB, with Spark's names for its functions."""
        return _rename_functions(settings, _SPARK_FUNCTIONS)

    def linkage_input(self, table: Any) -> Any:
        """An Arrow table of records to link, as a Spark DataFrame."""
        return self.session.createDataFrame(table)

    def linkage_output(self, predictions: Any, columns: tuple[str, ...]) -> Any:
        """Columns of Splink's predictions (a SplinkDataFrame) as an Arrow table."""
        frame = self.session.table(predictions.physical_name).select(*columns)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            arrow = frame.toArrow()
            gc.collect()
        return arrow

    def reproducible(self) -> AbstractContextManager[None]:
        """A context in which seeded sampling repeats (Spark's does already)."""
        return nullcontext()

    @contextmanager
    def linking(self) -> Iterator[None]:
        """The context of one linkage run.

        Splink collects from Spark many times and, like PySpark, leaves each
        socket it collected from to the garbage collector; they are collected
        here, where their ResourceWarning is known. PySpark 4.0's ``toPandas``,
        which Splink calls, passes pandas 3 a deprecated ``copy`` keyword:
        its warning is PySpark's to fix, not the user's to read.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.filterwarnings("ignore", "The copy keyword is deprecated")
            try:
                yield
            finally:
                gc.collect()

    def close(self) -> None:
        """Stop the SparkSession if this engine started it."""
        if self.owns_session:
            self.session.stop()


def check_master(master: str) -> None:
    """Refuse a master URL Spark does not take, or a standalone master that nobody answers at.

    Spark finds both only once its JVM runs, and reports them with a Java
    stack trace; a standalone master that is down it tries three times, twenty
    seconds each. Of a list of standalone masters (high availability), one
    answering is enough.
    """
    if not _MASTER_URL.fullmatch(master):
        raise ConfigError(
            f"not a Spark master URL: {master!r} (--spark-master, CARECOVER_SPARK_MASTER:"
            f" {_MASTER_FORMS})"
        )
    if not master.startswith("spark://"):
        return
    unreachable = []
    for host_port in master.removeprefix("spark://").split(","):
        host, _, port = host_port.rpartition(":")
        if int(port) > 65535:
            raise ConfigError(f"not a Spark master URL: {master!r} (port {port} is above 65535)")
        try:
            socket.create_connection((host.strip("[]"), int(port)), _REACH_SECONDS).close()
            return
        except OSError as error:
            unreachable.append(f"{host_port}: {error.strerror or error}")
    raise ConfigError(
        f"could not reach the Spark master {master} ({'; '.join(unreachable)}): is it running?"
    )


def _java_message(error: BaseException) -> str:
    """The first line of a Spark error: no py4j preamble, no Java stack trace."""
    for line in str(error).splitlines():
        line = line.strip().lstrip(": ")
        if line and not line.startswith("An error occurred while calling"):
            return line
    return type(error).__name__


# DuckDB function -> Spark (Splink's jar) function, for linkage settings.
_SPARK_FUNCTIONS = {"jaro_winkler_similarity": "jaro_winkler"}


def _rename_functions(settings: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``settings`` with every SQL string's calls of ``names`` renamed."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\s*\(", re.IGNORECASE)

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda m: names[m.group(1).lower()] + "(", value)
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    renamed: dict[str, Any] = rename(settings)
    return renamed


def _quiet_logging() -> str | None:
    """Java options giving the driver our ``data/spark/log4j2.properties`` (errors only).

    None when the user has a Spark configuration directory: their logging wins.
    The options reach the driver's JVM because pyspark passes the builder's
    settings to ``spark-submit`` when it starts the JVM.
    """
    if os.environ.get("SPARK_CONF_DIR"):
        return None
    properties = resources.files("carecover").joinpath("data", "spark", "log4j2.properties")
    return f"-Dlog4j.configurationFile={properties}"


def _similarity_jar() -> Path | None:
    """Splink's similarity-UDF jar for the installed Spark, found without importing Splink."""
    spec = importlib.util.find_spec("splink")
    if spec is None or not spec.submodule_search_locations:
        return None
    import pyspark

    major = pyspark.__version__.split(".", 1)[0]
    folder = Path(next(iter(spec.submodule_search_locations))) / "internals/files/spark_jars"
    jars = sorted(folder.glob(f"scala-udf-similarity-*_spark{major}.jar"))
    return jars[-1] if jars else None
