"""CMS's PBJ edits as a catalogue (data) and the checks that raise them.

The catalogue is ``data/pbj/edits.csv``: one row per edit with its CMS edit
number (e.g. ``-4018``) or, where the reference gives none, a stable
carecover id (``CC-01``...), its severity (``fatal`` or ``warning``), the
thresholds it uses (``parameters``), its source and confidence. Severities
and thresholds are read from there, never hard-coded; the numbers each
check cites are in cms-staffing-methodology.md §1.

``check_header`` runs the header edits; ``checker.SubmissionChecker``
applies the rest to a file's records. Both record ``Finding``s in a
``FindingLog``; the value checks they share live here.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from carecover.errors import ConfigError, NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import EMPLOYEE_ID_CHARACTERS
from carecover.pbj.submission.reader import RawHeader

__all__ = [
    "Edit",
    "Finding",
    "FindingLog",
    "Severity",
    "check_header",
    "code_value",
    "edit",
    "edits",
    "employee_id_problem",
    "hours_cents",
    "parse_day",
    "state_codes",
]

Severity = Literal["fatal", "warning"]


@dataclass(frozen=True)
class Edit:
    """One numbered check: what it tests, how bad a failure is, and where it comes from."""

    id: str
    severity: Severity
    field: str
    title: str
    description: str
    parameters: dict[str, str]
    source: str
    confidence: str

    @property
    def unconfirmed(self) -> bool:
        """Whether the reference marks the edit (or its number) UNCONFIRMED."""
        return "UNCONFIRMED" in self.confidence

    def param(self, key: str) -> str:
        """A threshold from the ``parameters`` column; ``ConfigError`` if missing."""
        try:
            return self.parameters[key]
        except KeyError:
            raise ConfigError(f"edit {self.id} has no parameter {key!r} in edits.csv") from None


@cache
def _catalogue() -> dict[str, Edit]:
    text = resources.files("carecover").joinpath("data", "pbj", "edits.csv").read_text("utf-8")
    out: dict[str, Edit] = {}
    for row in csv.DictReader(text.splitlines()):
        severity = row["severity"]
        if severity not in ("fatal", "warning"):
            raise ConfigError(f"edits.csv: edit {row['id']} has severity {severity!r}")
        params = dict(
            part.split("=", 1) for part in (row["parameters"] or "").split(";") if "=" in part
        )
        out[row["id"]] = Edit(
            id=row["id"],
            severity="fatal" if severity == "fatal" else "warning",
            field=row["field"],
            title=row["title"],
            description=row["description"],
            parameters=params,
            source=row["source"],
            confidence=row["confidence"],
        )
    return out


def edits() -> list[Edit]:
    """Every edit in catalogue order."""
    return list(_catalogue().values())


def edit(edit_id: str) -> Edit:
    """The edit ``edit_id`` (e.g. ``"-4018"`` or ``"CC-03"``); ``NotFoundError`` if unknown."""
    try:
        return _catalogue()[edit_id]
    except KeyError:
        raise NotFoundError(f"unknown PBJ edit {edit_id!r}") from None


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed edit on one record (or on the file when ``line`` is ``None``)."""

    edit: str
    severity: Severity
    message: str
    line: int | None = None
    employee: str | None = None
    date: str | None = None
    field: str | None = None
    file: str | None = None


@dataclass
class FindingLog:
    """Findings of one file: exact counts per edit, the first ``cap`` findings of each kept."""

    file: str
    cap: int = 1000
    counts: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    fatal: int = 0
    fields: set[str] = field(default_factory=set)

    def add(
        self,
        edit_id: str,
        message: str,
        line: int | None = None,
        *,
        employee: str | None = None,
        day: str | None = None,
        field_name: str | None = None,
    ) -> None:
        """Record a failure of ``edit_id``."""
        rule = edit(edit_id)
        self.counts[edit_id] += 1
        if rule.severity == "fatal":
            self.fatal += 1
        name = field_name or rule.field or None
        if name:
            self.fields.add(name)
        if self.counts[edit_id] <= self.cap:
            self.findings.append(
                Finding(edit_id, rule.severity, message, line, employee, day, name, self.file)
            )

    @property
    def truncated(self) -> dict[str, int]:
        """Edits with more findings than were kept, and how many were dropped."""
        return {k: n - self.cap for k, n in self.counts.items() if n > self.cap}


def parse_day(text: str | None) -> date | None:
    """A strict ``YYYY-MM-DD`` date (10 characters), or ``None``."""
    value = (text or "").strip()
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@cache
def state_codes() -> frozenset[str]:
    """The ``stateCode`` values CMS's schema enumerates (read from the packaged XSD)."""
    from lxml import etree

    from carecover.pbj.submission.xmlsafe import secure_parser

    data = resources.files("carecover").joinpath("data", "pbj", "nhpbj_4_10_0.xsd").read_bytes()
    root = etree.fromstring(data, secure_parser())
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    values = root.xpath("//xs:element[@name='stateCode']//xs:enumeration/@value", namespaces=xs)
    return frozenset(str(v) for v in values)  # type: ignore[union-attr]


