"""Reading one Employee Detail file with DuckDB: the scan, its check, the line of a bad row.

``check`` exposes a file as a temporary view of its text (every column
VARCHAR, named explicitly, the header skipped, strict RFC 4180 quoting) and
checks it in one parallel pass with the rules of ``employee_rules``: how many
rows break a rule, how many rows there are, and the facility-quarters of the
good rows. ``typed_sql`` reads the checked views again as typed rows, each
employee, day, job and pay type once.

Order: the second pass, and the naming of a bad row, number each row in file
order (``record``: ``row_number() OVER ()``, which DuckDB computes in a
streaming window that keeps the scan's order while ``preserve_insertion_order``
is on, on one thread): the later of two rows for one employee, day, job and
pay type is kept, and the first bad row is named. The check needs no order and
reads the file on every thread.

Encodings, as the daily loader reads them (``publicfile``): a file whose
first bytes are not UTF-8 is copied to UTF-8 as Windows-1252 first
(``filekind.utf8_copy``); a file that starts as UTF-8 is scanned in place,
and when DuckDB meets a byte further on that is not UTF-8 the whole file's
encoding is told (``filebytes``): a Windows-1252 file is copied and scanned
again, anything else is refused naming the line of the bad byte
(``publicfile.decode``).

Lines: a record is one line in almost every file, and then bad record ``n``
is on line ``n + 1``. Counting the file's lines tells whether that holds (a
quoted field holding a line break, or a blank line, which DuckDB skips,
makes the counts differ); when it does not, the file is read line by line
(``csvrecords``) up to the record to name its first line. The same pass
names the line when DuckDB cannot read the file at all (a quote left open, a
row of another width). Only a bad file pays for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from carecover.csvrecords import records
from carecover.engines.duckdb import rows_of_sql, sql_of, text_sql
from carecover.errors import InputError
from carecover.filekind import utf8_copy
from carecover.pbj.employees.rules import (
    FIELDS,
    first_problem,
    latest,
    read,
    summary,
    tested,
    values,
)
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.pbj.publicfile.scan import decode

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "NOTHING",
    "Scanned",
    "check",
    "line_count",
    "name_line",
    "on_views",
    "typed_sql",
]

_TEXT = dict.fromkeys(FIELDS, "string")
_NUMBERED = {"record": "int64", **_TEXT}
# The name the compiled rules read a file's view by (``on_views`` binds it): compiling
# the rules costs tens of milliseconds, more than checking a small file, so each
# query is compiled once per process.
_FILE = "employee_file"
_CHUNK = 1 << 22
#: The end of every message refusing a file.
NOTHING = "; nothing was read from this file"


@dataclass(frozen=True)
class Scanned:
    """A checked file: how many records it holds and the facility-quarters of its rows."""

    records: int
    facility_quarters: frozenset[tuple[str, str]]


def _scan_sql(readable: Path, width: int, at: Mapping[str, int]) -> str:
    return text_sql(readable, {field: at[field] for field in FIELDS}, width)


def on_views(views: Sequence[str], sql: str, *, numbered: bool = True) -> str:
    """``sql`` (compiled over ``employee_file_<i>``) reading the views ``views``.

    ``numbered``: each row gets ``record``, its number in file order. DuckDB
    numbers rows in a streaming window, which keeps the scan's order but runs
    on one thread; the check, which needs no order, reads the views in parallel.
    """
    record = "row_number() OVER () AS record, " if numbered else ""
    bound = ", ".join(
        f"{_FILE}_{i} AS (SELECT {record}* FROM {view})" for i, view in enumerate(views)
    )
    return f"WITH {bound} SELECT * FROM ({sql})"


@cache
def _summary_sql() -> str:
    """One row per facility-quarter of the good rows (and one for the bad ones, NULL keys)."""
    import ibis

    return sql_of(summary(tested(*read(ibis.table(_TEXT, name=f"{_FILE}_0")))))


@cache
def _problem_sql() -> str:
    """The first bad row in file order: its record number, field and message."""
    import ibis

    return sql_of(first_problem(*read(ibis.table(_NUMBERED, name=f"{_FILE}_0"))))


def _scanned(
    con: DuckDBPyConnection, view: str, readable: Path, width: int, at: Mapping[str, int]
) -> list[dict[str, Any]]:
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {_scan_sql(readable, width, at)}")
    return rows_of_sql(con, on_views([view], _summary_sql(), numbered=False))


def _read_and_checked(
    con: DuckDBPyConnection,
    path: Path,
    view: str,
    width: int,
    at: Mapping[str, int],
    *,
    utf8: bool,
    workdir: Path,
) -> tuple[Path, list[dict[str, Any]]]:
    """The file DuckDB read (``path`` or its UTF-8 copy) and the check's summary rows."""
    import duckdb

    readable = path if utf8 else utf8_copy(path, workdir / f"{path.stem}.utf8.csv")
    try:
        return readable, _scanned(con, view, readable, width, at)
    except duckdb.Error as error:
        failure = error
    if readable == path:
        # Perhaps a byte further on is not UTF-8: tell the whole file's encoding.
        encoding = read_file_bytes(path).encoding
        if encoding is None:
            decode(path.read_bytes(), file=str(path))  # raises the error naming the line
            raise InputError("neither UTF-8 nor Windows-1252 text", file=str(path))
        if encoding == "cp1252":
            readable = utf8_copy(path, workdir / f"{path.stem}.utf8.csv")
            try:
                return readable, _scanned(con, view, readable, width, at)
            except duckdb.Error as error:
                failure = error
    _unreadable(readable, str(path), width, failure)


