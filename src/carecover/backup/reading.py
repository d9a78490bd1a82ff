"""Reading backup staffing reports from files: CSV and JSON Lines.

The format follows the extension (``.csv``, ``.jsonl``/``.ndjson``); the
columns are ``COLUMNS`` (docs/backup-reports.md). ``check_reports`` collects
every problem with its line; ``load_reports`` raises for the first bad record.
Problems name the file's column (``member_dob``), not the record attribute
(``member.date_of_birth``): that is what the person fixing the file sees.
A clear ``member_ssn`` is kept only as a hash keyed with
``CARECOVER_SECRET_KEY`` (when set) and its last four digits.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from carecover.backup.catalogue import normalise_code
from carecover.backup.duplicates import find_duplicates, find_long_days, reused_ids
from carecover.backup.identity import SECRET_KEY_VARIABLE, member_from_ssn, secret_key_from_env
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    ReporterKind,
    ReportStatus,
)
from carecover.backup.validation import FIELD_HELP
from carecover.backup.validation import problems as report_problems
from carecover.csvrecords import check_header_width, records
from carecover.errors import FieldProblem, InputError, ValidationError
from carecover.filekind import Kind, require_text, sniff

__all__ = [
    "COLUMNS",
    "COLUMN_HELP",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ReadResult",
    "check_reports",
    "load_reports",
]

#: Every column a report file may have, in the recommended order.
# fmt: off
COLUMNS: tuple[str, ...] = (
    "report_id", "reporter_kind", "provider_id", "provider_name", "site_id",
    "contact_name", "contact_phone", "contact_email",
    "member_first_name", "member_last_name", "member_dob", "member_medicaid_id",
    "member_ssn", "member_ssn_last4",
    "incident_date", "service_code", "scheduled_start", "scheduled_end", "hours_without_staff",
    "backup_status", "reason", "reason_other", "declined_by", "declined_reason",
    "status", "submitted_at", "version", "mco_comment", "learned_on", "first_submitted_at",
)
#: Columns a file may leave out (or leave empty).
OPTIONAL_COLUMNS = frozenset({
    "site_id", "member_ssn", "member_ssn_last4", "reason", "reason_other", "declined_by",
    "declined_reason", "status", "submitted_at", "version", "mco_comment", "learned_on",
    "first_submitted_at",
})
# fmt: on
#: Columns every file must have (the others may be left out).
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)

#: Record attribute (as ``validation`` names it) -> file column.
_COLUMN_OF: Mapping[str, str] = {
    "contact.name": "contact_name",
    "contact.phone": "contact_phone",
    "contact.email": "contact_email",
    "member.first_name": "member_first_name",
    "member.last_name": "member_last_name",
    "member.date_of_birth": "member_dob",
    "member.medicaid_id": "member_medicaid_id",
    "member.ssn_last4": "member_ssn_last4",
}
#: The help text of each column, for the docs and the CLI (see ``validation.FIELD_HELP``).
COLUMN_HELP: Mapping[str, str] = MappingProxyType(
    {c: FIELD_HELP[next((a for a, col in _COLUMN_OF.items() if col == c), c)] for c in COLUMNS}
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_JSON_SUFFIXES = frozenset({".jsonl", ".ndjson"})

Row = dict[str, str]
_KeySource = Callable[[], bytes | None]
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass
class ReadResult:
    """What ``check_reports`` found: the valid reports and every problem, by line."""

    file: str
    records: int = 0
    reports: list[tuple[int, BackupReport]] = field(default_factory=list)
    problems: list[tuple[int, FieldProblem]] = field(default_factory=list)

    @property
    def valid(self) -> int:
        """How many records broke no rule."""
        return len(self.reports)

    @property
    def invalid(self) -> int:
        """How many records broke at least one rule."""
        return self.records - self.valid

    @property
    def ok(self) -> bool:
        """True when the file and every record in it are valid."""
        return not self.problems


def _text(path: Path) -> str:
    """The file's text (UTF-8, a BOM tolerated) or InputError naming the file."""
    name = str(path)
    if not path.exists():
        raise InputError("no such file", file=name)
    if not path.is_file():
        raise InputError("is not a file", file=name)
    # UTF-16, binary, a ZIP or an XML file: say what it is, not which byte failed.
    found = sniff(path)
    if found.kind is not Kind.EMPTY:
        require_text(path, what="a report file (CSV or JSON Lines, UTF-8)")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            file=name,
            line=line,
        ) from exc
    if not text.strip():
        raise InputError("is empty", file=name)
    return text


# Twice the known columns: room for a few unknown ones to be reported, and a
# file of 100,000 columns is refused before any of it is read (issue 12 §4).
MAX_CSV_COLUMNS = 2 * len(COLUMNS)


