"""The service and reason catalogues of the backup staffing report.

Both are data shipped with the package, each row with effective dates, a
source and whether it is verified:

* ``carecover/data/backup/services.csv``: the services (HCPCS code with its
  modifiers written without spaces, e.g. ``T2013TF``) a report can name. The
  seed confirms ``T2013TF`` and ``H2015`` are typed into the BUS module; the
  (b)(3)/1915(i) codes come from reference §2.4; the NC Innovations codes are
  UNCONFIRMED (verify against 8P Attachment A before go-live).
* ``carecover/data/backup/reasons.csv``: why BACKUP staff was not provided
  (for "backup staff not available"). No MCO's dropdown values are public;
  the shipped values are the UNCONFIRMED candidates of reference §1.3. Only
  ``other`` requires a free-text explanation (Partners: "If 'Other' is chosen
  ... there must be an explanation").

A malformed file raises ``ConfigError`` naming the file, line and column.

``label_of`` gives every code a report carries (reason, service, backup
status, who declined, report status, reporter kind) the words people read:
committee papers and pages show labels, exports keep the code beside them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TypeVar

from carecover.backup.report import BackupStatus, DeclinedBy, ReporterKind, ReportStatus
from carecover.errors import ConfigError, InputError, NotFoundError

__all__ = [
    "Reason",
    "Service",
    "ServiceUnit",
    "find_reason",
    "find_service",
    "label_of",
    "load_reasons",
    "load_services",
    "normalise_code",
    "parse_reasons_csv",
    "parse_services_csv",
    "search_services",
]

SERVICES_FILE = "services.csv"
REASONS_FILE = "reasons.csv"
_SERVICE_COLUMNS = ["code", "name", "unit", "effective_from", "effective_to", "source", "verified"]
_REASON_COLUMNS = [
    "code",
    "label",
    "description",
    "requires_explanation",
    "effective_from",
    "effective_to",
    "source",
    "verified",
]


class ServiceUnit(StrEnum):
    """How a service is billed."""

    FIFTEEN_MIN = "15min"
    PER_DIEM = "per_diem"
    HOUR = "hour"
    OTHER = "other"


@dataclass(frozen=True)
class Service:
    """One service a backup staffing report can name."""

    code: str
    name: str
    unit: ServiceUnit
    effective_from: date
    effective_to: date | None  # None = still in effect
    source: str
    verified: bool

    def effective_on(self, day: date) -> bool:
        """Whether the code can be used for a service on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class Reason:
    """One answer to "why was BACKUP staff not provided?"."""

    code: str
    label: str
    description: str
    requires_explanation: bool
    effective_from: date
    effective_to: date | None
    source: str
    verified: bool

    def effective_on(self, day: date) -> bool:
        """Whether the reason can be chosen for an incident on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


def normalise_code(code: str) -> str:
    """A service code as stored: upper case, no spaces (``t2013 tf`` -> ``T2013TF``)."""
    return "".join(code.split()).upper()


class _Rows:
    """Reads one CSV file, locating every problem by file, line and column."""

    def __init__(self, text: str, file: str, columns: list[str]) -> None:
        self.file = file
        self.reader = csv.DictReader(text.splitlines())
        missing = [c for c in columns if c not in (self.reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"{file}:1: missing column(s) {', '.join(missing)}")

    def __iter__(self) -> Iterator[dict[str, str]]:
        for row in self.reader:
            if None in row or any(v is None for v in row.values()):
                self.fail("*", "wrong number of fields")
            yield row

    def fail(self, column: str, message: str) -> None:
        raise ConfigError(f"{self.file}:{self.reader.line_num}: column {column}: {message}")

    def text(self, row: dict[str, str], column: str) -> str:
        value = row[column].strip()
        if not value:
            self.fail(column, "is empty")
        return value

    def day(self, row: dict[str, str], column: str, *, optional: bool = False) -> date | None:
        value = row[column].strip()
        if not value and optional:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"{value!r} is not a date (YYYY-MM-DD)")
        return None  # pragma: no cover - fail() raised

    def yes_no(self, row: dict[str, str], column: str) -> bool:
        value = row[column].strip().lower()
        if value not in ("yes", "no"):
            self.fail(column, f"{row[column]!r} must be yes or no")
        return value == "yes"

    def span(self, row: dict[str, str]) -> tuple[date, date | None]:
        start = self.day(row, "effective_from")
        end = self.day(row, "effective_to", optional=True)
        assert start is not None
        if end is not None and end < start:
            self.fail("effective_to", "is before effective_from")
        return start, end


def _overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    far = date.max
    return a[0] <= (b[1] or far) and b[0] <= (a[1] or far)


def parse_services_csv(text: str, *, file: str = SERVICES_FILE) -> list[Service]:
    """Read a service catalogue in the ``services.csv`` format (ConfigError if malformed)."""
    rows = _Rows(text, file, _SERVICE_COLUMNS)
    out: list[Service] = []
    for row in rows:
        code = normalise_code(rows.text(row, "code"))
        unit_text = row["unit"].strip()
        if unit_text not in {u.value for u in ServiceUnit}:
            rows.fail("unit", f"{unit_text!r} is not one of " + ", ".join(u for u in ServiceUnit))
        start, end = rows.span(row)
        if any(
            s.code == code and _overlap((s.effective_from, s.effective_to), (start, end))
            for s in out
        ):
            rows.fail("code", f"{code} has overlapping effective dates")
        out.append(
            Service(
                code=code,
                name=rows.text(row, "name"),
                unit=ServiceUnit(unit_text),
                effective_from=start,
                effective_to=end,
                source=rows.text(row, "source"),
                verified=rows.yes_no(row, "verified"),
            )
        )
    return out


def parse_reasons_csv(text: str, *, file: str = REASONS_FILE) -> list[Reason]:
    """Read a reason list in the ``reasons.csv`` format (ConfigError if malformed)."""
    rows = _Rows(text, file, _REASON_COLUMNS)
    out: list[Reason] = []
    for row in rows:
        code = rows.text(row, "code").lower()
        start, end = rows.span(row)
        if any(
            r.code == code and _overlap((r.effective_from, r.effective_to), (start, end))
            for r in out
        ):
            rows.fail("code", f"{code} has overlapping effective dates")
        out.append(
            Reason(
                code=code,
                label=rows.text(row, "label"),
                description=rows.text(row, "description"),
                requires_explanation=rows.yes_no(row, "requires_explanation"),
                effective_from=start,
                effective_to=end,
                source=rows.text(row, "source"),
                verified=rows.yes_no(row, "verified"),
            )
        )
    return out


def _read(name: str) -> str:
    return resources.files("carecover").joinpath("data", "backup", name).read_text("utf-8")


@cache
def _services() -> tuple[Service, ...]:
    return tuple(parse_services_csv(_read(SERVICES_FILE)))


@cache
def _reasons() -> tuple[Reason, ...]:
    return tuple(parse_reasons_csv(_read(REASONS_FILE)))


def load_services(on: date | None = None) -> list[Service]:
    """Every shipped service, or only those in effect on ``on``."""
    return [s for s in _services() if on is None or s.effective_on(on)]


def load_reasons(on: date | None = None) -> list[Reason]:
    """Every shipped reason, or only those in effect on ``on``."""
    return [r for r in _reasons() if on is None or r.effective_on(on)]


_Row = TypeVar("_Row", Service, Reason)


def _latest(items: list[_Row], key: str, on: date | None, what: str, exists: bool) -> _Row:
    if items:
        # Without a date, the row that started last is the current one.
        return max(items, key=lambda i: i.effective_from)
    if on is not None and exists:
        raise NotFoundError(f"{what} {key!r} is not in effect on {on.isoformat()}")
    raise NotFoundError(f"unknown {what} {key!r}")


def find_service(code: str, on: date | None = None) -> Service:
    """The service with ``code`` (ignoring case and spaces), in effect on ``on`` if given."""
    key = normalise_code(code)
    matches = [s for s in load_services(on) if s.code == key]
    return _latest(matches, key, on, "service", any(s.code == key for s in _services()))


def find_reason(code: str, on: date | None = None) -> Reason:
    """The reason with ``code`` (ignoring case and surrounding spaces)."""
    key = code.strip().lower()
    matches = [r for r in load_reasons(on) if r.code == key]
    return _latest(matches, key, on, "reason", any(r.code == key for r in _reasons()))


#: Words for the codes of the report's fixed choices (the enums of ``report``).
_FIXED_LABELS: dict[str, dict[str, str]] = {
    "backup_status": {
        BackupStatus.NOT_AVAILABLE: "Backup staff not available",
        BackupStatus.OFFERED_DECLINED: "Backup staff offered but declined",
    },
    "declined_by": {
        DeclinedBy.MEMBER: "Member",
        DeclinedBy.LEGALLY_RESPONSIBLE_PERSON: "Legally responsible person",
    },
    "status": {
        ReportStatus.DRAFT: "Draft",
        ReportStatus.SUBMITTED: "Submitted",
        ReportStatus.ACCEPTED: "Accepted",
        ReportStatus.RETURNED: "Returned for correction",
        ReportStatus.WITHDRAWN: "Withdrawn (filed in error)",
    },
    "reporter_kind": {
        ReporterKind.PROVIDER: "Provider agency",
        ReporterKind.EOR: "Employer of Record",
    },
}


@cache
def _catalogue_labels() -> dict[str, dict[str, str]]:
    # Without a date, the row that started last names the code.
    reasons: dict[str, str] = {}
    for r in sorted(_reasons(), key=lambda r: r.effective_from):
        reasons[r.code] = r.label
    for who, words in _FIXED_LABELS["declined_by"].items():
        # Declined reports have no reason code; the roll-ups group them by who declined.
        reasons[f"declined_by_{who}"] = f"Declined by the {words.lower()}"
    reasons["(not given)"] = "(not given)"
    services: dict[str, str] = {}
    for s in sorted(_services(), key=lambda s: s.effective_from):
        services[s.code] = s.name
    return {"reason": reasons, "service_code": services, **_FIXED_LABELS}


def label_of(kind: str, code: str | None) -> str:
    """The words for ``code`` of ``kind`` (``reason``, ``service_code``, ``backup_status``,
    ``declined_by``, ``status``, ``reporter_kind``); an unknown code is shown as it is."""
    if code is None or code == "":
        return ""
    return _catalogue_labels().get(kind, {}).get(str(code), str(code))


def search_services(text: str, *, limit: int = 10, on: date | None = None) -> list[Service]:
    """Typeahead: services whose code starts with ``text`` (spaces and case ignored), then
    services whose name contains every word of ``text``; at most ``limit``."""
    if limit < 1:
        raise InputError("must be at least 1", field="limit")
    prefix = normalise_code(text)
    words = text.lower().split()
    if not prefix:
        return []
    pool = load_services(on)
    by_code = sorted((s for s in pool if s.code.startswith(prefix)), key=lambda s: s.code)
    by_name = sorted(
        (s for s in pool if s not in by_code and all(w in s.name.lower() for w in words)),
        key=lambda s: (s.name.lower(), s.code),
    )
    return (by_code + by_name)[:limit]