def check(
    con: DuckDBPyConnection,
    path: Path,
    view: str,
    width: int,
    at: Mapping[str, int],
    *,
    utf8: bool,
    workdir: Path,
) -> Scanned:
    """Scan ``path`` into the temp view ``view`` and check every row, or ``InputError``.

    ``width``: the header's field count; ``at``: each field's position in it;
    ``utf8``: the first bytes are UTF-8 (else the file is read as
    Windows-1252, copied to UTF-8 in ``workdir``, which must outlive the view).
    """
    file = str(path)
    readable, summary = _read_and_checked(con, path, view, width, at, utf8=utf8, workdir=workdir)
    records = sum(int(r["records"]) for r in summary)
    if any(r["bad"] for r in summary):
        # Only a bad file is read again in order (one thread) to name its first bad row.
        ((first, field, reason),) = (
            tuple(r.values()) for r in rows_of_sql(con, on_views([view], _problem_sql()))
        )
        # One line per record (and none blank): record n is on line n + 1.
        one_per_line = line_count(readable) == records + 1
        line = first + 1 if one_per_line else name_line(readable, file, width, first)
        raise InputError(reason + NOTHING, file=file, line=line, field=field)
    pairs = frozenset(
        (str(r["provnum"]), str(r["quarter"])) for r in summary if r["provnum"] is not None
    )
    return Scanned(records, pairs)


def _unreadable(readable: Path, file: str, width: int, error: Exception) -> NoReturn:
    """Name the line DuckDB could not read (the line-by-line pass), else pass on its words."""
    name_line(readable, file, width, None)
    said = str(error).splitlines()[0].removeprefix("Invalid Input Error: ")
    raise InputError(f"not readable CSV ({said}){NOTHING}", file=file) from None


def name_line(
    readable: Path, file: str, width: int, record: int | None, *, encoding: str = "utf-8"
) -> int | None:
    """The first line of data record ``record`` (1 = the first after the header), read line by line.

    Blank lines are no records (DuckDB skips them too). A structurally broken
    record before it (``csvrecords``: a quote left open, a NUL byte, a row of
    another width) is an ``InputError`` naming its line. ``record=None``
    reads the whole file for such a record; ``None`` comes back when there is
    no such record. ``encoding``: ``utf-8`` (a BOM is skipped) or ``cp1252``.
    """
    text = "utf-8-sig" if encoding == "utf-8" else encoding
    with readable.open(encoding=text, newline="") as handle:
        found = records(handle, file=file)
        next(found, None)  # the header
        number = 0
        for line, fields in found:
            if not fields:
                continue
            if len(fields) != width:
                # csvrecords lets a row of blanks of another width pass; DuckDB does not.
                raise InputError(
                    f"{len(fields)} blank field(s) where the header has {width}{NOTHING}",
                    file=file,
                    line=line,
                )
            number += 1
            if number == record:
                return line
    return None


def line_count(path: Path) -> int:
    """Lines of ``path`` as Python's universal newlines count them (LF, CRLF and CR end one)."""
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            if last == b"\r" and chunk.startswith(b"\n"):
                lines -= 1  # a CRLF split between two chunks
            last = chunk[-1:]
    return lines + (1 if last not in (b"", b"\n", b"\r") else 0)


@cache
def typed_sql(files: int, stride: int) -> tuple[str, str]:
    """SQL of the typed rows of ``files`` checked views, each employee, day, job and pay once.

    Compiled over ``employee_file_0``.. (bind them with ``on_views``). The row
    kept is the last: of the last file that has it, and in it the later
    record (``stride``: record numbers of file ``i`` count from ``i * stride``).
    Returns the rows, and the same rows in that order.
    """
    import ibis

    if files < 1:
        raise ValueError("no Employee Detail file to read")
    parts = []
    for index in range(files):
        t, row = read(ibis.table(_NUMBERED, name=f"{_FILE}_{index}"))
        parts.append(t.select(**values(row), seq=t.record + index * stride))
    every = parts[0] if len(parts) == 1 else ibis.union(*parts)
    kept = latest(every)
    return sql_of(kept.select(*FIELDS)), sql_of(kept.order_by("seq").select(*FIELDS))
