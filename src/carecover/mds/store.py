"""Loading MDS files into the DuckDB staffing store (tables ``mds_*``).

- ``mds_assessments``: valid records, normalised (no SSN, only a resident key);
- ``mds_quarantine``: refused records with the problems (raw SSN removed);
- ``mds_loaded_files``: one row per file, keyed by the SHA-256 of its bytes, so
  loading the same content twice changes nothing.

Each file loads in one transaction: all of its rows, or none.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from carecover.errors import InputError, NotFoundError, ValidationError
from carecover.mds.extract import RawRecord, read_extract
from carecover.mds.validation import Assessment, validate_record
from carecover.mds.xmlfile import is_zip, read_xml_assessments

__all__ = ["DEFAULT_STORE", "LoadResult", "connect", "create_mds_schema", "load_files"]

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
        problems VARCHAR NOT NULL, raw VARCHAR NOT NULL)""",
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


def create_mds_schema(con: Any) -> None:
    """Create the ``mds_*`` tables that do not exist yet."""
    for ddl in _DDL:
        con.execute(ddl)


def connect(path: str | Path | None = None, *, read_only: bool = False) -> Any:
    """Open the store (``None`` or ``":memory:"`` for a scratch one) with the MDS tables."""
    import duckdb

    if path is None or str(path) == ":memory:":
        con = duckdb.connect(":memory:")
    else:
        file = Path(path).expanduser()
        if read_only and not file.exists():
            raise NotFoundError(f"no staffing store at {file} (load files with `mds load`)")
        file.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(file), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        create_mds_schema(con)
    return con


def _records(path: Path) -> Iterator[tuple[str, RawRecord]]:
    if path.suffix.lower() == ".csv":
        for line, raw in read_extract(path):
            yield f"line {line}", raw
    elif path.suffix.lower() in {".xml", ".zip"} or is_zip(path):
        yield from read_xml_assessments(path)
    else:
        raise InputError("expected an MDS extract .csv, an MDS .xml or a .zip", file=str(path))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_file(con: Any, path: Path) -> LoadResult:
    """Load one file in one transaction; a file already loaded (same bytes) is skipped."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    sha = _sha256(path)
    if con.execute("SELECT 1 FROM mds_loaded_files WHERE sha256 = ?", [sha]).fetchone():
        return LoadResult(str(path), sha, 0, 0, already_loaded=True)
    loaded = 0
    quarantine: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "valid.csv"
        with staged.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([*_COLUMNS, "source_file", "sha256", "record"])
            for where, raw in _records(path):
                try:
                    assessment = validate_record(raw)
                except ValidationError as exc:
                    clean = {k: v for k, v in raw.items() if k != "A0600A"}
                    problems = "; ".join(str(p) for p in exc.problems)
                    quarantine.append((str(path), sha, where, problems, json.dumps(clean)))
                    continue
                # astuple() deep-copies every field: far too slow for a national file.
                row = [_cell(getattr(assessment, c)) for c in _COLUMNS]
                writer.writerow([*row, str(path), sha, where])
                loaded += 1
        con.execute("BEGIN TRANSACTION")
        try:
            if loaded:
                con.execute(
                    "INSERT INTO mds_assessments BY NAME SELECT * FROM read_csv(?, header=true,"
                    " all_varchar=true, quote='\"', escape='\"')",
                    [str(staged)],
                )
            if quarantine:
                con.executemany("INSERT INTO mds_quarantine VALUES (?, ?, ?, ?, ?)", quarantine)
            con.execute(
                "INSERT INTO mds_loaded_files (sha256, source_file, loaded, quarantined)"
                " VALUES (?, ?, ?, ?)",
                [sha, str(path), loaded, len(quarantine)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return LoadResult(str(path), sha, loaded, len(quarantine), already_loaded=False)


def load_files(con: Any, paths: Iterable[Path]) -> list[LoadResult]:
    """Load each file in its own transaction; see ``load_file``."""
    return [load_file(con, Path(p)) for p in paths]
