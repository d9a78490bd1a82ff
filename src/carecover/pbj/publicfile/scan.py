"""Reading one CMS public-use file on DuckDB: one typed scan, and a careful line-by-line path.

Traps handled here (peers-and-public-files.md): cp1252 text (names with 0x92
and 0x96) and UTF-8 with a byte-order mark; header drift (``columns``); a
trailing empty column.

- ``typed_scan``: the one typed scan. DuckDB's CSV reader parses the file in
  place and in parallel: identifiers as text, hours as DOUBLE, WorkDate and
  MDScensus kept only when whole. Two views of it:
  ``scan_view`` (every store column, for ``pbj load`` and the Ibis
  measures; a cp1252 file is first copied to UTF-8 because names are read,
  the encoding told by ``filebytes``; ``view_problems`` counts rows breaking
  a loader rule) and ``measures_scan`` (the measures' columns, for
  ``pbj measures``, read in place whatever the encoding: they are ASCII;
  the loader rules ride in the measures' aggregate,
  ``measures.quarterly_expression(checked=True)``).
- ``stage``: the careful path, used when the scan finds anything wrong.
  The text is decoded in Python and re-written as UTF-8 with a leading
  ``__line`` column; DuckDB's CSV reader splits it into text fields with
  rejected rows captured, so every bad row can be named and quarantined.
  Its fields are typed by the Ibis text reader every engine shares
  (``text.read``), as Spark types a file.
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.errors import InputError
from carecover.filekind import utf8_copy
from carecover.pbj.columns import ID_COLUMNS, FileKind, Header, hour_columns, normalise_header
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.pbj.publicfile.head import check_public_head
from carecover.pbj.publicfile.rules import Row, broken, broken_group, quarter_of

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "Staged",
    "decode",
    "measures_scan",
    "scan_view",
    "stage",
    "typed_scan",
    "view_problems",
]

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Staged:
    """A file parsed into the temp table ``table`` (columns ``__line``, ``c0``..)."""

    file: str
    sha256: str
    header: Header
    table: str
    lines: list[str]  # the decoded lines; lines[n - 1] is line n
    unreadable: dict[int, str]  # line -> reason, for rows the CSV reader rejected


def decode(data: bytes, *, file: str) -> str:
    """Decode UTF-8 (with or without BOM) or cp1252; name the line of a bad byte."""
    if b"\x00" in data[:65536]:
        raise InputError("not a text CSV file (NUL bytes: UTF-16 or binary?)", file=file)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        encodings = ["utf-8"]
    else:
        encodings = ["utf-8", "cp1252"]
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    line = data[: error.start].count(b"\n") + 1
    raise InputError(
        f"cannot decode byte 0x{data[error.start]:02x} as {' or '.join(encodings)}",
        file=file,
        line=line,
    )


def _reader_sql(path: str, width: int, rejects: str) -> str:
    columns = ", ".join(["'__line': 'BIGINT'"] + [f"'c{i}': 'VARCHAR'" for i in range(width)])
    return (
        f"SELECT * FROM read_csv('{path}', header = true, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        f"store_rejects = true, rejects_table = '{rejects}_errors', "
        f"rejects_scan = '{rejects}_scans', columns = {{{columns}}})"
    )


def stage(con: DuckDBPyConnection, path: Path, *, table: str = "pbj_staging") -> Staged:
    """Decode ``path``, normalise its header and parse it into temp table ``table``."""
    name = str(path)
    check_public_head(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    lines = decode(data, file=name).splitlines()
    del data
    if not lines or not lines[0].strip():
        raise InputError("empty file (no header line)", file=name, line=1)
    names = next(csv.reader([lines[0]]))
    header = normalise_header(names, file=name)
    width = len(names)
    handle, tmp = tempfile.mkstemp(suffix=".csv", prefix="carecover-pbj-")
    written = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(",".join(["__line"] + [f"c{i}" for i in range(width)]) + "\n")
            for number, line in enumerate(lines[1:], start=2):
                if line.strip():
                    out.write(f"{number},{line}\n")
                    written += 1
        rejects = f"{table}_rejects"
        con.execute(f"DROP TABLE IF EXISTS {table}")
        reader = _reader_sql(tmp.replace("'", "''"), width, rejects)
        con.execute(f"CREATE TEMP TABLE {table} AS {reader}")
        unreadable: dict[int, str] = {}
        for csv_line, error_type, message in con.execute(
            f"SELECT csv_line, error_type, error_message FROM {rejects}_errors ORDER BY line"
        ).fetchall():
            number = int(str(csv_line).split(",", 1)[0])
            unreadable.setdefault(number, f"unreadable row ({error_type}): {message}")
        con.execute(f"DROP TABLE IF EXISTS {rejects}_errors")
        con.execute(f"DROP TABLE IF EXISTS {rejects}_scans")
    finally:
        Path(tmp).unlink(missing_ok=True)
    ((accepted,),) = con.execute(f"SELECT count(*) FROM {table}").fetchall()
    if accepted + len(unreadable) != written:
        # DuckDB swallowed lines (an unbalanced quote joins lines): name them.
        seen = {int(n) for (n,) in con.execute(f"SELECT __line FROM {table}").fetchall()}
        seen |= set(unreadable)
        previous = 0
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() and number not in seen:
                unreadable[number] = "unreadable row (unbalanced quote or truncated line)"
                # The row before it absorbed this line: it is damaged too.
                if previous and previous not in unreadable:
                    unreadable[previous] = "unreadable row (unbalanced quote joins lines)"
            if line.strip():
                previous = number
        con.execute(f"DELETE FROM {table} WHERE __line IN (SELECT unnest(?))", [list(unreadable)])
    return Staged(name, digest, header, table, lines, unreadable)


def scan_view(con: DuckDBPyConnection, path: Path, view: str, workdir: Path) -> Header:
    """Expose a nurse or non-nurse file as ``view`` with the store's typed columns (``typed_scan``).

    Nothing is read yet: DuckDB scans the file when the view is queried (a
    cp1252 file is first copied to UTF-8 in ``workdir``, which must outlive
    the view: its names are read). A malformed row then raises a DuckDB
    error; ``view_problems`` finds the rest.
    """
    name = str(path)
    check_public_head(path)
    encoding = read_file_bytes(path).encoding
    if encoding is None:
        decode(path.read_bytes(), file=name)  # raises the precise error
        raise InputError("cannot read this file's encoding", file=name)
    copy = workdir / f"{path.stem}.utf8.csv"
    readable = utf8_copy(path, copy) if encoding == "cp1252" else path
    header, select = typed_scan(path, readable=readable)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {select}")
    return header


def scanned_rows(con: DuckDBPyConnection, view: str, kind: FileKind) -> tuple[Any, Row]:
    """A ``scan_view`` as an Ibis table with its ``quarter`` normalised, and its ``Row``."""
    from carecover.pbj.store import ibis_connection, quiet_ibis

    with quiet_ibis():
        t = ibis_connection(con).table(view)
    t = t.mutate(quarter=quarter_of(t.cy_qtr)).drop("cy_qtr")
    row = Row(
        provnum=t.provnum,
        quarter=t.quarter,
        day=t.workdate,
        census=t.mdscensus.cast("float64"),
        hours={c: t[c] for c in hour_columns(kind)},
    )
    return t, row


def view_problems(con: DuckDBPyConnection, view: str, kind: FileKind) -> int:
    """0 when no row of ``view`` (a ``scan_view``) breaks a loader rule; else a positive count.

    The loader rules' predicates (``publicfile.rules.broken``), the CCN and
    quarter ones tested once per facility-quarter (``broken_group``), plus
    the rows that repeat a facility-day. A positive count is not the number
    of bad rows (a facility-quarter breaking a key rule counts all its rows):
    callers only ask whether the scan is safe, and the careful loader names
    the rows.
    """
    import ibis

    from carecover.pbj.store import ibis_connection, quiet_ibis

    with quiet_ibis():
        t = ibis_connection(con).table(view)
    census = t.mdscensus.cast("float64")
    hours = {c: t[c] for c in hour_columns(kind)}
    row = Row(t.provnum, quarter_of(t.cy_qtr), t.workdate, census, hours)
    bad = t.filter(broken(row, kind, grouped=True)).count()
    # Grouped on CY_Qtr as written: its reading (``quarter_of``) runs once per group.
    g = t.group_by(["provnum", "cy_qtr"]).aggregate(
        first=t.workdate.min(), last=t.workdate.max(), n=t.count()
    )

    def keys(day: Any) -> Row:
        return Row(g.provnum, quarter_of(g.cy_qtr), day, ibis.null("float64"), {})

    keyed = g.filter(broken_group(keys(g.first), keys(g.last), kind)).n.sum().fill_null(0)
    repeated = t.group_by(["provnum", "workdate"]).aggregate(n=t.count())
    extra = (repeated.n - 1).sum().fill_null(0)
    counts = {"bad": bad, "keyed": keyed, "extra": extra}
    with quiet_ibis():
        sql = str(
            ibis.to_sql(
                ibis.literal(0)
                .name("x")
                .as_table()
                .select(**{name: n.as_scalar() for name, n in counts.items()}),
                dialect="duckdb",
            )
        )
    ((*found,),) = con.execute(sql).fetchall()
    return sum(int(n) for n in found)


def measures_scan(path: Path) -> tuple[Header, str]:
    """The file's header and a SELECT of what the measures read (``typed_scan``).

    The columns of the measures' source: provnum, ``quarter`` (CY_Qtr as
    written, trimmed), workdate, mdscensus and every hours column (the
    ``_emp`` ones only for the loader rules). DuckDB reads only these.

    The file is read in place whatever its encoding: every column read here
    is ASCII in a valid file, and DuckDB checks UTF-8 only in the columns it
    reads, so the caller must check the encoding
    (``filebytes.read_file_bytes``), which it can do while DuckDB reads.
    """
    header, select = typed_scan(path)
    hours = ", ".join(hour_columns(header.kind))
    columns = f"provnum, cy_qtr AS quarter, workdate, mdscensus, {hours}"
    return header, f"SELECT {columns} FROM ({select})"


def typed_scan(path: Path, *, readable: Path | None = None) -> tuple[Header, str]:
    """The one typed DuckDB scan of a daily public file: its header and a SELECT of its rows.

    Columns: the store's identifiers and ``cy_qtr`` as written (trimmed,
    NULL when blank; the first non-blank where header drift gives a column
    two positions), ``workdate`` (DATE), ``mdscensus`` (INTEGER) and every hours column
    (DOUBLE), parsed by DuckDB's CSV reader in parallel. ``readable`` is the
    file DuckDB reads (a UTF-8 copy of a cp1252 file, when names are read).

    Parsed the cheapest way: a WorkDate of eight digits (told from the first
    row) is read as a number (``strptime`` on text is the costliest step),
    else as ``YYYY-MM-DD``. WorkDate and MDScensus are read as DOUBLE and
    kept only when whole: DuckDB reads ``49.5`` in an INTEGER column as 50,
    and ``20240101.6`` as the next day, without a word; NULL instead breaks
    a loader rule. Anything unusual (an ISO date in a mostly-``YYYYMMDD``
    file, an impossible day) makes DuckDB raise or breaks a rule, and the
    caller reads the file with the careful loader, which names the row.
    """
    name = str(path)
    check_public_head(path)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head:
        decode(head, file=name)  # raises: NUL bytes (UTF-16 or binary)
    first, second = _first_lines(head)
    try:
        names = next(csv.reader([first]))
    except csv.Error as error:  # a carriage return inside the line
        raise InputError(f"unreadable header ({error})", file=name, line=1) from None
    header = normalise_header(names, file=name)
    hours = hour_columns(header.kind)
    try:
        row = next(csv.reader([second]), []) if second else []
    except csv.Error:
        row = []  # the scan fails on it, and the careful loader names the line

    date_at = header.sources["workdate"][0]
    compact = date_at < len(row) and len(row[date_at]) == 8 and row[date_at].isdigit()
    types = {p: "DOUBLE" for c in hours for p in header.sources.get(c, ())}
    types.update(dict.fromkeys(header.sources["mdscensus"], "DOUBLE"))
    if compact:
        types[date_at] = "DOUBLE"
    columns = ", ".join(f"'c{i}': '{types.get(i, 'VARCHAR')}'" for i in range(len(names)))

    def pick(column: str, typed: bool) -> str:
        positions = header.sources.get(column, ())
        if not positions:
            return f"NULL::{'DOUBLE' if typed else 'VARCHAR'} AS {column}"
        values = [f"c{p}" if typed else f"nullif(trim(c{p}), '')" for p in positions]
        return f"coalesce({', '.join(values)}, NULL) AS {column}"

    def whole(value: str, cast: str) -> str:
        return f"CASE WHEN {value} = floor({value}) THEN {value}::{cast} END"

    day = whole(f"c{date_at}", "BIGINT")
    workdate = (
        f"make_date({day} // 10000, {day} // 100 % 100, {day} % 100)"
        if compact
        else f"try_strptime(trim(c{date_at}), '%Y-%m-%d')::DATE"
    )
    census = pick("mdscensus", True).removesuffix(" AS mdscensus")
    # CY_Qtr among them, as written: the rules read it through ``rules.quarter_of``.
    select = [pick(c, False) for c in ID_COLUMNS if c not in ("workdate", "mdscensus")]
    select += [
        f"{workdate} AS workdate",
        f"{whole(census, 'INTEGER')} AS mdscensus",
        *(pick(c, True) for c in hours),
    ]
    quoted = str(readable or path).replace("'", "''")
    sql = (
        f"SELECT {', '.join(select)} FROM read_csv('{quoted}', header = true, "
        "auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        f"columns = {{{columns}}})"
    )
    return header, sql


def _first_lines(head: bytes) -> tuple[str, str]:
    """The header line and the first data line (empty when there is none) of ``head``."""
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    lines = [line.rstrip(b"\r").decode("utf-8", errors="replace") for line in head.split(b"\n", 2)]
    return lines[0], lines[1] if len(lines) > 1 else ""
