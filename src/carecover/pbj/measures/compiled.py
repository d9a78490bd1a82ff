"""The quarterly measures as DuckDB SQL, compiled once from their Ibis expressions.

The measures are defined in Ibis (``measures.quarterly_expression``) so other
backends can run them. On DuckDB, ``quarterly_rows`` runs the SQL that Ibis
compiles them to straight on the connection: that skips importing Ibis
(about half a second, more than the query on a national quarter) and Arrow.
The compiled SQL is cached (``engines.sqlcache``) under the hash of this
package's code and rule files and of the DuckDB version, so editing a rule
recompiles it.

Public files are read once: DuckDB parses them straight into the measures'
aggregate, which also checks the loader rules per facility-quarter
(``checked=True``). Only when a check fails, or DuckDB cannot parse a row,
do the files go through the careful loader, which names the file, line and
field of the problem (``InputError``) or de-duplicates overlapping files.

The store keeps the quarterly measures too: ``refresh_stored`` recomputes
the table ``quarterly_nurse_measures`` for the quarters a load marked, after
the load commits (``derived.refresh``, the one module that refreshes derived
tables), and ``pbj_derived`` records the code key it was computed with.
Reading a quarter from the store is then a lookup; a store whose summary is
missing, was computed by other code (an older store, an edited rule) or has a
quarter still marked is read through the full query instead
(``summary_is_current``), and its next refresh rebuilds the summary.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from carecover.pbj.calendar import Quarter
    from carecover.pbj.sources import Source

# Imported inside the functions that need them: ``pbj measures FILE`` on a
# national quarter counts its start-up (the measures module, the calendar,
# tempfile, concurrent.futures and its logging: about 25 ms).

__all__ = [
    "LAYOUTS",
    "SOURCE",
    "SUMMARY",
    "Table",
    "quarterly_rows",
    "quarterly_sql",
    "quarterly_table",
    "quarterly_text",
    "quarterly_text_sql",
    "refresh_stored",
    "summary_is_current",
]

_T = TypeVar("_T")

SOURCE = "pbj_daily"
"""The name the compiled SQL reads its daily rows from (bound with ``WITH``)."""

SUMMARY = "quarterly_nurse_measures"
"""The store table of the quarterly measures, maintained by every nurse-file load."""

_STATE_DDL = "CREATE TABLE IF NOT EXISTS pbj_derived (name VARCHAR PRIMARY KEY, code_key VARCHAR)"

_PACKAGE = Path(__file__).resolve().parents[1]
_RULES = _PACKAGE.parent / "data" / "pbj"


_DUCKDB_TYPES = {"string": "VARCHAR", "date": "DATE", "int32": "INTEGER", "float64": "DOUBLE"}


def _schema() -> dict[str, str]:
    from carecover.pbj.measures.staffing import _NURSE_HOURS

    columns = {"provnum": "string", "quarter": "string", "workdate": "date", "mdscensus": "int32"}
    return columns | dict.fromkeys(_NURSE_HOURS, "float64")


def _cache_key(checked: bool) -> str:
    from carecover.engines.sqlcache import code_key

    # The exclusions, their comparisons and the HPRD formula live in rating.
    shared = [_PACKAGE.parent / "rating" / name for name in ("comparison.py", "exclusions.py")]
    files = [*_PACKAGE.rglob("*.py"), *_RULES.glob("*.csv"), *shared]
    return code_key(files, f"checked={checked}")


def _compile(checked: bool) -> str:
    import ibis

    from carecover.pbj.measures.staffing import quarterly_expression
    from carecover.pbj.store import quiet_ibis

    with quiet_ibis():
        table = ibis.table(_schema(), name=SOURCE)
        expression = quarterly_expression(table, checked=checked)
        return str(ibis.to_sql(expression, dialect="duckdb"))


def quarterly_sql(*, checked: bool = False) -> str:
    """DuckDB SQL of the quarterly measures over ``SOURCE`` (from the cache when it is current).

    ``checked`` adds the ``_clean`` column of ``quarterly_expression``.
    """
    key = _cache_key(checked)
    from carecover.engines.sqlcache import cached_sql

    return cached_sql("pbj-quarterly", key, lambda: _compile(checked))


LAYOUTS = ("csv", "table")
"""How ``quarterly_text`` prints: CSV lines, or a right-aligned table."""


def quarterly_text_sql(layout: str) -> str:
    """SQL of one row, the checked quarterly measures over ``SOURCE`` printed in ``layout``.

    The row is that of ``measures.text.csv_query`` or ``table_query``, for
    the facility-quarters matching the parameters ``$1`` (quarter) and
    ``$2`` (CCN), NULL meaning any; its ``_clean`` flag covers every row.
    Cached beside ``quarterly_sql`` (its column types come from a DESCRIBE,
    a planning of the whole query, which a run then skips).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    key = _cache_key(True)
    from carecover.engines.sqlcache import cached_sql

    return cached_sql(f"pbj-quarterly-{layout}", key, lambda: _text_sql(layout))


