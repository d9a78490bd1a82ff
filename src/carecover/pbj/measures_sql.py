"""The quarterly measures as DuckDB SQL, compiled once from their Ibis expressions.

The measures are defined in Ibis (``measures.quarterly_expression``) so other
backends can run them. On DuckDB, ``quarterly_rows`` runs the SQL that Ibis
compiles them to straight on the connection: that skips importing Ibis
(about half a second, more than the query on a national quarter) and Arrow.
The compiled SQL is cached in a file whose name is the hash of this
package's code and rule files and of the DuckDB version, so editing a rule
recompiles it; ``CARECOVER_CACHE_DIR`` moves the cache (default
``$XDG_CACHE_HOME/carecover`` or ``~/.cache/carecover``), and an unwritable
cache only costs the compile.

Public files are read once: DuckDB parses them straight into the measures'
aggregate, which also checks the loader rules per facility-quarter
(``checked=True``). Only when a check fails, or DuckDB cannot parse a row,
do the files go through the careful loader, which names the file, line and
field of the problem (``InputError``) or de-duplicates overlapping files.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.measures import _NURSE_HOURS, Source

__all__ = ["SOURCE", "quarterly_rows", "quarterly_sql"]

SOURCE = "pbj_daily"
"""The name the compiled SQL reads its daily rows from (bound with ``WITH``)."""

_PACKAGE = Path(__file__).resolve().parent
_RULES = _PACKAGE.parent / "data" / "pbj"


def _schema() -> dict[str, str]:
    columns = {"provnum": "string", "quarter": "string", "workdate": "date", "mdscensus": "int32"}
    return columns | dict.fromkeys(_NURSE_HOURS, "float64")


def _cache_dir() -> Path:
    if configured := os.environ.get("CARECOVER_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "carecover"


def _cache_key(checked: bool) -> str:
    import duckdb

    digest = hashlib.sha256(f"{duckdb.__version__} checked={checked}".encode())
    for path in sorted([*_PACKAGE.glob("*.py"), *_RULES.glob("*.csv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _compile(checked: bool) -> str:
    import ibis

    from carecover.pbj.measures import quarterly_expression
    from carecover.pbj.store import quiet_ibis

    with quiet_ibis():
        table = ibis.table(_schema(), name=SOURCE)
        return str(ibis.to_sql(quarterly_expression(table, checked=checked), dialect="duckdb"))


def quarterly_sql(*, checked: bool = False) -> str:
    """DuckDB SQL of the quarterly measures over ``SOURCE`` (from the cache when it is current).

    ``checked`` adds the ``_clean`` column of ``quarterly_expression``.
    """
    cache = _cache_dir() / f"pbj-quarterly-{_cache_key(checked)}.sql"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    sql = _compile(checked)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a concurrent reader sees the whole file or none.
        handle, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(sql)
        os.replace(tmp, cache)
    except OSError:
        pass  # no cache: the next run compiles again
    return sql


def _execute(con: Any, source: str, params: list[Any], *, checked: bool) -> list[dict[str, Any]]:
    sql = quarterly_sql(checked=checked).lstrip()
    if sql[:5].upper() == "WITH ":
        sql = f"WITH {SOURCE} AS ({source}), {sql[5:]}"
    else:
        sql = f"WITH {SOURCE} AS ({source}) {sql}"
    result = con.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _filtered(table: str, quarter: str | None, facility: str | None) -> tuple[str, list[Any]]:
    where, params = [], []
    if quarter is not None:
        where.append("quarter = ?")
        params.append(quarter)
    if facility is not None:
        where.append("provnum = ?")
        params.append(facility)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT * FROM {table}{clause}", params


def _fast_file_rows(paths: list[Path]) -> list[dict[str, Any]] | None:
    """Measures of files read in one pass; ``None`` when the careful loader must read them."""
    import duckdb

    from carecover.pbj.columns import FileKind
    from carecover.pbj.publicfile import measures_scan, readable_encoding

    scans = []
    for path in paths:
        header, select = measures_scan(path)
        if header.kind is FileKind.NURSE:
            scans.append(select)
    if not scans:
        return None
    # The encoding check reads every byte in Python: run it while DuckDB
    # (which lets go of the GIL) reads the files.
    with ThreadPoolExecutor(max_workers=1) as pool:
        encodings = pool.map(readable_encoding, paths)
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET enable_progress_bar = false")
            rows: list[dict[str, Any]] | None = _execute(
                con, " UNION ALL ".join(scans), [], checked=True
            )
        except duckdb.Error:
            rows = None  # a row DuckDB cannot parse: the careful loader names it
        finally:
            con.close()
        if None in list(encodings):
            return None  # neither UTF-8 nor cp1252: the careful loader names the byte
    if rows is None or not all(row.pop("_clean") for row in rows):
        return None
    return rows


def quarterly_rows(
    source: Source, *, quarter: Quarter | str | None = None, facility: str | None = None
) -> list[dict[str, Any]]:
    """Per facility-quarter measures (``QUARTERLY_COLUMNS``) as dictionaries, on DuckDB.

    The same numbers as ``to_rows(quarterly_measures(source, ...))``, for the
    same sources: a store path (``.duckdb``/``.db``), public CSV file(s), or
    an Ibis table (run through Ibis).
    """
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter
        else None
    )
    if hasattr(source, "group_by"):
        from carecover.pbj.measures import quarterly_measures, to_rows

        return to_rows(quarterly_measures(source, quarter=label, facility=facility))
    from carecover.pbj.store import connect

    paths = [Path(source)] if isinstance(source, str | Path) else [Path(p) for p in source]
    if len(paths) == 1 and paths[0].suffix.lower() in (".duckdb", ".db"):
        con = connect(paths[0], read_only=True)
        try:
            select, params = _filtered("daily_nurse_staffing", label, facility)
            return _execute(con, select, params, checked=False)
        finally:
            con.close()
    rows = _fast_file_rows(paths)
    if rows is not None:
        # The checks covered every row; the filters are on the group keys.
        return [
            r
            for r in rows
            if (label is None or r["quarter"] == label)
            and (facility is None or r["provnum"] == facility)
        ]
    from carecover.pbj.loading import load_files

    con = connect(":memory:")
    try:
        load_files(con, paths)
        select, params = _filtered("daily_nurse_staffing", label, facility)
        return _execute(con, select, params, checked=False)
    finally:
        con.close()