def _csv_rows(text: str, result: ReadResult) -> Iterator[tuple[int, Row]]:
    # A broken structure (an unterminated quote, a NUL byte) is an InputError
    # naming the line it starts on; rows of another width are problems below.
    rows = records(io.StringIO(text, newline=""), file=result.file, ragged=True)
    _, names = next(rows)
    header = [h.strip() for h in names]
    check_header_width(header, limit=MAX_CSV_COLUMNS, file=result.file, what="a report file")
    if not _header_ok(header, 1, result):
        return
    for line, values in rows:
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            result.records += 1  # counted here: it never reaches check_reports
            problem = f"has {len(values)} values but the header has {len(header)}"
            result.problems.append((line, FieldProblem("columns", problem)))
            continue
        yield line, dict(zip(header, values, strict=True))


def _header_ok(names: list[str], line: int, result: ReadResult) -> bool:
    """Record unknown and missing columns; False if a record cannot be read."""
    found = [
        FieldProblem(n or "(blank)", "is not a known column") for n in names if n not in COLUMNS
    ]
    found += [FieldProblem(n, "column is missing") for n in REQUIRED_COLUMNS if n not in names]
    twice = sorted(n for n, count in Counter(names).items() if count > 1)
    found += [FieldProblem(n, "column appears twice") for n in twice]
    result.problems.extend((line, p) for p in found)
    return not found


def _jsonl_rows(text: str, result: ReadResult) -> Iterator[tuple[int, Row]]:
    # Only "\n" ends a line: JSON strings may hold U+2028, which splitlines() splits on.
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            result.records += 1
            result.problems.append((line, FieldProblem("record", f"is not JSON: {exc.msg}")))
            continue
        if not isinstance(obj, dict):
            result.records += 1
            result.problems.append((line, FieldProblem("record", "is not a JSON object")))
            continue
        if not _header_ok(list(obj), line, result):
            result.records += 1
            continue
        yield line, {k: "" if v is None else str(v) for k, v in obj.items()}


class _Fields:
    """Parses one row's values, collecting a problem for each value it cannot read."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[FieldProblem] = []

    def text(self, name: str) -> str:
        return self.row.get(name, "").strip()

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def _parse(self, name: str, parse: Callable[[str], T], expected: str) -> T | None:
        value = self.text(name)
        if not value:
            if name not in OPTIONAL_COLUMNS:
                self.problems.append(FieldProblem(name, "is required"))
            return None
        try:
            return parse(value)
        except ValueError:
            self.problems.append(FieldProblem(name, f"{value!r} is not {expected}"))
            return None

    def choice(self, name: str, kind: type[E]) -> E | None:
        names = " or ".join(m.value for m in kind)
        return self._parse(name, lambda v: kind(v.lower()), names)

    def day(self, name: str) -> date | None:
        return self._parse(name, _strict(_DATE, date.fromisoformat), "a date like 2026-03-14")

    def clock(self, name: str) -> time | None:
        return self._parse(name, _strict(_CLOCK, _hh_mm), "a time like 08:30 (24-hour)")

    def hours(self, name: str) -> float | None:
        return self._parse(name, _strict(_NUMBER, float), "a number of hours like 2.5")

    def moment(self, name: str) -> datetime | None:
        return self._parse(name, datetime.fromisoformat, "a date and time like 2026-03-14T09:00")

    def whole(self, name: str) -> int | None:
        return self._parse(name, int, "a whole number")


def _strict(pattern: re.Pattern[str], parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse``, but only for text matching ``pattern`` (no '20260314', 'nan', '1e3')."""

    def run(value: str) -> T:
        if not pattern.fullmatch(value):
            raise ValueError(value)
        return parse(value)

    return run