_ID_CHARS = frozenset(EMPLOYEE_ID_CHARACTERS)


def employee_id_problem(text: str) -> tuple[str, str] | None:
    """``(edit, message)`` when an employeeId breaks -4018 or the 30-character limit."""
    value = text.strip()
    if not value:
        return "-4006", "employeeId is empty"
    bad = sorted({c for c in value if c not in _ID_CHARS})
    if bad:
        return "-4018", f"employeeId {value!r} has characters CMS does not allow: {''.join(bad)!r}"
    limit = int(edit("CC-11").param("max_length"))
    if len(value) > limit:
        return "CC-11", f"employeeId {value!r} is {len(value)} characters (at most {limit})"
    return None


_MOST_DIGITS = 6  # whole hours in one entry: a million is far past any limit


def hours_cents(text: str | None) -> tuple[int, tuple[str, str] | None]:
    """Hours as whole hundredths, and ``(edit, message)`` when the value is not allowed.

    An entry over the per-entry maximum still counts with its value, so the
    daily-total edit sees it too; unreadable values count as 0.
    """
    value = (text or "").strip()
    if not value:
        return 0, ("-4006", "hours is missing")
    if value[0] in "+-":
        sign = "negative" if value[0] == "-" else "signed"
        return 0, ("-3679", f"hours {value!r} is {sign}; hours must be 0-22.5 without a sign")
    whole, _, frac = value.partition(".")
    digits = whole + frac
    if not digits or not digits.isdigit() or not digits.isascii():
        return 0, ("CC-08", f"hours {value!r} is not a number")
    if len(frac.rstrip("0")) > 2:
        return 0, ("CC-08", f"hours {value!r} has more than two decimals")
    limit = round(float(edit("CC-09").param("max_hours")) * 100)
    if len(whole.lstrip("0")) > _MOST_DIGITS:
        # A 400-digit value: refused like any value over the limit, but not
        # counted (its hundredths overflow a float) nor echoed whole.
        shown = f"{whole[:12]}... ({len(value)} characters)"
        return 0, ("CC-09", f"hours {shown} is more than {limit / 100:g} in one entry")
    cents = int(whole or "0") * 100 + int((frac + "00")[:2])
    if cents > limit:
        return cents, ("CC-09", f"hours {value} is more than {limit / 100:g} in one entry")
    return cents, None


def code_value(text: str | None, valid: frozenset[int]) -> int | None:
    """The integer code in ``text`` if it is one of ``valid``."""
    value = (text or "").strip()
    if value.isdigit() and value.isascii() and int(value) in valid:
        return int(value)
    return None


def check_header(log: FindingLog, raw: RawHeader, submitted_on: date) -> Quarter | None:
    """The header edits (version, completeness, quarter, fiscal year, deadline).

    Returns the quarter the header names, or ``None`` when it is unreadable.
    """
    add, line, items = log.add, raw.line, raw.items
    version = (raw.file_spec_version or "").strip()
    rule = edit("-1019")
    if not version:
        add("-4003", "the header has no fileSpecVersion attribute", line)
    elif version != rule.param("required"):
        cutover = date.fromisoformat(rule.param("from"))
        if version == rule.param("previous") and submitted_on < cutover:
            add("-1018", f"fileSpecVersion {version} is accepted only before {cutover}", line)
        else:
            add(
                "-1019",
                f"fileSpecVersion {version} is not accepted; use "
                f"{rule.param('required')} (required from {cutover})",
                line,
            )
    facility = (items.get("facilityId") or "").strip()
    if not facility:
        add("-3702", "facilityId is missing or empty", line)
    elif len(facility) > 16:
        add(
            "CC-04",
            f"facilityId {facility!r} is longer than 16 characters",
            line,
            field_name="facilityId",
        )
    state = (items.get("stateCode") or "").strip()
    if not state:
        add("CC-04", "stateCode is missing", line, field_name="stateCode")
    elif state not in state_codes():
        add("CC-05", f"stateCode {state!r} is not a state code the schema allows", line)
    quarter = (items.get("reportQuarter") or "").strip()
    if not quarter:
        add("CC-04", "reportQuarter is missing", line, field_name="reportQuarter")
    elif quarter not in ("1", "2", "3", "4"):
        add("CC-06", f"reportQuarter {quarter!r} is not 1-4", line)
        quarter = ""
    year = (items.get("federalFiscalYear") or "").strip()
    fy_rule = edit("-3679")
    low, high = int(fy_rule.param("min_year")), int(fy_rule.param("max_year"))
    if not year:
        add("CC-04", "federalFiscalYear is missing", line, field_name="federalFiscalYear")
    elif not (year.isdigit() and low <= int(year) <= high):
        add(
            "-3679",
            f"federalFiscalYear {year!r} is not {low}-{high}",
            line,
            field_name="federalFiscalYear",
        )
        year = ""
    if not (quarter and year):
        return None
    period = Quarter.from_fiscal(int(year), int(quarter))
    if submitted_on > period.deadline:
        add(
            "CC-07",
            f"submitted {submitted_on}, after the deadline {period.deadline} for {period}",
            line,
        )
    return period
