"""Visit files: the generic layout and EVV vendors' layouts, as mapping files.

A mapping file (CSV, columns ``section,name,value,verified,source``) says how
one EVV system's visit export reads as the generic layout
(docs/backup-visits.md):

* ``column`` rows: generic field ``name`` is read from the file's column ``value``;
* ``format`` rows: ``date``, ``time`` or ``datetime`` patterns (``strftime``
  codes), tried in file order; a time column may hold a clock time (on the
  visit date) or a full date and time;
* ``cause`` and ``backup`` rows: the vendor's exception or reason code
  ``name`` means our cause or backup code ``value`` (case-insensitive);
* ``layout`` rows: ``title`` and notes.

``verified`` says whether each row was established from public
documentation; anything else is UNCONFIRMED and shown as such by
``carecover backup from-visits --mapping NAME --show-mapping``. Shipped
mappings live in ``carecover/data/backup/visits/``; a user passes their own
file the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

from carecover.backup.classify import Backup, Cause, parse_backup, parse_cause
from carecover.backup.visits import Visit
from carecover.errors import ConfigError, InputError, NotFoundError

__all__ = [
    "FIELDS",
    "REQUIRED_FIELDS",
    "MappingRow",
    "VisitMapping",
    "load_mapping",
    "mapping_names",
    "read_visits",
]

#: The generic layout's columns, in order (the public contract, issue 17).
FIELDS: tuple[str, ...] = (
    "provider_id",
    "member_medicaid_id",
    "member_last_name",
    "member_first_name",
    "member_date_of_birth",
    "service_code",
    "visit_date",
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "worker_id",
    "cause",
    "backup",
)
#: Fields every layout must map: without them no hour can be placed.
REQUIRED_FIELDS: tuple[str, ...] = (
    "provider_id",
    "member_medicaid_id",
    "service_code",
    "visit_date",
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
)
_SECTIONS = ("layout", "column", "format", "cause", "backup")
#: More columns than any visit export has: a header past this is not a visit
#: file, and reading it would only waste time (fail fast on wide files).
MAX_COLUMNS = 500
#: Sandata's own limit on one visit's length (Visit Maintenance), with room.
MAX_VISIT_HOURS = 25


@dataclass(frozen=True)
class MappingRow:
    """One row of a mapping file, with where it came from."""

    section: str
    name: str
    value: str
    verified: bool
    source: str


@dataclass(frozen=True)
class VisitMapping:
    """How one visit layout reads as the generic layout."""

    name: str
    title: str
    columns: Mapping[str, str]
    date_formats: tuple[str, ...]
    time_formats: tuple[str, ...]
    datetime_formats: tuple[str, ...]
    causes: Mapping[str, Cause]
    backups: Mapping[str, Backup]
    rows: tuple[MappingRow, ...]

    @property
    def unconfirmed(self) -> list[MappingRow]:
        """Rows not established from public documentation."""
        return [r for r in self.rows if not r.verified]


def _mapping_dir() -> resources.abc.Traversable:
    return resources.files("carecover").joinpath("data", "backup", "visits")


def mapping_names() -> list[str]:
    """The names of the shipped mappings (``generic`` first)."""
    names = sorted(
        p.name.removesuffix(".csv") for p in _mapping_dir().iterdir() if p.name.endswith(".csv")
    )
    return sorted(names, key=lambda n: (n != "generic", n))


def load_mapping(spec: str = "generic") -> VisitMapping:
    """A shipped mapping by name (``generic``, ``hhaexchange``) or a mapping file's path."""
    shipped = _mapping_dir().joinpath(f"{spec.lower()}.csv")
    if "/" not in spec and "\\" not in spec and not spec.endswith(".csv"):
        if not shipped.is_file():
            raise NotFoundError(
                f"no visit mapping named {spec!r}; shipped: {', '.join(mapping_names())},"
                " or give the path of your own mapping CSV"
            )
        return _parse_mapping(spec.lower(), shipped.read_text("utf-8"), f"{spec}.csv")
    path = Path(spec)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such mapping file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the mapping file ({exc})", file=str(path)) from None
    return _parse_mapping(path.stem, text, str(path))