def _hh_mm(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def _key_source(key: bytes | None) -> _KeySource:
    """The SSN-hash key, read from the environment only once an SSN needs it."""

    @cache
    def get() -> bytes | None:
        if key is None and os.environ.get(SECRET_KEY_VARIABLE):
            return secret_key_from_env()  # set but too short: ConfigError
        return key

    return get


def _report(row: Row, key: _KeySource) -> tuple[BackupReport | None, list[FieldProblem]]:
    """The report in ``row``, or None and the problems that stop it being built."""
    f = _Fields(row)
    kind = f.choice("reporter_kind", ReporterKind)
    dob = f.day("member_dob")
    incident = f.day("incident_date")
    start, end = f.clock("scheduled_start"), f.clock("scheduled_end")
    hours = f.hours("hours_without_staff")
    backup = f.choice("backup_status", BackupStatus)
    declined_by = f.choice("declined_by", DeclinedBy)
    status = f.choice("status", ReportStatus)
    submitted_at = f.moment("submitted_at")
    first_submitted_at = f.moment("first_submitted_at")
    learned_on = f.day("learned_on")
    version = f.whole("version")
    ssn, last4 = f.optional("member_ssn"), f.optional("member_ssn_last4")
    member = None
    if dob is not None:
        try:
            member = member_from_ssn(
                first_name=f.text("member_first_name"),
                last_name=f.text("member_last_name"),
                date_of_birth=dob,
                medicaid_id=f.text("member_medicaid_id").upper(),
                ssn=ssn,
                key=key() if ssn else None,
            )
        except InputError as exc:
            f.problems.append(FieldProblem("member_ssn", exc.reason))
    if member is not None and last4 is not None:
        if member.ssn_last4 is not None and member.ssn_last4 != last4:
            f.problems.append(FieldProblem("member_ssn_last4", "does not match member_ssn"))
        member = replace(member, ssn_last4=last4)
    # A required value that could not be read left a problem behind.
    if f.problems or not (kind and member and incident and start and end and backup):
        return None, f.problems
    assert hours is not None
    report = BackupReport(
        report_id=f.text("report_id"),
        reporter_kind=kind,
        provider_id=f.text("provider_id"),
        provider_name=f.text("provider_name"),
        contact=Contact(f.text("contact_name"), f.text("contact_phone"), f.text("contact_email")),
        member=member,
        incident_date=incident,
        service_code=normalise_code(f.text("service_code")),
        scheduled_start=start,
        scheduled_end=end,
        hours_without_staff=hours,
        backup_status=backup,
        reason=(f.optional("reason") or "").lower() or None,
        reason_other=f.optional("reason_other"),
        declined_by=declined_by,
        declined_reason=f.optional("declined_reason"),
        status=ReportStatus.DRAFT if status is None else status,
        submitted_at=submitted_at,
        version=1 if version is None else version,
        site_id=f.optional("site_id"),
        mco_comment=f.optional("mco_comment"),
        learned_on=learned_on,
        # A file without the column: the submission it records was the first.
        first_submitted_at=first_submitted_at or submitted_at,
    )
    return report, []


def _rows(path: Path, text: str, result: ReadResult) -> Iterator[tuple[int, Row]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(text, result)
    if suffix in _JSON_SUFFIXES:
        return _jsonl_rows(text, result)
    raise InputError("use a .csv, .jsonl or .ndjson file", file=str(path))


def check_reports(path: Path, *, today: date, key: bytes | None = None) -> ReadResult:
    """Read every report in ``path`` and collect every problem with its line number.

    Besides each record's own rules, it flags report ids used twice,
    duplicate reports (same provider, member, date and service) and a
    member's date that adds up to more than 24 hours without staff. ``key``
    hashes clear SSNs; when None it comes from ``CARECOVER_SECRET_KEY`` if set.
    """
    result = ReadResult(file=str(path))
    text = _text(path)
    secret = _key_source(key)
    parsed: list[tuple[int, BackupReport]] = []
    bad_lines: set[int] = set()
    for line, row in _rows(path, text, result):
        result.records += 1
        report, found = _report(row, secret)
        if report is not None:
            found = [
                FieldProblem(_COLUMN_OF.get(p.field, p.field), p.message)
                for p in report_problems(report, today=today)
            ]
            parsed.append((line, report))
        result.problems.extend((line, p) for p in found)
        if found:
            bad_lines.add(line)
    line_of = {id(report): line for line, report in parsed}
    reports = [report for _, report in parsed]
    rule = "one report per provider, member, date and service"
    clashes = [(a, b, "is already used on line {line}") for a, b in reused_ids(reports)] + [
        (a, b, f"duplicates {a.report_id} on line {{line}}: {rule}")
        for a, b in find_duplicates(reports)
    ]
    for first, later, message in clashes:
        line = line_of[id(later)]
        text = message.replace("{line}", str(line_of[id(first)]))
        result.problems.append((line, FieldProblem("report_id", text)))
        bad_lines.add(line)
    for long_day in find_long_days(reports):
        # One date has 24 hours: the report that goes over is named, with the others' lines.
        line = line_of[id(long_day.report)]
        lines = ", ".join(str(line_of[id(other)]) for other in long_day.others)
        message = f"{long_day} (line {lines})"
        result.problems.append((line, FieldProblem("hours_without_staff", message)))
        bad_lines.add(line)
    result.reports = [(line, r) for line, r in parsed if line not in bad_lines]
    result.problems.sort(key=lambda item: item[0])
    return result


def load_reports(path: Path, *, today: date, key: bytes | None = None) -> list[BackupReport]:
    """Every report in ``path``; ``ValidationError(file=, line=)`` for the first bad record."""
    result = check_reports(path, today=today, key=key)
    if result.problems:
        line = result.problems[0][0]
        raise ValidationError(
            [p for n, p in result.problems if n == line], file=result.file, line=line
        )
    return [report for _, report in result.reports]
