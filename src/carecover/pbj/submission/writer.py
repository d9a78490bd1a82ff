"""Write a PBJ submission file, XML version 4.10.0, by streaming.

The layout follows ``nhpbj_4_10_0.xsd`` (cms-staffing-methodology.md §1.2):
``nursingHomeData`` → ``header`` (``fileSpecVersion`` is an attribute, edit
-4017) → ``employees`` → ``staffingHours processType=…`` → one ``staffHours``
per employee → ``workDays`` → ``workDay`` per date → ``hourEntries``. Files
not in 4.10.0 are rejected from 2026-04-01 (S4), so the version is fixed here.

Nothing is held as a tree: entries are written as they arrive, which is why
they must come grouped by employee and in date order (``sum_worked_time``
returns them so). The file is written beside its target and renamed only on
success, so a rejected entry never leaves half a file behind. Every value is
checked against the XSD restriction it will meet and XML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Protocol
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from carecover.errors import InputError
from carecover.outputs import written
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.xmlsafe import pbj_schema, secure_parser

__all__ = [
    "FILE_SPEC_VERSION",
    "PROCESS_TYPES",
    "STATE_CODES",
    "EmployeeRecord",
    "HourEntryLike",
    "SubmissionHeader",
    "WriteSummary",
    "check_employee_id",
    "check_written_file",
    "write_submission",
]

FILE_SPEC_VERSION = "4.10.0"  # mandatory from 2026-04-01 (S4); 4.00.0 is retired
SCHEMA_NAME = "nhpbj_4_10_0.xsd"
PROCESS_TYPES = ("merge", "replace")
MAX_ENTRY_HOURS = Decimal("22.5")  # hourEntry/hours maxInclusive in nhpbj_4_10_0.xsd
# stateCode enumeration of nhpbj_4_10_0.xsd (50 states, DC, PR, VI).
_STATES = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND "
    "NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY"
)
STATE_CODES = frozenset(_STATES.split())
_SOFTWARE_TEXT = re.compile(r"[a-zA-Z0-9\-.+/@_,' &]*")
_PRODUCT_VERSION = re.compile(r"[a-zA-Z0-9\-.+/@_,' ]*")
_EMAIL = re.compile(r"[^,;:'\"<>\\()\[\]{} ]+@[\w.-]+\.\w{2,3}")
_EMPLOYEE_ID = re.compile(r"[a-zA-Z0-9_,.\-\\ ]{1,30}")
_FIRST_DATE, _LAST_DATE = date(1895, 1, 1), date(2050, 12, 31)


def _token(text: str) -> str:
    # xs:token collapses whitespace; do it ourselves so length checks match.
    return " ".join(text.split())


@dataclass(frozen=True)
class SubmissionHeader:
    """The ``header`` of one file: one facility, one quarter."""

    facility_id: str
    state_code: str
    quarter: Quarter
    process_type: str = "merge"
    software_vendor_name: str | None = None
    software_vendor_email: str | None = None
    software_product_name: str | None = None
    software_product_version: str | None = None

    def __post_init__(self) -> None:
        facility = _token(self.facility_id)
        if not 1 <= len(facility) <= 16:
            raise InputError("must be 1-16 characters", field="facility_id")
        if self.state_code not in STATE_CODES:
            raise InputError(
                f"{self.state_code!r} is not a PBJ state code (e.g. OH, PR)", field="state"
            )
        if self.process_type not in PROCESS_TYPES:
            raise InputError("must be merge or replace", field="process_type")
        if self.quarter.fiscal_year < 2016:
            raise InputError("PBJ starts in fiscal year 2016", field="quarter")
        checks = (
            ("software_vendor_name", self.software_vendor_name, 30, _SOFTWARE_TEXT),
            ("software_vendor_email", self.software_vendor_email, 50, _EMAIL),
            ("software_product_name", self.software_product_name, 50, _SOFTWARE_TEXT),
            ("software_product_version", self.software_product_version, 20, _PRODUCT_VERSION),
        )
        for name, value, limit, pattern in checks:
            if value is None:
                continue
            text = _token(value)
            if not 1 <= len(text) <= limit or not pattern.fullmatch(text):
                raise InputError(
                    f"{value!r} is not allowed (1-{limit} characters of the PBJ set)", field=name
                )


@dataclass(frozen=True)
class EmployeeRecord:
    """One ``employee``: id with optional hire and termination dates."""

    employee_id: str
    hire_date: date | None = None
    termination_date: date | None = None


class HourEntryLike(Protocol):
    """Anything that reads like one ``hourEntry`` of one employee on one date."""

    @property
    def employee_id(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def hours(self) -> Decimal: ...
    @property
    def job_title_code(self) -> int: ...
    @property
    def pay_type_code(self) -> int: ...


@dataclass(frozen=True)
class WriteSummary:
    """What one written file holds."""

    path: Path
    employees: int
    staff_hours: int
    work_days: int
    hour_entries: int
    total_hours: Decimal


def check_employee_id(employee_id: str) -> str:
    """``employee_id`` as written (whitespace collapsed); ``InputError`` if edit -4018 fails."""
    text = _token(employee_id)
    if not _EMPLOYEE_ID.fullmatch(text):
        raise InputError(
            f"{employee_id!r} must be 1-30 of A-Z a-z 0-9 - \\ , . _ and inner spaces",
            field="employee_id",
        )
    return text


def _check_date(value: date, field: str) -> str:
    if not _FIRST_DATE <= value <= _LAST_DATE:
        raise InputError(f"{value.isoformat()} is outside 1895-01-01..2050-12-31", field=field)
    return value.isoformat()


def write_submission(
    path: Path,
    header: SubmissionHeader,
    employees: Iterable[EmployeeRecord],
    entries: Iterable[HourEntryLike],
    *,
    validate: bool = False,
) -> WriteSummary:
    """Stream one 4.10.0 submission to ``path``; entries grouped by employee, dates ascending.

    With ``validate`` the finished file is also checked against the XSD
    before it replaces ``path`` (``check_written_file``); a device or a pipe
    (``-o /dev/stdout``) cannot be read back, and is written unchecked.
    """
    path = Path(path)
    with written(path) as part:
        with part.open("w", encoding="ascii", errors="xmlcharrefreplace", newline="\n") as out:
            summary = _write(out, header, employees, entries)
        if validate and part.is_file():
            check_written_file(part, name=str(path))
    return WriteSummary(path, *summary)


def check_written_file(path: Path, *, name: str | None = None) -> None:
    """Validate a written file against the 4.10.0 XSD; remove it and raise if it fails.

    The writer checks every value itself, so this is a second line of defence
    for files small enough to parse whole (one facility-quarter export).
    """
    try:
        pbj_schema().assertValid(etree.parse(str(path), secure_parser()))
    except etree.DocumentInvalid as exc:
        Path(path).unlink(missing_ok=True)
        raise InputError(
            f"the file would fail {SCHEMA_NAME}: {exc}", file=name or str(path)
        ) from None


def _write(
    out: IO[str],
    header: SubmissionHeader,
    employees: Iterable[EmployeeRecord],
    entries: Iterable[HourEntryLike],
) -> tuple[int, int, int, int, Decimal]:
    w = out.write
    w('<?xml version="1.0" encoding="ASCII"?>\n')
    w(
        '<nursingHomeData xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:noNamespaceSchemaLocation="{SCHEMA_NAME}">\n'
    )
    w(f'  <header fileSpecVersion="{FILE_SPEC_VERSION}">\n')
    w(f"    <facilityId>{escape(_token(header.facility_id))}</facilityId>\n")
    w(f"    <stateCode>{header.state_code}</stateCode>\n")
    w(f"    <reportQuarter>{header.quarter.report_quarter}</reportQuarter>\n")
    w(f"    <federalFiscalYear>{header.quarter.fiscal_year}</federalFiscalYear>\n")
    for tag, value in (
        ("softwareVendorName", header.software_vendor_name),
        ("softwareVendorEmail", header.software_vendor_email),
        ("softwareProductName", header.software_product_name),
        ("softwareProductVersion", header.software_product_version),
    ):
        if value is not None:
            w(f"    <{tag}>{escape(_token(value))}</{tag}>\n")
    w("  </header>\n")
    n_employees = 0
    w("  <employees>\n")
    for emp in employees:
        n_employees += 1
        w(f"    <employee>\n      <employeeId>{escape(check_employee_id(emp.employee_id))}")
        w("</employeeId>\n")
        if emp.hire_date is not None:
            w(f"      <hireDate>{_check_date(emp.hire_date, 'hire_date')}</hireDate>\n")
        if emp.termination_date is not None:
            term = _check_date(emp.termination_date, "termination_date")
            w(f"      <terminationDate>{term}</terminationDate>\n")
        w("    </employee>\n")
    w("  </employees>\n")
    w(f"  <staffingHours processType={quoteattr(header.process_type)}>\n")
    counts = _write_hours(w, entries)
    w("  </staffingHours>\n</nursingHomeData>\n")
    return (n_employees, *counts)


def _write_hours(w: _Writer, entries: Iterable[HourEntryLike]) -> tuple[int, int, int, Decimal]:
    # One line per hourEntry keeps a million-entry file near 170 MB.
    seen: set[str] = set()
    current: str | None = None
    day: date | None = None
    n_staff = n_days = n_entries = 0
    total = Decimal(0)
    for entry in entries:
        hours = entry.hours
        if not Decimal(0) <= hours <= MAX_ENTRY_HOURS or hours != round(hours, 2):
            raise InputError(
                f"employee {entry.employee_id} on {entry.day.isoformat()}: {hours} is not "
                f"0-{MAX_ENTRY_HOURS} with at most 2 decimals",
                field="hours",
            )
        if entry.employee_id != current:
            if entry.employee_id in seen:
                raise ValueError(f"entries for employee {entry.employee_id} are not grouped")
            if current is not None:
                w("</hourEntries></workDay>\n</workDays></staffHours>\n")
            current, day = entry.employee_id, None
            seen.add(current)
            n_staff += 1
            w(f"<staffHours><employeeId>{escape(check_employee_id(current))}</employeeId>")
            w("<workDays>\n")
        if entry.day != day:
            if day is not None:
                if entry.day < day:
                    raise ValueError(f"dates of employee {current} are not in order")
                w("</hourEntries></workDay>\n")
            day = entry.day
            n_days += 1
            w(f"<workDay><date>{day.isoformat()}</date><hourEntries>\n")
        n_entries += 1
        total += hours
        w(
            f"<hourEntry><hours>{hours:.2f}</hours>"
            f"<jobTitleCode>{int(entry.job_title_code)}</jobTitleCode>"
            f"<payTypeCode>{int(entry.pay_type_code)}</payTypeCode></hourEntry>\n"
        )
    if current is not None:
        w("</hourEntries></workDay>\n</workDays></staffHours>\n")
    return n_staff, n_days, n_entries, total


class _Writer(Protocol):
    def __call__(self, text: str, /) -> int: ...
