"""CASPER-style movement reports: admissions and reentries, discharges and deaths.

Both list records whose target date falls in a period (cms-staffing-methodology.md
§6.2; the real reports' field layouts are UNCONFIRMED):

- **Admissions and reentries**: entry records (A0310F=01), typed by A1700
  (1 admission, 2 reentry; empty when not coded);
- **Discharges**: A0310F 10 (return not anticipated), 11 (return anticipated)
  and 12 (death in facility), with the discharge status (A2100) and the days
  since the entry date (A1600) when it is known.

The kind labels are short forms of the A0310F and A1700 code-list meanings
(``data/mds/a0310f.csv``, ``a1700.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import InputError

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["Admission", "Discharge", "admissions", "discharges"]

_ENTRY_KINDS = {"1": "admission", "2": "reentry"}
_DISCHARGE_KINDS = {"10": "return not anticipated", "11": "return anticipated", "12": "death"}


@dataclass(frozen=True)
class Admission:
    """One entry record (admission or reentry) in the period."""

    facility: str
    entry_date: date
    kind: str
    resident_key: str
    first_name: str
    last_name: str
    record: str


@dataclass(frozen=True)
class Discharge:
    """One discharge or death record in the period."""

    facility: str
    discharge_date: date
    kind: str
    a0310f: str
    discharge_status: str
    entry_date: date | None
    days_since_entry: int | None
    resident_key: str
    first_name: str
    last_name: str
    record: str


def _check(start: date, end: date) -> None:
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")


def _in_period(
    con: DuckDBPyConnection, start: date, end: date, facility: str | None, codes: tuple[str, ...]
) -> Any:
    """Records with A0310F in ``codes`` dated in [start, end], as an Ibis expression."""
    _check(start, end)
    records = table(con, "mds_assessments")
    found = records.filter(records.a0310f.isin(codes) & records.target_date.between(start, end))
    if facility is not None:
        found = found.filter(found.ccn == facility)
    # The lists' order: facility, date, then the resident by name (a missing name last).
    order = ["ccn", "target_date", "last_name", "first_name", "resident_key", "record"]
    return found.mutate(
        first_shown=found.first_name.fill_null(""),
        last_shown=found.last_name.fill_null(""),
        locator=found.source_file + " " + found.record,
    ).order_by(order)


def admissions(
    con: DuckDBPyConnection, start: date, end: date, *, facility: str | None = None
) -> list[Admission]:
    """Entry records (A0310F=01) dated in [start, end], admissions and reentries."""
    found = _in_period(con, start, end, facility, ("01",))
    return [
        Admission(
            r["ccn"],
            r["target_date"],
            _ENTRY_KINDS.get(r["entry_type"] or "", "not coded"),
            r["resident_key"],
            r["first_shown"],
            r["last_shown"],
            r["locator"],
        )
        for r in rows(con, found)
    ]


def discharges(
    con: DuckDBPyConnection, start: date, end: date, *, facility: str | None = None
) -> list[Discharge]:
    """Discharge (A0310F 10, 11) and death (12) records dated in [start, end]."""
    found = _in_period(con, start, end, facility, tuple(_DISCHARGE_KINDS))
    return [
        Discharge(
            r["ccn"],
            r["target_date"],
            _DISCHARGE_KINDS[r["a0310f"]],
            r["a0310f"],
            r["discharge_status"] or "",
            r["entry_date"],
            (r["target_date"] - r["entry_date"]).days if r["entry_date"] is not None else None,
            r["resident_key"],
            r["first_shown"],
            r["last_shown"],
            r["locator"],
        )
        for r in rows(con, found)
    ]
