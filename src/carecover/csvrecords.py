"""Reading CSV records with their structure checked: a broken file is refused, not guessed at.

Python's ``csv`` module forgives too much for a loader: an unterminated
quote silently swallows every following line into one field (six valid
MDS records became one quarantined "record"), a NUL byte passes as a
character, and the header can be as wide as the file. ``records`` reads
with ``strict=True`` and checks what ``csv`` does not:

- a quote left open: the record that opened it is named (its first line),
  not the end of the file where ``csv`` notices;
- ``one_line=True`` (files whose values never hold a line break: MDS
  extracts, time clocks): a record that runs over several lines is an
  unterminated or misplaced quote, named at its first line;
- a NUL byte, named with its line;
- a record with more (or, with ``width``, fewer) fields than the header.

``check_header_width`` bounds the header before anything else is read, so a
file with 100,000 columns is refused at once (issue 12 §4).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from carecover.errors import InputError

__all__ = ["check_header_width", "records"]


def check_header_width(names: list[str], *, limit: int, file: str, what: str) -> None:
    """Refuse a header of more than ``limit`` columns (``what`` names the file's kind)."""
    if len(names) > limit:
        raise InputError(
            f"the header has {len(names):,} columns; {what} has at most {limit:,}."
            " Is this the right file (or is its delimiter a comma)?",
            file=file,
            line=1,
        )


def records(
    lines: Iterable[str],
    *,
    file: str,
    width: int | None = None,
    ragged: bool = False,
    one_line: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """``(first line, fields)`` of each record of ``lines`` (opened with ``newline=""``).

    ``width``: the header's field count (the first record is the header
    itself when ``None``: its width is taken from it). ``ragged=True`` lets
    a caller that reports short and long rows itself see them; otherwise a
    record of another width is an ``InputError`` naming its line.
    """
    reader = csv.reader(lines, strict=True)
    end = 0  # the line the previous record ended on
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"not readable CSV: the record starting on this line breaks the structure ({exc});"
                " an unterminated or stray quote? Nothing was loaded from this file",
                file=file,
                line=start,
            ) from None
        end = reader.line_num
        if one_line and end > start and row:
            raise InputError(
                f"a quoted field runs from this line to line {end}; an unterminated quote?"
                " Nothing was loaded from this file",
                file=file,
                line=start,
            )
        if any("\x00" in cell for cell in row):
            raise InputError(
                "a NUL byte, which no CSV file holds (a damaged file?); nothing was loaded"
                " from this file",
                file=file,
                line=start,
            )
        if width is None:
            width = len(row)
        elif not ragged and row and len(row) != width and any(c.strip() for c in row):
            more = "more" if len(row) > width else "fewer"
            raise InputError(
                f"{len(row)} fields, {more} than the header's {width}; nothing was loaded from"
                " this file",
                file=file,
                line=start,
            )
        yield start, row