def _text_sql(layout: str) -> str:
    import duckdb

    from carecover.pbj.measures.text import csv_query, table_query

    sql = quarterly_sql(checked=True)
    typed = ", ".join(f"NULL::{_DUCKDB_TYPES[t]} AS {c}" for c, t in _schema().items())
    con = duckdb.connect(":memory:")
    try:
        described = con.execute(f"DESCRIBE {_bind(f'SELECT {typed}', sql)}").fetchall()
    finally:
        con.close()
    names = [(row[0], row[1]) for row in described]
    where = "($1 IS NULL OR quarter = $1) AND ($2 IS NULL OR provnum = $2)"
    query = csv_query if layout == "csv" else table_query
    return query(sql, names, ("provnum", "quarter"), where)


def _bind(source: str, sql: str) -> str:
    """``sql`` (which reads ``SOURCE``) reading its daily rows from the SELECT ``source``."""
    sql = sql.lstrip()
    if sql[:5].upper() == "WITH ":
        return f"WITH {SOURCE} AS ({source}), {sql[5:]}"
    return f"WITH {SOURCE} AS ({source}) {sql}"


def _bound(source: str, *, checked: bool) -> str:
    """The quarterly SQL reading its daily rows from the SELECT ``source``."""
    return _bind(source, quarterly_sql(checked=checked))


Table = tuple[list[str], list[tuple[Any, ...]]]
"""Column names and row tuples, as DuckDB returns them."""


def _execute(
    con: DuckDBPyConnection,
    source: str,
    params: list[Any],
    *,
    checked: bool,
    as_text: bool = False,
) -> Table:
    sql = _bound(source, checked=checked)
    return _fetch(con, sql, params, as_text=as_text)


def _fetch(con: DuckDBPyConnection, sql: str, params: list[Any], *, as_text: bool = False) -> Table:
    if as_text:
        from carecover.pbj.measures.text import finish, text_query

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


def refresh_stored(con: DuckDBPyConnection, quarters: Sequence[str]) -> None:
    """Recompute the stored quarterly measures of ``quarters`` from ``daily_nurse_staffing``.

    Called by ``derived`` (after a load commits, for the quarters it marked),
    inside a transaction. A summary that is missing or was computed by other
    code is rebuilt whole.
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


def summary_is_current(con: DuckDBPyConnection) -> bool:
    """Whether the stored summary may be read: computed by this code, no quarter pending.

    A quarter is pending between a load's commit and the refresh after it
    (``derived``); a killed process or a caller of the loader alone can leave
    it so, and the summary is then not read until the next refresh.
    """
    from carecover.pbj.changes import pending_quarters

    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name IN ('pbj_derived', ?) AND table_schema = current_schema()",
        [SUMMARY],
    ).fetchall()
    if exists[0][0] != 2:
        return False
    state = con.execute("SELECT code_key FROM pbj_derived WHERE name = ?", [SUMMARY]).fetchall()
    if not state or state[0][0] != _cache_key(False):
        return False
    return not pending_quarters(con)


def _stored_rows(
    con: DuckDBPyConnection, quarter: str | None, facility: str | None, as_text: bool
) -> Table | None:
    """The stored summary's rows; ``None`` when it may not be read (``summary_is_current``)."""
    if not summary_is_current(con):
        return None
    select, params = _filtered(SUMMARY, quarter, facility)
    # The same order as the compiled query's ORDER BY.
    return _fetch(con, f"{select} ORDER BY provnum, quarter", params, as_text=as_text)


def _fast_files(paths: list[Path], fetch: Callable[[Any, str], _T | None]) -> _T | None:
    """``fetch(con, source)`` of files read in one pass; ``None``: read them carefully.

    ``source`` is a SELECT of the files' daily rows for the quarterly SQL
    (``_bind``), every hours column included; ``fetch`` runs the checked
    measures over it (every loader rule, the no-negative and plausible-value
    checks of the ``_emp`` columns too) and returns ``None`` when a
    facility-quarter is not clean. While DuckDB reads, a Python thread reads
    the files' bytes (``filebytes``) for their encoding.

    The ``_emp`` columns are read although no measure uses them: skipping
    them (a byte pass proving that no field holds a minus sign) saved about
    a tenth of the run, but no byte pass can prove that no ``_emp`` value is
    NaN, infinite or implausible, and a file ``pbj load`` refuses must not
    get measures here (issue 12 §1).
    """
    import duckdb

    from carecover.pbj.columns import FileKind
    from carecover.pbj.publicfile.filebytes import FileBytes, read_file_bytes
    from carecover.pbj.publicfile.scan import measures_scan

    nurse = [path for path in paths if measures_scan(path)[0].kind is FileKind.NURSE]
    if not nurse:
        return None

    def run() -> _T | None:
        scans = [measures_scan(path)[1] for path in nurse]
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET enable_progress_bar = false")
            return fetch(con, " UNION ALL ".join(scans))
        except duckdb.Error:
            return None  # a row DuckDB cannot parse: the careful loader names it
        finally:
            con.close()

    # DuckDB lets go of the GIL while it reads: the byte pass runs beside it.
    facts: list[FileBytes] = []

    def read_all() -> None:
        # Unreadable now: the careful loader reports it, not a thread's traceback.
        with contextlib.suppress(OSError):
            facts.extend(map(read_file_bytes, paths))

    reader = threading.Thread(target=read_all)
    reader.start()
    try:
        result = run()
    finally:
        reader.join()
    if len(facts) != len(paths) or any(f.encoding is None for f in facts):
        # Neither UTF-8 nor cp1252 (or the file could not be read): the
        # careful loader names the byte or the error.
        return None
    return result


