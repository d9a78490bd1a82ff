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

The store keeps the quarterly measures too: ``refresh_stored`` recomputes
the table ``quarterly_nurse_measures`` for the quarters a load touched, in
the load's own transaction (so it is never out of step with
``daily_nurse_staffing``), and ``pbj_derived`` records the code key it was
computed with. Reading a quarter from the store is then a lookup; a store
whose summary is missing or was computed by other code (an older store, an
edited rule) is read through the full query instead, and its next load
rebuilds the summary.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import Any

from carecover.pbj.calendar import Quarter
from carecover.pbj.measures import _NURSE_HOURS, Source

__all__ = [
    "SOURCE",
    "SUMMARY",
    "Table",
    "quarterly_rows",
    "quarterly_sql",
    "quarterly_table",
    "refresh_stored",
]

SOURCE = "pbj_daily"
"""The name the compiled SQL reads its daily rows from (bound with ``WITH``)."""

SUMMARY = "quarterly_nurse_measures"
"""The store table of the quarterly measures, maintained by every nurse-file load."""

_STATE_DDL = "CREATE TABLE IF NOT EXISTS pbj_derived (name VARCHAR PRIMARY KEY, code_key VARCHAR)"

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


def _bound(source: str, *, checked: bool) -> str:
    """The quarterly SQL reading its daily rows from the SELECT ``source``."""
    sql = quarterly_sql(checked=checked).lstrip()
    if sql[:5].upper() == "WITH ":
        return f"WITH {SOURCE} AS ({source}), {sql[5:]}"
    return f"WITH {SOURCE} AS ({source}) {sql}"


Table = tuple[list[str], list[tuple[Any, ...]]]
"""Column names and row tuples, as DuckDB returns them."""


def _execute(
    con: Any, source: str, params: list[Any], *, checked: bool, as_text: bool = False
) -> Table:
    return _fetch(con, _bound(source, checked=checked), params, as_text=as_text)


def _fetch(con: Any, sql: str, params: list[Any], *, as_text: bool = False) -> Table:
    if as_text:
        from carecover.pbj.measures_text import finish, text_query

        printed = text_query(con, sql, params, ("provnum", "quarter"))
        if printed is not None:
            return finish(*_fetch(con, printed, params))
    result = con.execute(sql, params)
    return [d[0] for d in result.description], result.fetchall()


def _dicts(table: Table) -> list[dict[str, Any]]:
    names, rows = table
    return [dict(zip(names, row, strict=True)) for row in rows]


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


def refresh_stored(con: Any, quarters: Sequence[str]) -> None:
    """Recompute the stored quarterly measures of ``quarters`` from ``daily_nurse_staffing``.

    Call it inside the transaction that changed those quarters' rows, so the
    summary commits (or rolls back) with them. A summary that is missing or
    was computed by other code is rebuilt whole.
    """
    key = _cache_key(False)
    con.execute(_STATE_DDL)
    current = con.execute(
        "SELECT code_key FROM pbj_derived WHERE name = ? AND code_key = ?", [SUMMARY, key]
    ).fetchall()
    if not current:
        con.execute(f"DROP TABLE IF EXISTS {SUMMARY}")
        con.execute(
            f"CREATE TABLE {SUMMARY} AS "
            + _bound("SELECT * FROM daily_nurse_staffing", checked=False)
        )
        con.execute("INSERT OR REPLACE INTO pbj_derived VALUES (?, ?)", [SUMMARY, key])
        return
    if not quarters:
        return
    marks = ", ".join("?" for _ in quarters)
    con.execute(f"DELETE FROM {SUMMARY} WHERE quarter IN ({marks})", list(quarters))
    source = f"SELECT * FROM daily_nurse_staffing WHERE quarter IN ({marks})"
    con.execute(f"INSERT INTO {SUMMARY} " + _bound(source, checked=False), list(quarters))


