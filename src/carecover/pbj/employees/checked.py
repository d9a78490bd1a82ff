"""One Employee Detail file read and checked on any engine, through ``Engine.read_text``.

DuckDB reads a file with its own scan (``scan``); another engine (Spark)
reads it here, so that a national quarter's rows never leave the engine. The
rules are the same (``rules.summary``, ``rules.first_problem``), and so is
the error:

1. In Python, before the rows: the whole file's encoding (``filebytes``:
   UTF-8 or Windows-1252, which the engine is told; anything else is refused
   naming the line of the first bad byte).
2. The engine reads the file's text (``read_text``), numbering rows in file
   order (``record``: growing, not consecutive), keeps the typed rows with
   their test (``rules.tested``, ``Engine.kept``: the measures read them, not
   the text again) and counts the rows that break a rule in one pass.
3. A bad row stops the file: the first in file order, its field and message,
   and its line, found as ``scan.check`` finds it (its number, counted by the
   engine; then the file's lines, counted, or read line by line). A file the
   engine cannot read as CSV is re-read line by line only to name the line.
   Only a bad file pays for these passes.

Where Spark's CSV reader differs from DuckDB's (a record spanning lines read
again as one stream; a line of spaces skipped; spaces around a quoted value
kept): docs/employee-detail.md, "On Spark".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from carecover.engines.seam import Engine
from carecover.errors import InputError
from carecover.pbj.employees.rules import first_problem, read, summary, tested
from carecover.pbj.employees.scan import NOTHING, line_count, name_line
from carecover.pbj.publicfile.checked import text_encoding

__all__ = ["read_checked"]


def read_checked(engine: Engine, path: Path, width: int, at: Mapping[str, int]) -> Any:
    """The typed rows of ``path`` on ``engine`` (``rules.tested``, with ``record``), else an error.

    ``width``: the header's field count; ``at``: each field's position in it.
    Every row is checked. The typed rows are kept by the engine
    (``Engine.kept``): the check reads the file, later queries what was kept.
    """
    file = str(path)
    encoding = text_encoding(path)
    table = engine.read_text(path, at, width=width, encoding=encoding, order="record")
    t, row = read(table)
    try:
        rows = engine.kept(tested(t, row, "record"))
        groups = engine.to_rows(summary(rows))
    except InputError as error:
        name_line(path, file, width, None, encoding=encoding)  # raises naming the line
        raise InputError(error.reason + NOTHING, file=file) from None
    if any(g["bad"] for g in groups):
        (first,) = engine.to_rows(first_problem(t, row))
        before = t.filter(t.record <= first["record"])
        number = int(engine.to_rows(before.aggregate(n=before.count()))[0]["n"])
        records = sum(int(g["records"]) for g in groups)
        # One line per record (and none blank): record n is on line n + 1.
        if line_count(path) == records + 1:
            line: int | None = number + 1
        else:
            line = name_line(path, file, width, number, encoding=encoding)
        raise InputError(first["reason"] + NOTHING, file=file, line=line, field=first["field"])
    return rows
