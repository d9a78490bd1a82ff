"""The PBJ Employee Detail public file: one row per employee id, day and job.

CMS publishes, quarterly since 2017Q1 (first released 27 July 2023), a
system-generated employee id, the work date, the job type, the employment
status and the hours worked of every employee of every nursing home
(landscape-2026.md). Its column names could not be confirmed against CMS's
data dictionary from here, so the header each field accepts is data:
``data/pbj/employee_detail_columns.csv`` (each row says how sure it is).

A national quarter is about 100 million rows, so the rows are never read in
Python. Per file:

1. In Python, from the first bytes: the text must be UTF-8 or single-byte
   (``filekind.require_text``: UTF-16 is refused); the header is read
   (``csvrecords``), bounded (``check_header_width``) and its names matched
   case-insensitively in any order (header drift).
2. DuckDB scans the file in place (``employee_scan``), every column as text;
   a Windows-1252 file is first copied to UTF-8. One parallel pass counts the
   rows breaking a rule of ``employee_rules`` (the rules, in Ibis) and lists
   the facility-quarters of the good ones.
3. A bad row stops the file with an ``InputError`` naming the file, the line
   of the first bad row in file order, its field and the rule's message:
   nothing is returned from a file with a bad row. A scan DuckDB cannot finish
   (a broken quote, a row of the wrong width) is re-read line by line only to
   name the line (``employee_scan.name_line``).

The good rows of every file are then read once more, in file order, typed by
the same rule expressions, with an employee, day, job and pay type given
twice kept once: the last file's row (and in one file, the later row), as
the row-by-row reader did.

``employee_table`` gives the rows as a table of an engine. On Spark each
file is read and checked by Spark itself (``checked``: ``Engine.read_text``
and the same rules), so the rows never pass through DuckDB or Python; step 1
is the same, and a bad row is named as DuckDB names it.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.csvrecords import check_header_width, records
from carecover.engines.seam import Engine, EngineName
from carecover.errors import InputError
from carecover.filekind import HEAD_BYTES, require_text
from carecover.pbj.employees.rules import FIELDS, latest
from carecover.pbj.publicfile.scan import decode

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "COLUMNS",
    "CheckedFiles",
    "EmployeeColumn",
    "checked_files",
    "columns",
    "employee_table",
    "is_employee_detail",
    "read_employee_detail",
]

COLUMNS = FIELDS
_FILE_STRIDE = 1 << 40  # record numbers of file i start at i * stride (keep-last order)
_names = count()


@dataclass(frozen=True)
class EmployeeColumn:
    """One field of the file and the header names it is read from."""

    field: str
    headers: tuple[str, ...]
    type: str
    confidence: str
    source: str


@cache
def columns() -> tuple[EmployeeColumn, ...]:
    """The column mapping shipped in ``data/pbj/employee_detail_columns.csv``."""
    text = (
        resources.files("carecover")
        .joinpath("data", "pbj", "employee_detail_columns.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(
        EmployeeColumn(
            field=row["field"],
            headers=tuple(row["headers"].split("|")),
            type=row["type"],
            confidence=row["confidence"],
            source=row["source"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def _positions(header: list[str], file: str) -> dict[str, int]:
    """Each field's position in ``header`` (case and spacing ignored), or ``InputError``."""
    seen = {name.strip().lower(): i for i, name in enumerate(header)}
    found: dict[str, int] = {}
    for column in columns():
        for name in column.headers:
            if name.lower() in seen:
                found[column.field] = seen[name.lower()]
                break
        else:
            raise InputError(
                f"no {column.field} column (expected one of {', '.join(column.headers)}); "
                "not a PBJ Employee Detail file?",
                file=file,
                line=1,
            )
    return found


def _header(path: Path) -> tuple[list[str], bool]:
    """The header's names, and whether the file's first bytes are UTF-8 (else cp1252)."""
    file = str(path)
    sniffed = require_text(path, what="a PBJ Employee Detail CSV file")
    utf8 = sniffed.encoding == "utf-8"
    # Older public files are Windows-1252 (the daily loader's rule).
    for encoding in ("utf-8-sig", "cp1252") if utf8 else ("cp1252",):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                _, header = next(records(handle, file=file))
            return header, utf8
        except StopIteration:
            raise InputError("the file is empty", file=file) from None
        except UnicodeDecodeError:
            utf8 = False
    with path.open("rb") as handle:
        decode(handle.read(HEAD_BYTES), file=file)  # raises the error naming the line
    raise InputError("the text is neither UTF-8 nor Windows-1252", file=file, line=1)


def _header_positions(path: Path, header: list[str]) -> dict[str, int]:
    """Each field's position in ``path``'s bounded ``header``, or ``InputError``."""
    file = str(path)
    check_header_width(header, limit=200, file=file, what="an Employee Detail header")
    return _positions(header, file)


