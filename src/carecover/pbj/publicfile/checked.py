"""One daily public file read and checked on any engine, through ``Engine.read_text``.

DuckDB reads a file with its own typed scan (``scan``, then the careful
loader for a bad file); another engine (Spark) reads it here, so that a
national quarter's rows never leave the engine. The rules are the same
(``rules``, over the ``Row`` that ``text.read`` types), and so is the error:

1. In Python, before the rows: the file's head (``head``), its encoding
   (``filebytes``: UTF-8 or Windows-1252, which the engine is told) and its
   header (``columns.normalise_header``).
2. The engine reads the file's text, numbering rows in file order
   (``record``: growing, not consecutive), keeps the typed rows with their
   test (``Engine.kept``: the measures read them, not the text again; on
   Spark, a national quarter's ``pbj measures`` took 60 s reading the text
   for each query, 47 s from what was kept), and in one pass counts the rows
   that break a rule (``broken``, and the ``parse`` rules the typed scan
   enforces by failing) and the facility-days given twice by good rows.
3. A bad file is refused as the careful loader refuses it: the first bad
   row in file order, the CMS column of the first rule it breaks and the
   messages of all (as ``marked`` writes them; ``refusal``), else the first facility-day given
   twice (``duplicate_day``). Its line is found as ``employees.checked``
   finds it. Only a bad file pays for these passes.

Where this differs from DuckDB's reading: docs/pbj-measures.md, "On Spark".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carecover.engines.seam import Engine
from carecover.errors import InputError
from carecover.pbj.columns import FileKind, Header, normalise_header
from carecover.pbj.employees.scan import line_count, name_line
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.pbj.publicfile.head import check_public_head
from carecover.pbj.publicfile.rules import (
    Row,
    broken,
    display_name,
    duplicate_day,
    refusal,
    rules,
)
from carecover.pbj.publicfile.scan import decode
from carecover.pbj.publicfile.text import read, text_columns, values

__all__ = ["daily_table", "file_header", "read_checked", "text_encoding"]


def text_encoding(path: Path) -> str:
    """``utf-8`` or ``cp1252``, told from every byte of ``path``, or ``InputError``."""
    found = read_file_bytes(path).encoding
    if found is None:
        decode(path.read_bytes(), file=str(path))  # raises the error naming the line
        raise InputError("neither UTF-8 nor Windows-1252 text", file=str(path))
    return found


def file_header(path: Path) -> tuple[Header, int]:
    """The normalised header of a daily public file and its number of fields.

    CMS's column names are ASCII: the header is read as UTF-8 (a BOM
    skipped) whatever the file's encoding, which the rows' reader is told.
    """
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        names = next(csv.reader(handle), [])
    return normalise_header(names, file=str(path)), len(names)


def _bad(row: Row, kind: FileKind) -> Any:
    """True when a row breaks a rule: the typed ones, and the ``parse`` ones on the text."""
    test = broken(row, kind)
    for rule in rules(kind):
        if rule.parse:
            test = test | rule.breaks(row).fill_null(False)
    return test


def read_checked(engine: Engine, path: Path) -> Any:
    """The typed daily rows of ``path`` on ``engine`` (``text.values``), or ``InputError``.

    Every row is checked by the loader rules, and no facility-day may come
    twice. The typed rows are kept by the engine (``Engine.kept``): the check
    reads the file, later queries read what was kept.
    """
    file = str(path)
    check_public_head(path)
    encoding = text_encoding(path)
    header, width = file_header(path)
    table = engine.read_text(
        path, text_columns(header), width=width, encoding=encoding, order="record"
    )
    t, row = read(table, header)
    try:
        # Read, typed and tested once: the check and every later query read
        # what the engine kept of the typed rows, not the file's text again.
        m = engine.kept(t.select("record", **values(row), _bad=_bad(row, header.kind)))
        days = m.group_by(provnum=m.provnum, day=m.workdate).aggregate(
            rows=m.count(), bad=m.count(where=m._bad), first=m.record.min(where=m._bad)
        )
        summary = days.aggregate(
            records=days.rows.sum(),
            bad=days.bad.sum(),
            first=days.first.min(),
            twice=days.count(where=days.rows - days.bad > 1),
        )
        (counts,) = engine.to_rows(summary)
    except InputError as error:
        name_line(path, file, width, None, encoding=encoding)  # raises naming the line
        raise InputError(error.reason, file=file) from None
    records = int(counts["records"] or 0)
    if counts["bad"]:
        reason, field = _first_reason(engine, t, row, header.kind, counts["first"])
        (line,) = _lines(engine, t, path, width, encoding, records, [counts["first"]])
        raise InputError(
            refusal(reason, field, int(counts["bad"])), file=file, line=line, field=field
        )
    if counts["twice"]:
        # No row is bad: every row is one of the facility-days.
        pairs = m.group_by(provnum=m.provnum, day=m.workdate).aggregate(
            rows=m.count(), first=m.record.min(), records=m.record.collect()
        )
        pairs = pairs.filter(pairs.rows > 1).order_by(pairs.first).limit(1)
        (twice,) = engine.to_rows(pairs)
        numbers = sorted(twice["records"])
        lines = _lines(engine, t, path, width, encoding, records, numbers)
        raise InputError(
            duplicate_day(twice["provnum"], twice["day"], lines, int(counts["twice"])),
            file=file,
            line=lines[1],
            field="WorkDate",
        )
    return m.drop("record", "_bad")


def _first_reason(engine: Engine, t: Any, row: Row, kind: FileKind, record: int) -> tuple[str, str]:
    """``marked``'s reason and field for the row numbered ``record``: every rule it breaks.

    Asked as aggregates over the file, the rules' tests first, then the
    messages of the rules broken: filtered to the row, or with every message
    at once, Spark's generated code outgrows 64 KB (Spark then runs the query
    uncompiled, slowly, after logging an error).
    """
    one = t.record == record
    table = rules(kind)
    tests = {
        f"r{i}": rule.breaks(row).fill_null(False).cast("int8").max(where=one)
        for i, rule in enumerate(table)
    }
    (found,) = engine.to_rows(t.aggregate(**tests))
    broke = [(i, rule) for i, rule in enumerate(table) if found[f"r{i}"]]
    if not broke:  # pragma: no cover - ``broken`` ORs these same predicates
        return "breaks a loader rule", ""
    said = {f"m{i}": rule.message(row).max(where=one) for i, rule in broke}
    (messages,) = engine.to_rows(t.aggregate(**said))
    # As ``marked`` writes it: each broken rule's CMS column and message.
    reason = "; ".join(f"{display_name(rule.column)}: {messages[f'm{i}']}" for i, rule in broke)
    return reason, display_name(broke[0][1].column)


def _lines(
    engine: Engine,
    t: Any,
    path: Path,
    width: int,
    encoding: str,
    records: int,
    numbered: Sequence[int],
) -> list[int]:
    """The first lines of the rows numbered ``numbered`` (their ``record``) in ``t``."""
    places = []
    for record in numbered:
        before = t.filter(t.record <= record)
        places.append(int(engine.to_rows(before.aggregate(n=before.count()))[0]["n"]))
    # One line per record (and none blank): record n is on line n + 1.
    if line_count(path) == records + 1:
        return [n + 1 for n in places]
    found = [name_line(path, str(path), width, n, encoding=encoding) for n in places]
    return [n if n is not None else 0 for n in found]


def daily_table(engine: Engine, paths: Sequence[Path]) -> Any:
    """The checked daily nurse rows of ``paths`` on ``engine``; ``None`` when none is one.

    Non-nurse files are left out, as the DuckDB scan leaves them. A
    facility-day in several files is kept from the last of them, as loading
    the files in order keeps it (each replaces the one before).
    """
    import ibis

    tables = []
    for index, path in enumerate(paths):
        check_public_head(path)
        header, _ = file_header(path)
        if header.kind is FileKind.NURSE:
            tables.append(read_checked(engine, path).mutate(_file=ibis.literal(index)))
    if not tables:
        return None
    if len(tables) == 1:
        return tables[0].drop("_file")
    rows = ibis.union(*tables)
    latest = ibis.row_number().over(
        group_by=[rows.provnum, rows.workdate], order_by=ibis.desc(rows._file)
    )
    rows = rows.mutate(_latest=latest)
    return rows.filter(rows._latest == 0).drop("_file", "_latest")
