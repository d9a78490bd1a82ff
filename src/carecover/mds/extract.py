"""The "MDS extract" CSV: one assessment per row, the public input contract.

Columns (every one required in the header, in any order; values may be
empty = missing; dates ``YYYYMMDD`` or ISO ``YYYY-MM-DD``)::

    STATE_CD, FAC_ID, A0100B, RESIDENT_INTERNAL_ID, A0500A, A0500C, A0600A,
    A0800, A0900, A0310A, A0310B, A0310F, A1600, A1700, A2000, A2100, A2300,
    TRGT_DT, PDPM_NURSING_CMG, RUG_IV_GROUP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from carecover.csvrecords import check_header_width, records
from carecover.errors import InputError
from carecover.filekind import require_text

__all__ = ["COLUMNS", "MAX_COLUMNS", "RawRecord", "read_extract", "read_header"]

COLUMNS = (
    "STATE_CD",
    "FAC_ID",
    "A0100B",
    "RESIDENT_INTERNAL_ID",
    "A0500A",
    "A0500C",
    "A0600A",
    "A0800",
    "A0900",
    "A0310A",
    "A0310B",
    "A0310F",
    "A1600",
    "A1700",
    "A2000",
    "A2100",
    "A2300",
    "TRGT_DT",
    "PDPM_NURSING_CMG",
    "RUG_IV_GROUP",
)

RawRecord = dict[str, str]


# The contract has 20 columns; a full MDS item set has about 900. More than
# this is not an MDS extract (and a header of 100,000 names is refused at once).
MAX_COLUMNS = 2_000


def _header(rows: Iterator[tuple[int, list[str]]], path: Path) -> list[str]:
    try:
        _, names = next(rows)
    except StopIteration:
        raise InputError("the file is empty", file=str(path)) from None
    header = [h.strip().upper() for h in names]
    check_header_width(header, limit=MAX_COLUMNS, file=str(path), what="an MDS extract")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}", file=str(path), line=1, field=missing[0]
        )
    return header


def _rows(handle: Iterable[str], path: Path) -> Iterator[tuple[int, list[str]]]:
    return records(handle, file=str(path), one_line=True)


def _open(path: Path) -> TextIO:
    require_text(path, what="an MDS extract CSV file")
    return path.open(encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str]:
    """The header row, upper-cased; ``InputError`` when a contract column is missing."""
    with _open(path) as handle:
        return _header(_rows(_header_line(handle, path), path), path)


def _header_line(handle: TextIO, path: Path) -> list[str]:
    """The first line of ``handle`` only: the header is checked before the rest is read."""
    try:
        return [handle.readline()]
    except UnicodeDecodeError as exc:
        raise InputError(f"the header is not UTF-8 text: {exc.reason}", file=str(path)) from None


def read_extract(path: Path) -> Iterator[tuple[int, RawRecord]]:
    """Yield ``(line, record)`` for each data row; a broken file raises ``InputError``.

    Nothing is yielded past a structure error (an unterminated quote, a row of
    another width than the header, a NUL byte): the caller's transaction then
    stores nothing from the file.
    """
    with _open(path) as handle:
        line = 1
        try:
            rows = _rows(handle, path)
            header = _header(rows, path)
            index = [header.index(c) for c in COLUMNS]
            for line, row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                yield line, {c: row[i].strip() for c, i in zip(COLUMNS, index, strict=True)}
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text ({exc.reason}) after line {line}; save the file as UTF-8",
                file=str(path),
            ) from None
