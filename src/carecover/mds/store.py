"""Loading MDS files into the DuckDB staffing store (tables ``mds_*``).

- ``mds_assessments``: valid records, normalised (no SSN, only a resident key);
- ``mds_quarantine``: refused records with the problems, as text and as a JSON
  list of ``{item, problem}`` (raw SSN removed);
- ``mds_loaded_files``: one row per file, keyed by the SHA-256 of its bytes, so
  loading the same content twice changes nothing.

Each file loads in one transaction: all of its rows, or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from carecover.errors import InputError, NotFoundError
from carecover.filekind import Kind, require_xml, sniff
from carecover.mds.census import (
    DailyCensus,
    census_cache_is_fresh,
    daily_census,
    refresh_census_cache,
)
from carecover.mds.extract import COLUMNS, RawRecord, read_extract, read_header
from carecover.mds.record_rules import STAGE, checked_sql
from carecover.mds.staging import drop_stage, is_plain_csv, stage_plain_csv, stage_records
from carecover.mds.stays import CensusConvention
from carecover.mds.validation import Assessment, problems_of
from carecover.mds.xmlfile import read_xml_assessments
from carecover.storefile import abort, cap_memory, open_store_file

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "DEFAULT_STORE",
    "LoadResult",
    "census_from_files",
    "connect",
    "create_mds_schema",
    "load_files",
    "open_store",
]

DEFAULT_STORE = Path("~/.local/share/carecover/staffing.duckdb")

_TYPES = {"birth_date": "DATE", "entry_date": "DATE", "discharge_date": "DATE", "ard": "DATE"}
_COLUMNS = [f.name for f in fields(Assessment)]

_DDL = [
    "CREATE TABLE IF NOT EXISTS mds_assessments (\n"
    + ",\n".join(
        f"  {c} {'BOOLEAN' if c == 'ssn_present' else _TYPES.get(c, 'VARCHAR')}"
        for c in _COLUMNS
        if c != "target_date"
    )
    + ",\n  target_date DATE NOT NULL, source_file VARCHAR NOT NULL,"
    " sha256 VARCHAR NOT NULL, record VARCHAR NOT NULL)",
    """CREATE TABLE IF NOT EXISTS mds_quarantine (
        source_file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, record VARCHAR NOT NULL,
        problems VARCHAR NOT NULL, raw VARCHAR NOT NULL, problem_list VARCHAR)""",
    # Stores made before the errors report lack the per-item problem list.
    "ALTER TABLE mds_quarantine ADD COLUMN IF NOT EXISTS problem_list VARCHAR",
    """CREATE TABLE IF NOT EXISTS mds_loaded_files (
        sha256 VARCHAR PRIMARY KEY, source_file VARCHAR NOT NULL,
        loaded BIGINT NOT NULL, quarantined BIGINT NOT NULL,
        loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""",
]


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did."""

    file: str
    sha256: str
    loaded: int
    quarantined: int
    already_loaded: bool
    loaded_in_bulk: int = 0  # of ``loaded``, records validated in SQL (``bulk``)


def create_mds_schema(con: DuckDBPyConnection) -> None:
    """Create the ``mds_*`` tables that do not exist yet."""
    for ddl in _DDL:
        con.execute(ddl)


def connect(path: str | Path | None = None, *, read_only: bool = False) -> DuckDBPyConnection:
    """Open the store (``None`` or ``":memory:"`` for a scratch one) with the MDS tables."""
    import duckdb

    if path is None or str(path) == ":memory:":
        con = duckdb.connect(":memory:")
    else:
        file = Path(path).expanduser()
        if read_only and not file.exists():
            raise NotFoundError(f"no MDS store at {file} (load files with `mds load`)")
        con = open_store_file(file, read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        create_mds_schema(con)
    return con


def _is_extract(path: Path) -> bool:
    """Whether ``path`` is an extract CSV (else XML or a ZIP), from its bytes and name.

    The bytes decide (``filekind``); the name only says what the user meant,
    so that a damaged ``.xml`` gets an XML message, not a CSV one.
    """
    suffix = path.suffix.lower()
    if suffix in {".xml", ".zip"}:
        require_xml(path, what="an MDS XML assessment or a ZIP of them")
        return False
    found = sniff(path)
    if found.kind in (Kind.XML, Kind.ZIP):
        return False
    if suffix != ".csv":
        raise InputError("expected an MDS extract .csv, an MDS .xml or a .zip", file=str(path))
    return True


def _records(path: Path) -> Iterator[tuple[str, RawRecord]]:
    if _is_extract(path):
        for line, raw in read_extract(path):
            yield f"line {line}", raw
    else:
        yield from read_xml_assessments(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stage(con: DuckDBPyConnection, path: Path, *, bulk: bool) -> bool:
    """Stage ``path``'s records (``staging``); whether DuckDB's CSV reader read them.

    A plain extract CSV is read by DuckDB (``bulk``); anything else, or a
    plain-looking file DuckDB's reader refuses, by the Python readers, which
    name a broken line.
    """
    import duckdb

    if bulk and _is_extract(path):
        header = read_header(path)
        if is_plain_csv(path):
            try:
                stage_plain_csv(con, path, header)
                return True
            except duckdb.Error:  # e.g. a row with more fields than the header: Python names it
                drop_stage(con)
    stage_records(con, _records(path))
    return False


def load_file(con: DuckDBPyConnection, path: Path, *, bulk: bool = True) -> LoadResult:
    """Load one file in one transaction; a file already loaded (same bytes) is skipped.

    Every record is checked by the record rules (``record_rules``) in DuckDB,
    in one pass. With ``bulk`` a plain extract CSV is read by DuckDB's CSV
    reader, else by the Python reader (``staging``); the result is the same.
    """
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    sha = _sha256(path)
    if con.execute("SELECT 1 FROM mds_loaded_files WHERE sha256 = ?", [sha]).fetchone():
        return LoadResult(str(path), sha, 0, 0, already_loaded=True)
    try:
        scanned = _stage(con, path, bulk=bulk)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_CHECKED} AS {checked_sql()}")
        quarantine = _quarantined(con, path, sha)
        drop_stage(con)
        return _store_checked(con, path, sha, quarantine, scanned=scanned)
    finally:
        drop_stage(con)
        con.execute(f"DROP TABLE IF EXISTS {_CHECKED}")


_CHECKED = "mds_checked"
# Empty text is NULL in the store, as it always was.
_VALID = (
    "SELECT "
    + ", ".join(
        f"nullif({c}, '') AS {c}"
        if c not in _TYPES and c not in ("ssn_present", "target_date")
        else c
        for c in _COLUMNS
    )
    + f", $source_file AS source_file, $sha256 AS sha256, record FROM {_CHECKED}"
    " WHERE problems = ''"
)


def _quarantined(
    con: DuckDBPyConnection, path: Path, sha: str
) -> list[tuple[str, str, str, str, str, str]]:
    """The refused records as quarantine rows (few: built in Python), in file order.

    Their staged text comes from the stage, which ``_CHECKED`` does not copy.
    """
    items = [c for c in COLUMNS if c != "A0600A"]  # the SSN is never kept
    refused = f"SELECT position, record, problems FROM {_CHECKED} WHERE problems <> ''"
    cursor = con.execute(
        f"SELECT r.record, r.problems, {', '.join(f's.{c}' for c in items)}"
        f" FROM ({refused}) r JOIN {STAGE} s USING (position) ORDER BY r.position"
    )
    rows = []
    while batch := cursor.fetchmany(10_000):
        for record, text, *values in batch:
            problems = problems_of(text)
            listed = json.dumps([{"item": p.field, "problem": p.message} for p in problems])
            raw = json.dumps(dict(zip(items, values, strict=True)))
            rows.append((str(path), sha, record, "; ".join(map(str, problems)), raw, listed))
    return rows


_QUARANTINE = ("source_file", "sha256", "record", "problems", "raw", "problem_list")


def _insert_quarantine(
    con: DuckDBPyConnection, rows: list[tuple[str, str, str, str, str, str]]
) -> None:
    # Through Arrow: executemany inserts a row at a time (seconds for 40,000 rows).
    import pyarrow as pa  # type: ignore[import-untyped]

    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {name: pa.array(v, pa.string()) for name, v in zip(_QUARANTINE, columns, strict=True)}
    )
    con.register("mds_quarantine_new", table)
    try:
        con.execute(
            f"INSERT INTO mds_quarantine ({', '.join(_QUARANTINE)})"
            f" SELECT {', '.join(_QUARANTINE)} FROM mds_quarantine_new"
        )
    finally:
        con.unregister("mds_quarantine_new")


def _store_checked(
    con: DuckDBPyConnection,
    path: Path,
    sha: str,
    quarantine: list[tuple[str, str, str, str, str, str]],
    *,
    scanned: bool,
) -> LoadResult:
    con.execute("BEGIN TRANSACTION")
    try:
        inserted = con.execute(
            f"INSERT INTO mds_assessments BY NAME {_VALID}",
            {"source_file": str(path), "sha256": sha},
        ).fetchone()
        loaded = int(inserted[0]) if inserted else 0
        if quarantine:
            _insert_quarantine(con, quarantine)
        con.execute(
            "INSERT INTO mds_loaded_files (sha256, source_file, loaded, quarantined)"
            " VALUES (?, ?, ?, ?)",
            [sha, str(path), loaded, len(quarantine)],
        )
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    return LoadResult(
        str(path),
        sha,
        loaded,
        len(quarantine),
        already_loaded=False,
        loaded_in_bulk=loaded if scanned else 0,
    )


def load_files(
    con: DuckDBPyConnection, paths: Iterable[Path], *, memory_limit: str | None = None
) -> list[LoadResult]:
    """Load each file in its own transaction (see ``load_file``), then refresh the census cache.

    ``memory_limit`` (DuckDB's, e.g. ``"1.5GB"``) caps the memory DuckDB keeps
    while loading; beyond it DuckDB spills to disk (``mds load`` passes
    ``--memory-limit``; a library caller's connection is left as it is).

    If a file fails (or the process is killed between a file's commit and
    the refresh), the files before it stay loaded and the cache is left
    stale: the census detects it (and derives the intervals itself), and the
    next ``load_files`` rebuilds it, even when every file was already loaded.
    Otherwise only the intervals of the new files' residents are derived again
    (``refresh_census_cache``).
    """
    if memory_limit is not None:
        cap_memory(con, memory_limit)
    results = [load_file(con, Path(p)) for p in paths]
    added = [r.sha256 for r in results if not r.already_loaded]
    if added or not census_cache_is_fresh(con):
        refresh_census_cache(con, added=added)
    return results


def open_store(files: Iterable[Path], db: Path | None = None) -> DuckDBPyConnection:
    """A store to report from: ``files`` loaded into ``db`` (or a scratch store), else ``db``.

    Without files ``db`` (default ``DEFAULT_STORE``) is opened read-only and must
    hold the MDS tables (``NotFoundError`` otherwise).
    """
    paths = [Path(p) for p in files]
    if paths:
        con = connect(db)
        try:
            load_files(con, paths)
        except Exception:
            con.close()
            raise
        return con
    file = Path(db or DEFAULT_STORE).expanduser()
    con = connect(file, read_only=True)
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mds_assessments'"
    ).fetchone()
    if not found or not found[0]:
        con.close()
        raise NotFoundError(f"the store {file} has no MDS records (load files with `mds load`)")
    return con


def census_from_files(
    files: list[Path],
    start: date,
    end: date,
    *,
    db: Path | None = None,
    facility: str | None = None,
    convention: CensusConvention | None = None,
) -> list[DailyCensus]:
    """Daily census from ``files`` (loaded into ``db``, or a scratch store) or from ``db`` alone."""
    if files:
        con = connect(db) if db is not None else connect(None)
        load_files(con, files)
    else:
        con = connect(db or DEFAULT_STORE, read_only=True)
    try:
        return daily_census(con, start, end, facility=facility, convention=convention)
    finally:
        con.close()
