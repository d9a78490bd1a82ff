"""Streaming reader for PBJ submission XML.

``iter_raw`` walks a document with lxml's ``iterparse`` and yields raw
records (header, employees, work days, section ends) as the text the file
holds, with source lines. Every element is freed once read, so memory stays
flat however long the file is. With a schema, libxml2 validates while
streaming: a ``<staffHours>`` that arrives with no complaint so far is
schema-valid and comes as one ``RawStaffHours`` (texts pulled by one XPath
call: the fast path); otherwise its days come one ``RawWorkDay`` at a time.
Schema complaints come last, as ``SchemaProblems``. Because libxml2 can
hide a well-formedness error while validating, a stream that ends without
closing the root is re-read without the schema to find the real error.

``read_submission`` (small files) and ``iter_hour_entries`` (any size)
return the typed records of ``submission``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from carecover.errors import InputError
from carecover.pbj.submission.records import (
    Employee,
    Header,
    HourEntry,
    Submission,
    employee_from_raw,
    entries_from_raw,
    header_from_raw,
)
from carecover.pbj.submission.xmlsafe import (
    Limits,
    ReadGuard,
    XmlSource,
    declares_doctype,
    ends_with_closing_tag,
    open_sources,
    parser_options,
)

__all__ = [
    "PROLOG_BYTES",
    "RawEmployee",
    "RawEntry",
    "RawHeader",
    "RawItem",
    "RawStaffHours",
    "RawWorkDay",
    "SchemaProblems",
    "SectionEnd",
    "XmlFormError",
    "iter_hour_entries",
    "iter_raw",
    "read_submission",
]

PROLOG_BYTES = 64 * 1024
_ROOT = "nursingHomeData"
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_TAGS = ("header", "employee", "employees", "staffHours", "staffingHours", _ROOT)

# (hours, jobTitleCode, payTypeCode) as the file spells them.
RawEntry = tuple[str | None, str | None, str | None]
# Every text of a schema-valid <staffHours> (employeeId, then per day date,
# hours, jobTitleCode, payTypeCode...) in document order: one C-level call
# instead of a Python object per element (the fast path of a valid file).
# The parser drops indentation (remove_blank_text), so no predicate is needed:
# a [normalize-space()] test per node cost a sixth of the whole validation.
# Should a blank text remain (xml:space="preserve"), _fast_block declines.
_TEXTS = etree.XPath("descendant::text()", smart_strings=False)


class XmlFormError(InputError):
    """The document is not well-formed XML (or declares a DOCTYPE)."""


@dataclass(frozen=True, slots=True)
class RawHeader:
    """The header's items as text; ``None`` when the element is missing."""

    items: dict[str, str | None]
    file_spec_version: str | None
    line: int


@dataclass(frozen=True, slots=True)
class RawEmployee:
    """One ``<employee>`` as text; ``present`` names the child elements found."""

    employee_id: str | None
    hire_date: str | None
    termination_date: str | None
    present: frozenset[str]
    line: int


@dataclass(frozen=True, slots=True)
class RawWorkDay:
    """One ``<workDay>`` with the ``employeeId`` of the ``<staffHours>`` around it.

    Source lines are looked up only when asked (``line_of``), and only while
    the record is being handled: the elements are freed afterwards.
    """

    employee_id: str | None
    date: str | None
    entries: list[RawEntry]
    line: int | None = None
    entry_lines: list[int] | None = None
    origin: Any = None  # fast path: the <staffHours> element the day came from
    index: int = 0

    def line_of(self, entry: int | None = None) -> int | None:
        """The line of the work day, or of its ``entry``-th hour entry."""
        if self.origin is not None:
            return _locate(self.origin, self.index, entry)
        if entry is None or self.entry_lines is None:
            return self.line
        return self.entry_lines[entry]


@dataclass(frozen=True, slots=True)
class RawStaffHours:
    """A whole schema-valid ``<staffHours>`` as one flat list of texts (the fast path).

    ``values`` is ``[employeeId, date, hours, jobTitleCode, payTypeCode, hours,
    ..., date, ...]``; work day ``k`` is ``values[starts[k]:ends[k]]``, its
    date first and then its hour entries three values each.
    """

    employee_id: str
    values: list[str]
    starts: list[int]
    ends: list[int]
    origin: Any

    def day(self, k: int) -> RawWorkDay:
        """Work day ``k`` as a ``RawWorkDay``."""
        flat = iter(self.values[self.starts[k] + 1 : self.ends[k]])
        entries: list[RawEntry] = list(zip(flat, flat, flat, strict=True))
        return RawWorkDay(
            self.employee_id, self.values[self.starts[k]], entries, origin=self.origin, index=k
        )

    def days(self) -> Iterator[RawWorkDay]:
        """Every work day of the block."""
        for k in range(len(self.starts)):
            yield self.day(k)


