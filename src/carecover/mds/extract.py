"""The "MDS extract" CSV: one assessment per row, the public input contract.

Columns (every one required in the header, in any order; values may be
empty = missing; dates ``YYYYMMDD`` or ISO ``YYYY-MM-DD``)::

    STATE_CD, FAC_ID, A0100B, RESIDENT_INTERNAL_ID, A0500A, A0500C, A0600A,
    A0800, A0900, A0310A, A0310B, A0310F, A1600, A1700, A2000, A2100, A2300,
    TRGT_DT, PDPM_NURSING_CMG, RUG_IV_GROUP
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from carecover.errors import InputError

__all__ = ["COLUMNS", "RawRecord", "read_extract", "read_header"]

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


def _header(reader: Any, path: Path) -> list[str]:
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        raise InputError("the file is empty", file=str(path)) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=str(path)) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}", file=str(path), line=1, field=missing[0]
        )
    return header


def read_header(path: Path) -> list[str]:
    """The header row, upper-cased; ``InputError`` when a contract column is missing."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _header(csv.reader(handle), path)


def read_extract(path: Path) -> Iterator[tuple[int, RawRecord]]:
    """Yield ``(line, record)`` for each data row; header problems raise ``InputError``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = _header(reader, path)
        index = [header.index(c) for c in COLUMNS]
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                cells = row + [""] * (len(header) - len(row))
                yield (
                    reader.line_num,
                    {c: cells[i].strip() for c, i in zip(COLUMNS, index, strict=True)},
                )
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(
                f"not a readable CSV file: {exc}", file=str(path), line=reader.line_num
            ) from None