def _stored_rows(
    con: Any, quarter: str | None, facility: str | None, as_text: bool
) -> Table | None:
    """The stored summary's rows; ``None`` when it is missing or from other code."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name IN ('pbj_derived', ?) AND table_schema = current_schema()",
        [SUMMARY],
    ).fetchall()
    if exists[0][0] != 2:
        return None
    state = con.execute("SELECT code_key FROM pbj_derived WHERE name = ?", [SUMMARY]).fetchall()
    if not state or state[0][0] != _cache_key(False):
        return None
    select, params = _filtered(SUMMARY, quarter, facility)
    # The same order as the compiled query's ORDER BY.
    return _fetch(con, f"{select} ORDER BY provnum, quarter", params, as_text=as_text)


def _fast_file_rows(paths: list[Path], as_text: bool) -> Table | None:
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
            table: Table | None = _execute(
                con, " UNION ALL ".join(scans), [], checked=True, as_text=as_text
            )
        except duckdb.Error:
            table = None  # a row DuckDB cannot parse: the careful loader names it
        finally:
            con.close()
        if None in list(encodings):
            return None  # neither UTF-8 nor cp1252: the careful loader names the byte
    if table is None:
        return None
    names, rows = table
    clean = names.index("_clean")
    if not all(map(itemgetter(clean), rows)):
        return None
    keep = [i for i in range(len(names)) if i != clean]
    pick = itemgetter(*keep)
    return [names[i] for i in keep], [pick(row) for row in rows]


def quarterly_rows(
    source: Source, *, quarter: Quarter | str | None = None, facility: str | None = None
) -> list[dict[str, Any]]:
    """Per facility-quarter measures (``QUARTERLY_COLUMNS``) as dictionaries, on DuckDB.

    The same numbers as ``to_rows(quarterly_measures(source, ...))``, for the
    same sources: a store path (``.duckdb``/``.db``), public CSV file(s), or
    an Ibis table (run through Ibis).
    """
    if hasattr(source, "group_by"):
        from carecover.pbj.measures import quarterly_measures, to_rows

        label = _label(quarter)
        return to_rows(quarterly_measures(source, quarter=label, facility=facility))
    return _dicts(quarterly_table(source, quarter=quarter, facility=facility))


def _label(quarter: Quarter | str | None) -> str | None:
    if not quarter:
        return None
    return str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))


def quarterly_table(
    source: Source,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    as_text: bool = False,
) -> Table:
    """``quarterly_rows`` of a store path or CSV file(s) as (column names, row tuples).

    With ``as_text`` every cell comes back as the text it prints as
    (``measures_text``: hours rounded to 2 decimals, HPRD to 5,
    ``true``/``false``, ``""`` for NULL), formatted by DuckDB in the query.
    """
    label = _label(quarter)
    from carecover.pbj.store import connect

    paths = [Path(source)] if isinstance(source, str | Path) else [Path(p) for p in source]
    if len(paths) == 1 and paths[0].suffix.lower() in (".duckdb", ".db"):
        con = connect(paths[0], read_only=True)
        try:
            stored = _stored_rows(con, label, facility, as_text)
            if stored is not None:
                return stored
            select, params = _filtered("daily_nurse_staffing", label, facility)
            return _execute(con, select, params, checked=False, as_text=as_text)
        finally:
            con.close()
    table = _fast_file_rows(paths, as_text)
    if table is not None:
        # The checks covered every row; the filters are on the group keys.
        names, rows = table
        at_quarter, at_facility = names.index("quarter"), names.index("provnum")
        return names, [
            r
            for r in rows
            if (label is None or r[at_quarter] == label)
            and (facility is None or r[at_facility] == facility)
        ]
    from carecover.pbj.loading import load_files

    con = connect(":memory:")
    try:
        load_files(con, paths)
        select, params = _filtered("daily_nurse_staffing", label, facility)
        return _execute(con, select, params, checked=False, as_text=as_text)
    finally:
        con.close()