@dataclass(frozen=True, slots=True)
class SectionEnd:
    """The end of ``<employees>`` or ``<staffingHours>``: its attributes and child count."""

    tag: str
    attributes: dict[str, str]
    children: int
    line: int


@dataclass(frozen=True, slots=True)
class SchemaProblems:
    """What the XSD found wrong, reported after the whole document streamed by."""

    messages: tuple[str, ...]


RawItem = RawHeader | RawEmployee | RawWorkDay | RawStaffHours | SectionEnd | SchemaProblems


def iter_raw(
    source: XmlSource,
    *,
    schema: etree.XMLSchema | None = None,
    max_element_bytes: int = Limits.max_element_bytes,
) -> Iterator[RawItem]:
    """Yield the raw records of ``source`` in document order; ``XmlFormError`` if malformed."""
    with contextlib.closing(source.open()) as stream:
        head = stream.read(PROLOG_BYTES)
    if declares_doctype(head):
        raise XmlFormError(
            "the document declares a DOCTYPE or entities; PBJ files have none and they are"
            " refused for safety",
            file=source.name,
            line=1,
        )
    closed = [False]
    with contextlib.closing(source.open()) as stream:
        guard = ReadGuard(stream, max_element_bytes, source.name)
        events: Any = etree.iterparse(
            guard, events=("end",), tag=_TAGS, schema=schema, **parser_options()
        )
        try:
            yield from _walk(events, source.name, schema is not None, closed, guard)
        except etree.XMLSyntaxError as exc:
            # The parser's own log: lxml's exception log is global to the thread.
            problems = _schema_messages(events.error_log)
            if problems is None or not closed[0]:
                # While validating, libxml2 can mask a well-formedness error
                # ("no element found"); find the real one without the schema.
                _raise_form_error(source, exc if schema is None else None)
            if problems is not None:
                yield SchemaProblems(problems)
                return
            raise XmlFormError(
                _clean(str(exc)), file=source.name, line=exc.lineno or None
            ) from None
    if closed[0] and schema is not None and not ends_with_closing_tag(guard.tail, _ROOT):
        # libxml2 2.14 with an XSD can "close" the root of a truncated document
        # without an error; re-read without the schema to find the real one.
        _raise_form_error(source, None)
    if not closed[0]:
        # With a schema, a truncated or malformed document can end the event
        # stream early without any error: never take silence for success.
        _raise_form_error(source, None)
        raise XmlFormError(f"the document has no closed <{_ROOT}> element", file=source.name)


def _raise_form_error(source: XmlSource, exc: etree.XMLSyntaxError | None) -> None:
    """Raise ``XmlFormError`` for the document's first well-formedness error, if it has one."""
    if exc is None:
        with contextlib.closing(source.open()) as stream:
            try:
                for _ in etree.iterparse(stream, events=("end",), tag=_ROOT, **parser_options()):
                    pass
            except etree.XMLSyntaxError as found:
                exc = found
    if exc is not None:
        raise XmlFormError(_clean(str(exc)), file=source.name, line=exc.lineno or None) from None


def _walk(
    events: Any, name: str, validating: bool, closed: list[bool], guard: ReadGuard
) -> Iterator[RawItem]:
    checked_dtd = False
    # Children are released as they stream by, so the sections are counted here.
    counts = {"employees": 0, "staffingHours": 0}
    for _, el in events:
        guard.mark = guard.total
        if not checked_dtd:
            checked_dtd = True
            # Backstop for a DOCTYPE the prolog scan could not see (e.g. UTF-16).
            if el.getroottree().docinfo.internalDTD is not None:
                raise XmlFormError("the document declares a DOCTYPE", file=name, line=1)
        tag = el.tag
        if tag == "staffHours":
            counts["staffingHours"] += 1
            # No schema complaint so far means this subtree is schema-valid
            # (libxml2 validates ahead of the events we are handed).
            block = _fast_block(el) if validating and len(events.error_log) == 0 else None
            if block is None:
                yield from _slow_days(el)
            else:
                yield block
            _release(el)
        elif tag == "employee":
            counts["employees"] += 1
            yield _employee(el)
            _release(el)
        elif tag == _ROOT:
            closed[0] = el.getparent() is None
        elif tag == "header":
            yield RawHeader(
                {child.tag: child.text for child in el},
                el.get("fileSpecVersion"),
                el.sourceline or 0,
            )
        else:  # employees, staffingHours
            yield SectionEnd(tag, dict(el.attrib), counts.get(tag, 0), el.sourceline or 0)