def _clean_rows(table: Table) -> Table | None:
    """``table`` without its ``_clean`` column; ``None`` when a row is not clean."""
    names, rows = table
    clean = names.index("_clean")
    if not all(map(itemgetter(clean), rows)):
        return None
    keep = [i for i in range(len(names)) if i != clean]
    pick = itemgetter(*keep)
    return [names[i] for i in keep], [pick(row) for row in rows]


def _fast_file_rows(paths: list[Path], as_text: bool) -> Table | None:
    """Measures of files read in one pass; ``None`` when the careful loader must read them."""

    def fetch(con: DuckDBPyConnection, source: str) -> Table | None:
        sql = _bound(source, checked=True)
        return _clean_rows(_fetch(con, sql, [], as_text=as_text))

    return _fast_files(paths, fetch)


def quarterly_text(
    source: Source,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    layout: str = "csv",
) -> str:
    """``quarterly_table(source, ...)`` printed: CSV text (header first) or an aligned table.

    The bytes ``pbj measures --format csv|table`` prints. From public files
    DuckDB prints the lines itself (``quarterly_text_sql``), the national-
    quarter hot path; anything else, or a file with a cell the fast text
    cannot print, goes through ``quarterly_table`` and Python: the same bytes.
    """
    from carecover.pbj.measures.text import aligned_table, finish_csv, finish_table

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    from carecover.pbj.sources import FilesSource, resolve

    label = _label(quarter)
    found = resolve(source)
    if isinstance(found, FilesSource):
        paths = list(found.paths)

        def fetch(con: DuckDBPyConnection, source: str) -> str | None:
            sql = _bind(source, quarterly_text_sql(layout))
            ((*printed, unsafe, clean),) = con.execute(sql, [label, facility]).fetchall()
            if unsafe or not clean:
                return None
            if layout == "csv":
                header, lines = printed
                return f"{header}\n{finish_csv(lines)}"
            names, widths, lines = printed
            return finish_table(names, widths, lines)

        text = _fast_files(paths, fetch)
        if text is not None:
            return text
    names, rows = quarterly_table(source, quarter=label, facility=facility, as_text=True)
    if layout == "table":
        return aligned_table(names, rows, empty="(no facility-days match)")
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


def quarterly_rows(
    source: Source, *, quarter: Quarter | str | None = None, facility: str | None = None
) -> list[dict[str, Any]]:
    """Per facility-quarter measures (``QUARTERLY_COLUMNS``) as dictionaries, on DuckDB.

    The same numbers as ``to_rows(quarterly_measures(source, ...))``, for the
    same sources: a store path (``.duckdb``/``.db``), public CSV file(s), or
    an Ibis table (run through Ibis).
    """
    from carecover.pbj.sources import TableSource, resolve

    if isinstance(resolve(source), TableSource):
        from carecover.pbj.measures.staffing import quarterly_measures, to_rows

        label = _label(quarter)
        return to_rows(quarterly_measures(source, quarter=label, facility=facility))
    return _dicts(quarterly_table(source, quarter=quarter, facility=facility))


def _label(quarter: Quarter | str | None) -> str | None:
    if not quarter:
        return None
    from carecover.pbj.calendar import Quarter

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
    (``measures.text``: hours rounded to 2 decimals, HPRD to 5,
    ``true``/``false``, ``""`` for NULL), formatted by DuckDB in the query.
    """
    label = _label(quarter)
    from carecover.pbj.sources import FilesSource, StoreSource, resolve
    from carecover.pbj.store import connect

    found = resolve(source)
    if isinstance(found, StoreSource):
        con = connect(found.path, read_only=True)
        try:
            stored = _stored_rows(con, label, facility, as_text)
            if stored is not None:
                return stored
            select, params = _filtered("daily_nurse_staffing", label, facility)
            return _execute(con, select, params, checked=False, as_text=as_text)
        finally:
            con.close()
    if not isinstance(found, FilesSource):
        raise TypeError("quarterly_table reads a store or public files")
    paths = list(found.paths)
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
    from carecover.pbj.publicfile.loading import load_files

    con = connect(":memory:")
    try:
        load_files(con, paths)
        select, params = _filtered("daily_nurse_staffing", label, facility)
        return _execute(con, select, params, checked=False, as_text=as_text)
    finally:
        con.close()