def is_employee_detail(path: Path) -> bool:
    """Whether ``path`` is a text file whose header names every Employee Detail field.

    How ``pbj load`` tells it from CMS's daily public files, by the header (the
    mapping's names), never by the file name.
    """
    try:
        header, _ = _header(path)
        _positions(header, str(path))
    except (InputError, UnicodeDecodeError, OSError):
        return False
    return True


@dataclass(frozen=True)
class CheckedFiles:
    """Employee Detail files whose every row keeps the rules, scanned in place on ``con``.

    ``sql`` selects ``COLUMNS``, one row per employee, day, job and pay type
    (the last file's, as ``read_employee_detail``): run it on the connection
    the files were checked on, inside the ``checked_files`` block (its views and
    copies live that long), or use it as a subquery (``INSERT ... SELECT``).
    """

    sql: str
    ordered_sql: str  # the same rows in the order of the files and their lines
    facility_quarters: tuple[tuple[str, str], ...]  # (provnum, quarter) of the rows, sorted


@contextmanager
def checked_files(con: DuckDBPyConnection, paths: Sequence[Path]) -> Iterator[CheckedFiles]:
    """Check one or more Employee Detail files on the DuckDB connection ``con``; their rows.

    Every file is checked before anything is given: a bad one raises
    ``InputError`` with its file, line and field. The rows are read again
    when the caller runs ``CheckedFiles.sql`` (an ``INSERT ... SELECT`` moves
    them into a store without passing through Python).
    """
    from carecover.pbj.employees.scan import Scanned, check, on_views, typed_sql

    views: list[str] = []
    scanned: list[Scanned] = []
    ((insertion_order,),) = con.execute(
        "SELECT current_setting('preserve_insertion_order')"
    ).fetchall()
    # Row numbers follow the file only while DuckDB keeps insertion order.
    con.execute("SET preserve_insertion_order = true")
    try:
        with tempfile.TemporaryDirectory(prefix="carecover-ed-") as workdir:
            for index, path in enumerate(paths):
                header, utf8 = _header(path)
                at = _header_positions(path, header)
                view = f"employee_scan_{next(_names)}"
                views.append(view)
                copies = Path(workdir) / str(index)
                copies.mkdir()
                scanned.append(check(con, path, view, len(header), at, utf8=utf8, workdir=copies))
            rows, ordered = typed_sql(len(views), _FILE_STRIDE)
            pairs = sorted({pair for s in scanned for pair in s.facility_quarters})
            yield CheckedFiles(on_views(views, rows), on_views(views, ordered), tuple(pairs))
    finally:
        for view in views:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        con.execute(f"SET preserve_insertion_order = {bool(insertion_order)}")


def _schema() -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    return pa.schema(
        [
            ("provnum", pa.string()),
            ("quarter", pa.string()),
            ("employee_id", pa.string()),
            ("workdate", pa.date32()),
            ("job_title_code", pa.int64()),
            ("pay_type_code", pa.int64()),
            ("hours", pa.float64()),
        ]
    )


def read_employee_detail(paths: Iterable[Path]) -> Any:
    """The checked rows of one or more Employee Detail files, as an Arrow table with ``COLUMNS``.

    The same employee, day, job and pay type in two files is counted once (the
    last file's row). Rows come in the order of the files and their lines.
    """
    import duckdb

    from carecover.engines.duckdb import quiet

    files = list(paths)
    schema = _schema()
    if not files:
        return schema.empty_table()
    con = duckdb.connect()
    try:
        with checked_files(con, files) as checked, quiet():
            return con.sql(checked.ordered_sql).to_arrow_table().cast(schema)
    finally:
        con.close()


def employee_table(engine: Engine, paths: Sequence[Path]) -> Any:
    """The checked rows of Employee Detail files as a table of ``engine``, with ``COLUMNS``.

    One row per employee, day, job and pay type (the last file's; in a file,
    the later row), as ``read_employee_detail``. On DuckDB that reader's
    rows; on another engine each file is read and checked by the engine
    itself (``checked.read_checked``). Every file is checked before the
    table is given; its rows are read again when it is run.
    """
    import ibis

    files = list(paths)
    if engine.name is EngineName.DUCKDB or not files:
        return engine.from_arrow(read_employee_detail(files))
    from carecover.pbj.employees.checked import read_checked

    parts = []
    for index, path in enumerate(files):
        header, _ = _header(path)
        rows = read_checked(engine, path, len(header), _header_positions(path, header))
        parts.append(rows.select(*COLUMNS, seq=rows.record + index * _FILE_STRIDE))
    every = parts[0] if len(parts) == 1 else ibis.union(*parts)
    return latest(every).select(*COLUMNS)