def _fast_block(staff: Any) -> RawStaffHours | None:
    values: Any = _TEXTS(staff)
    if not all(map(str.strip, values)):
        return None  # a blank text: the element-by-element path reads it
    n = len(values)
    starts: list[int] = []
    i = 1
    # [employeeId, date, (hours, job, pay)+, date, ...]: hop over entries three
    # values at a time; dates are the only values with a "-" after their first
    # character (hours and codes are unsigned in a schema-valid block).
    while i < n:
        v = values[i]
        if "-" not in v or v.strip().find("-", 1) <= 0:
            return None
        starts.append(i)
        i += 4
        while i < n and ("-" not in values[i] or values[i].strip().find("-", 1) <= 0):
            i += 3
    if not starts or i != n:
        return None
    ends = [*starts[1:], n]
    return RawStaffHours(values[0], values, starts, ends, staff)


def _slow_days(staff: Any) -> Iterator[RawWorkDay]:
    employee = _first_text(staff, "employeeId")
    for days in staff:
        if days.tag == "workDays":
            for day in days:
                if day.tag == "workDay":
                    yield _slow_day(day, employee)


def _slow_day(el: Any, employee_id: str | None) -> RawWorkDay:
    day: str | None = None
    entries: list[RawEntry] = []
    lines: list[int] = []
    for child in el:
        tag = child.tag
        if tag == "hourEntries":
            for he in child:
                entries.append(
                    (
                        _first_text(he, "hours"),
                        _first_text(he, "jobTitleCode"),
                        _first_text(he, "payTypeCode"),
                    )
                )
                lines.append(he.sourceline)
        elif tag == "date":
            day = child.text
    return RawWorkDay(employee_id, day, entries, el.sourceline, lines)


def _locate(staff: Any, index: int, entry: int | None) -> int | None:
    days = [d for ds in staff if ds.tag == "workDays" for d in ds if d.tag == "workDay"]
    if index >= len(days):
        return None
    day = days[index]
    if entry is None:
        return int(day.sourceline)
    hour_entries = list(day.iter("hourEntry"))
    return int(hour_entries[entry].sourceline) if entry < len(hour_entries) else None


def _employee(el: Any) -> RawEmployee:
    # hireDate/terminationDate are nillable in the XSD: xsi:nil="true" means no date.
    items = {child.tag: child.text for child in el if child.get(_XSI_NIL) not in ("true", "1")}
    return RawEmployee(
        items.get("employeeId"),
        items.get("hireDate"),
        items.get("terminationDate"),
        frozenset(items),
        el.sourceline,
    )


def _first_text(el: Any, tag: str) -> str | None:
    child = el.find(tag)
    return None if child is None else child.text


def _release(el: Any) -> None:
    """Free a streamed element and everything before it (flat memory on huge files)."""
    parent = el.getparent()
    el.clear()
    while el.getprevious() is not None:
        del parent[0]


def _schema_messages(log: Any) -> tuple[str, ...] | None:
    entries = list(log)
    if not entries or any(e.domain_name != "SCHEMASV" for e in entries):
        return None
    return tuple(e.message for e in entries)


def _clean(message: str) -> str:
    # lxml appends "(<string>, line N)"; the InputError already names the place.
    text = message.split(" (<string>")[0].split(", line ")[0].rstrip(".")
    if "encoding" in text.lower() or "UTF-8" in text:
        text += " (the bytes do not match the declared encoding; write the file as ASCII or UTF-8)"
    return text + "."


def read_submission(path: Path, *, limits: Limits | None = None) -> Submission:
    """Read a whole (small) submission into typed records; ``InputError`` on bad values."""
    source = _single_source(path, limits)
    header: Header | None = None
    employees: list[Employee] = []
    entries: list[HourEntry] = []
    process_type: str | None = None
    for item in iter_raw(source):
        if isinstance(item, RawHeader):
            header = header_from_raw(item, source.name)
        elif isinstance(item, RawEmployee):
            employees.append(employee_from_raw(item, source.name))
        elif isinstance(item, RawWorkDay):
            entries.extend(entries_from_raw(item, source.name))
        elif isinstance(item, RawStaffHours):
            for day in item.days():
                entries.extend(entries_from_raw(day, source.name))
        elif isinstance(item, SectionEnd) and item.tag == "staffingHours":
            process_type = item.attributes.get("processType")
    if header is None:
        raise InputError("the file has no <header>", file=source.name)
    return Submission(header, tuple(employees), process_type, tuple(entries))


def iter_hour_entries(path: Path, *, limits: Limits | None = None) -> Iterator[HourEntry]:
    """Stream every hour entry of a submission of any size; ``InputError`` on bad values."""
    source = _single_source(path, limits)
    for item in iter_raw(source):
        if isinstance(item, RawWorkDay):
            yield from entries_from_raw(item, source.name)
        elif isinstance(item, RawStaffHours):
            for day in item.days():
                yield from entries_from_raw(day, source.name)


def _single_source(path: Path, limits: Limits | None) -> XmlSource:
    sources = open_sources(path, limits)
    if len(sources) != 1:
        raise InputError(f"the ZIP holds {len(sources)} XML files; name one", file=str(path))
    return sources[0]
