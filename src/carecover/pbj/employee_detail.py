"""The PBJ Employee Detail public file: one row per employee id, day and job.

CMS publishes, quarterly since 2017Q1 (first released 27 July 2023), a
system-generated employee id, the work date, the job type, the employment
status and the hours worked of every employee of every nursing home
(landscape-2026.md). Its column names could not be confirmed against CMS's
data dictionary from here, so the header each field accepts is data:
``data/pbj/employee_detail_columns.csv`` (each row says how sure it is).

The reader applies the daily file's rules: the text must be UTF-8 or
single-byte (``filekind.require_text``), the CSV structure is checked
(``csvrecords``), header names are matched case-insensitively in any order
(header drift), and a bad value is refused with its file, line and field
(an empty or unknown id, a date outside the row's quarter, a job or pay
code outside the PBJ code lists, hours that are negative, NaN, infinite or
over 24 in a day). Nothing is returned from a file with a bad row.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from carecover.csvrecords import check_header_width, records
from carecover.errors import InputError
from carecover.filekind import require_text
from carecover.pbj.calendar import Quarter

__all__ = ["COLUMNS", "EmployeeColumn", "columns", "is_employee_detail", "read_employee_detail"]

COLUMNS = (
    "provnum",
    "quarter",
    "employee_id",
    "workdate",
    "job_title_code",
    "pay_type_code",
    "hours",
)
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.,\\ ]{0,29}$")  # PBJ employeeId characters
_CCN = re.compile(r"^[0-9A-Za-z]{6}$")
_MAX_DAY_HOURS = 24.0  # PBJ edit -4015: at most 24 hours per employee and day


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


def _date(text: str) -> date:
    for layout in ("%Y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date like 20240401")


def _row(fields: list[str], at: dict[str, int], file: str, line: int) -> tuple[Any, ...]:
    def value(name: str) -> str:
        return fields[at[name]].strip()

    def bad(name: str, why: str) -> InputError:
        return InputError(
            why + "; nothing was read from this file", file=file, line=line, field=name
        )

    provnum = value("provnum")
    if not _CCN.match(provnum):
        raise bad("provnum", f"{provnum!r} is not a 6-character CCN")
    try:
        quarter = Quarter.parse(value("quarter"))
    except Exception:
        raise bad("quarter", f"{value('quarter')!r} is not a quarter like 2024Q2") from None
    employee = value("employee_id")
    if not _ID.match(employee):
        raise bad("employee_id", f"{employee!r} is not a PBJ employee id")
    try:
        day = _date(value("workdate"))
    except ValueError as error:
        raise bad("workdate", str(error)) from None
    if Quarter.containing(day) != quarter:
        raise bad("workdate", f"{day} is not in {quarter}")
    codes = []
    for name, valid in (("job_title_code", range(1, 41)), ("pay_type_code", range(1, 4))):
        text = value(name)
        if not text.isdigit() or int(text) not in valid:
            raise bad(name, f"{text!r} is not a PBJ code ({valid.start}-{valid.stop - 1})")
        codes.append(int(text))
    try:
        hours = float(value("hours"))
    except ValueError:
        raise bad("hours", f"{value('hours')!r} is not a number of hours") from None
    if not math.isfinite(hours) or not 0 <= hours <= _MAX_DAY_HOURS:
        raise bad("hours", f"{value('hours')!r} hours is not 0 to {_MAX_DAY_HOURS:g} in a day")
    return (provnum, str(quarter), employee, day, codes[0], codes[1], hours)


def _lines(path: Path) -> Iterable[str]:
    sniffed = require_text(path, what="a PBJ Employee Detail CSV file")
    encoding = "utf-8-sig" if sniffed.encoding in (None, "utf-8") else sniffed.encoding
    try:
        with path.open(encoding=encoding, newline="") as handle:
            yield from handle
    except UnicodeDecodeError:
        # Older public files are Windows-1252 (the daily loader's rule).
        with path.open(encoding="cp1252", newline="") as handle:
            yield from handle


def is_employee_detail(path: Path) -> bool:
    """Whether ``path`` is a text file whose header names every Employee Detail field.

    How ``pbj load`` tells it from CMS's daily public files, by the header (the
    mapping's names), never by the file name.
    """
    try:
        first = next(iter(_lines(path)), "")
    except (InputError, UnicodeDecodeError, OSError):
        return False
    header = next(csv.reader([first.lstrip("\ufeff")]), [])
    try:
        _positions(header, str(path))
    except InputError:
        return False
    return True


def read_employee_detail(paths: Iterable[Path]) -> Any:
    """The checked rows of one or more Employee Detail files, as an Arrow table with ``COLUMNS``.

    The same employee, day, job and pay type in two files is counted once.
    """
    import pyarrow as pa  # type: ignore[import-untyped]

    rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for path in paths:
        file = str(path)
        parsed = []
        found = records(_lines(path), file=file)
        try:
            _, header = next(found)
        except StopIteration:
            raise InputError("the file is empty", file=file) from None
        check_header_width(header, limit=200, file=file, what="an Employee Detail header")
        at = _positions(header, file)
        for line, fields in found:
            if fields == [] or fields == [""]:
                continue
            parsed.append(_row(fields, at, file, line))
        for row in parsed:
            rows[row[:6]] = row
    data: list[Any] = list(zip(*rows.values(), strict=True)) or [[] for _ in COLUMNS]
    schema = pa.schema(
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
    return pa.Table.from_arrays(
        [pa.array(c, t) for c, t in zip(data, schema.types, strict=True)], schema=schema
    )