def _parse_mapping(name: str, text: str, where: str) -> VisitMapping:
    reader = csv.DictReader(io.StringIO(text))
    wanted = ["section", "name", "value", "verified", "source"]
    missing = [c for c in wanted if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{where}:1: missing column(s) {', '.join(missing)}")
    rows: list[MappingRow] = []
    columns: dict[str, str] = {}
    formats: dict[str, list[str]] = {"date": [], "time": [], "datetime": []}
    causes: dict[str, Cause] = {}
    backups: dict[str, Backup] = {}
    title = name
    for record in reader:
        line = reader.line_num
        section = (record["section"] or "").strip()
        key = (record["name"] or "").strip()
        value = (record["value"] or "").strip()
        if section not in _SECTIONS:
            raise ConfigError(
                f"{where}:{line}: section: {section!r} is not one of {', '.join(_SECTIONS)}"
            )
        try:
            if section == "column":
                if key not in FIELDS:
                    raise ConfigError(f"unknown field {key!r}; fields: {', '.join(FIELDS)}")
                columns[key] = value
            elif section == "format":
                if key not in formats:
                    raise ConfigError(f"format {key!r} is not date, time or datetime")
                formats[key].append(value)
            elif section == "cause":
                causes[key.lower()] = parse_cause(value)
            elif section == "backup":
                backups[key.lower()] = parse_backup(value)
            elif key == "title":
                title = value
        except (ConfigError, InputError) as exc:
            raise ConfigError(f"{where}:{line}: {section}: {exc}") from None
        verified = (record["verified"] or "").strip().lower() in {"yes", "true", "1"}
        rows.append(MappingRow(section, key, value, verified, (record["source"] or "").strip()))
    absent = [f for f in REQUIRED_FIELDS if not columns.get(f)]
    if absent:
        raise ConfigError(f"{where}: no column row for field(s) {', '.join(absent)}")
    return VisitMapping(
        name=name,
        title=title,
        columns=columns,
        date_formats=tuple(formats["date"] or ["%Y-%m-%d"]),
        time_formats=tuple(formats["time"] or ["%H:%M", "%H:%M:%S"]),
        datetime_formats=tuple(formats["datetime"]),
        causes=causes,
        backups=backups,
        rows=tuple(rows),
    )


class _Row:
    """One record of a visit file, read through a mapping."""

    def __init__(self, record: dict[str, str], mapping: VisitMapping, file: str, line: int):
        self.record = record
        self.mapping = mapping
        self.file = file
        self.line = line

    def error(self, field: str, message: str) -> InputError:
        column = self.mapping.columns.get(field, field)
        label = field if column == field else f"{column} ({field})"
        return InputError(message, file=self.file, line=self.line, field=label)

    def text(self, field: str, *, required: bool = False, limit: int = 100) -> str:
        column = self.mapping.columns.get(field)
        value = (self.record.get(column) or "").strip() if column else ""
        if required and not value:
            raise self.error(field, "is empty")
        if len(value) > limit:
            raise self.error(field, f"is longer than {limit} characters")
        return value

    def day(self, field: str, *, required: bool) -> date | None:
        value = self.text(field, required=required)
        if not value:
            return None
        for fmt in (*self.mapping.date_formats, *self.mapping.datetime_formats):
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        raise self.error(field, f"{value!r} is not a date ({', '.join(self.mapping.date_formats)})")

    def moment(self, field: str, on: date, *, required: bool) -> tuple[datetime, bool] | None:
        """``(moment, is_clock_time)``: a clock time placed on ``on``, or a date and time."""
        value = self.text(field, required=required)
        if not value:
            return None
        for fmt in self.mapping.datetime_formats:
            try:
                return datetime.strptime(value, fmt), False
            except ValueError:
                continue
        for fmt in self.mapping.time_formats:
            try:
                return datetime.combine(on, datetime.strptime(value, fmt).time()), True
            except ValueError:
                continue
        wanted = ", ".join((*self.mapping.time_formats, *self.mapping.datetime_formats))
        raise self.error(field, f"{value!r} is not a time ({wanted})")


def _cause(row: _Row) -> Cause | None:
    value = row.text("cause")
    if not value:
        return None
    found = row.mapping.causes.get(value.lower())
    if found is not None:
        return found
    try:
        return parse_cause(value)
    except InputError:
        raise row.error(
            "cause",
            f"unknown code {value!r}: use a cause code ({', '.join(c.value for c in Cause)})"
            " or add a 'cause' row for it to the mapping file",
        ) from None


def _backup(row: _Row) -> Backup | None:
    value = row.text("backup")
    if not value:
        return None
    found = row.mapping.backups.get(value.lower())
    if found is not None:
        return found
    try:
        return parse_backup(value)
    except InputError:
        if row.mapping.columns.get("backup") == row.mapping.columns.get("cause"):
            return None  # one reason column for both: this code says nothing of backup
        raise row.error(
            "backup",
            f"unknown code {value!r}: use {', '.join(b.value for b in Backup)}"
            " or add a 'backup' row for it to the mapping file",
        ) from None


def _window(row: _Row, on: date) -> tuple[datetime, datetime]:
    first = row.moment("scheduled_start", on, required=True)
    last = row.moment("scheduled_end", on, required=True)
    assert first is not None
    assert last is not None
    (start, _), (end, clock) = first, last
    if end <= start and clock:
        end += timedelta(days=1)  # a clock time at or before the start is past midnight
    if end <= start:
        raise row.error("scheduled_end", "is not after the scheduled start")
    if end - start > timedelta(hours=MAX_VISIT_HOURS):
        raise row.error(
            "scheduled_end", f"the visit is scheduled for more than {MAX_VISIT_HOURS} h"
        )
    return start, end


def _actual(row: _Row, on: date, scheduled_start: datetime) -> tuple[datetime, datetime] | None:
    first = row.moment("actual_start", on, required=False)
    last = row.moment("actual_end", on, required=False)
    if first is None and last is None:
        return None
    if first is None or last is None:
        missing = "actual_start" if first is None else "actual_end"
        raise row.error(
            missing,
            "is empty while the other actual time is set: fix the missing clock-in or"
            " clock-out in EVV (visit maintenance) first",
        )
    (start, start_clock), (end, end_clock) = first, last
    if start_clock:
        # A clock time: on the day that puts it nearest the schedule (an overnight
        # visit clocked in after midnight belongs to the next calendar day).
        start = min(
            (start + timedelta(days=d) for d in (-1, 0, 1)),
            key=lambda s: abs(s - scheduled_start),
        )
    if end_clock:
        end = datetime.combine(start.date(), end.time())
        if end <= start:
            end += timedelta(days=1)
    if end <= start:
        raise row.error("actual_end", "is not after the actual start")
    if end - start > timedelta(hours=MAX_VISIT_HOURS):
        raise row.error("actual_end", f"the visit lasted more than {MAX_VISIT_HOURS} h")
    return start, end


def _visit(row: _Row) -> Visit:
    on = row.day("visit_date", required=True)
    assert on is not None
    start, end = _window(row, on)
    actual = _actual(row, on, start)
    return Visit(
        provider_id=row.text("provider_id", required=True, limit=40),
        member_medicaid_id=row.text("member_medicaid_id", required=True, limit=20),
        member_last_name=row.text("member_last_name"),
        member_first_name=row.text("member_first_name"),
        member_date_of_birth=row.day("member_date_of_birth", required=False),
        service_code=row.text("service_code", required=True, limit=20).upper(),
        visit_date=on,
        scheduled_start=start,
        scheduled_end=end,
        actual_start=actual[0] if actual else None,
        actual_end=actual[1] if actual else None,
        worker_id=row.text("worker_id", limit=40),
        cause=_cause(row),
        backup=_backup(row),
        line=row.line,
    )


def _records(path: Path, mapping: VisitMapping) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a visit file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError("holds a NUL byte: not a text CSV file", file=str(path), line=line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("is not UTF-8 text", file=str(path), line=line) from None
    first_line = text.split("\n", 1)[0]
    if first_line.count(",") >= MAX_COLUMNS:
        raise InputError(
            f"the header has more than {MAX_COLUMNS} columns: not a visit file",
            file=str(path),
            line=1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise InputError("is empty: no header row", file=str(path), line=1)
        header = [h.strip() for h in header]
        absent = [
            f"{mapping.columns[f]} ({f})" if mapping.columns[f] != f else f
            for f in FIELDS
            if mapping.columns.get(f) and mapping.columns[f] not in header
        ]
        if absent:
            raise InputError(
                f"missing column(s) {', '.join(absent)} of the {mapping.title} layout",
                file=str(path),
                line=1,
            )
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InputError(
                    f"has {len(values)} fields where the header has {len(header)}",
                    file=str(path),
                    line=line,
                )
            yield line, dict(zip(header, values, strict=True))
    except csv.Error as exc:
        raise InputError(f"broken CSV ({exc})", file=str(path), line=reader.line_num) from None


def read_visits(path: str | Path, mapping: VisitMapping | None = None) -> list[Visit]:
    """Every visit of a visit file read through ``mapping`` (the generic layout by default).

    Raises ``InputError`` naming the file, line and column of the first bad
    record; nothing is returned from a file with a bad record.
    """
    mapping = mapping or load_mapping("generic")
    path = Path(path)
    return [_visit(_Row(rec, mapping, str(path), line)) for line, rec in _records(path, mapping)]
