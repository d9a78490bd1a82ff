"""Typed records of a PBJ submission file (XML spec 4.10.0).

The element names are CMS's (cms-staffing-methodology.md §1.2–1.3); the
fields here use Python names. ``reader.read_submission`` builds these from a
file and refuses values that break the item dictionary; ``validation``
works on the raw text instead so that it can report every broken edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter

__all__ = [
    "Employee",
    "Header",
    "HourEntry",
    "Submission",
    "employee_from_raw",
    "entries_from_raw",
    "header_from_raw",
]


# The shapes of what a reader hands over (``reader.RawHeader`` and its
# siblings are such shapes): this module types them, whatever reads them.


class RawHeader(Protocol):
    """A header's items as text, as read (``None``: the element is missing)."""

    @property
    def items(self) -> dict[str, str | None]: ...
    @property
    def file_spec_version(self) -> str | None: ...
    @property
    def line(self) -> int: ...


class RawEmployee(Protocol):
    """An employee's items as text, as read."""

    @property
    def employee_id(self) -> str | None: ...
    @property
    def hire_date(self) -> str | None: ...
    @property
    def termination_date(self) -> str | None: ...
    @property
    def line(self) -> int: ...


class RawWorkDay(Protocol):
    """A work day as text: its employee, date and (hours, job title, pay type) entries."""

    @property
    def employee_id(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def entries(self) -> list[tuple[str | None, str | None, str | None]]: ...
    def line_of(self, entry: int | None = None) -> int | None:
        """The line of the work day, or of its ``entry``-th hour entry."""
        ...


@dataclass(frozen=True, slots=True)
class Header:
    """The ``<header>`` of a submission."""

    facility_id: str
    state_code: str
    report_quarter: int
    federal_fiscal_year: int
    file_spec_version: str
    software_vendor_name: str | None = None
    software_vendor_email: str | None = None
    software_product_name: str | None = None
    software_product_version: str | None = None
    line: int | None = None

    @property
    def quarter(self) -> Quarter:
        """The calendar quarter the header's fiscal year and report quarter name."""
        return Quarter.from_fiscal(self.federal_fiscal_year, self.report_quarter)


@dataclass(frozen=True, slots=True)
class Employee:
    """One ``<employee>`` of the ``<employees>`` section."""

    employee_id: str
    hire_date: date | None = None
    termination_date: date | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class HourEntry:
    """One ``<hourEntry>``, with the employee and work day it sits under.

    ``hours`` is the exact decimal the file holds. The field names match
    ``writer.HourEntryLike``, so entries read here can be written back.
    """

    employee_id: str
    day: date
    job_title_code: int
    pay_type_code: int
    hours: Decimal
    line: int | None = None


@dataclass(frozen=True)
class Submission:
    """A whole submission file held in memory (for small files and tests)."""

    header: Header
    employees: tuple[Employee, ...]
    process_type: str | None
    hour_entries: tuple[HourEntry, ...]

    @property
    def total_hours(self) -> Decimal:
        """The sum of every hour entry."""
        return sum((e.hours for e in self.hour_entries), Decimal(0))


def _need(value: str | None, field: str, name: str, line: int | None) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError("missing", file=name, line=line, field=field)
    return text


def _int(value: str | None, field: str, name: str, line: int | None) -> int:
    text = _need(value, field, name, line)
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"not a whole number: {text!r}", file=name, line=line, field=field
        ) from None


def _date(value: str | None, field: str, name: str, line: int | None) -> date:
    text = _need(value, field, name, line)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"not a YYYY-MM-DD date: {text!r}", file=name, line=line, field=field
        ) from None


def header_from_raw(raw: RawHeader, name: str) -> Header:
    """A typed ``Header``; ``InputError`` naming the first bad item."""
    items, line = raw.items, raw.line

    def optional(key: str) -> str | None:
        value = (items.get(key) or "").strip()
        return value or None

    return Header(
        facility_id=_need(items.get("facilityId"), "facilityId", name, line),
        state_code=_need(items.get("stateCode"), "stateCode", name, line),
        report_quarter=_int(items.get("reportQuarter"), "reportQuarter", name, line),
        federal_fiscal_year=_int(items.get("federalFiscalYear"), "federalFiscalYear", name, line),
        file_spec_version=_need(raw.file_spec_version, "fileSpecVersion", name, line),
        software_vendor_name=optional("softwareVendorName"),
        software_vendor_email=optional("softwareVendorEmail"),
        software_product_name=optional("softwareProductName"),
        software_product_version=optional("softwareProductVersion"),
        line=line,
    )


def employee_from_raw(raw: RawEmployee, name: str) -> Employee:
    """A typed ``Employee``; ``InputError`` naming the first bad item."""
    line = raw.line
    hire = raw.hire_date and raw.hire_date.strip()
    term = raw.termination_date and raw.termination_date.strip()
    return Employee(
        employee_id=_need(raw.employee_id, "employeeId", name, line),
        hire_date=_date(hire, "hireDate", name, line) if hire else None,
        termination_date=_date(term, "terminationDate", name, line) if term else None,
        line=line,
    )


def entries_from_raw(raw: RawWorkDay, name: str) -> Iterator[HourEntry]:
    """The typed ``HourEntry`` records of one work day; ``InputError`` at the first bad value."""
    employee = _need(raw.employee_id, "employeeId", name, raw.line_of())
    day = _date(raw.date, "date", name, raw.line_of())
    for i, (hours, job, pay) in enumerate(raw.entries):
        line = raw.line_of(i)
        text = _need(hours, "hours", name, line)
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise InputError(
                f"not a number: {text!r}", file=name, line=line, field="hours"
            ) from None
        yield HourEntry(
            employee_id=employee,
            day=day,
            job_title_code=_int(job, "jobTitleCode", name, line),
            pay_type_code=_int(pay, "payTypeCode", name, line),
            hours=value,
            line=line,
        )
