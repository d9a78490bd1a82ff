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
from typing import Any

from carecover.errors import InputError

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


def admissions(con: Any, start: date, end: date, *, facility: str | None = None) -> list[Admission]:
    """Entry records (A0310F=01) dated in [start, end], admissions and reentries."""
    _check(start, end)
    rows = con.execute(
        """
        SELECT ccn, target_date, coalesce(entry_type, ''), resident_key,
               coalesce(first_name, ''), coalesce(last_name, ''),
               source_file || ' ' || record
        FROM mds_assessments
        WHERE a0310f = '01' AND target_date BETWEEN $start AND $end
          AND ($facility IS NULL OR ccn = $facility)
        ORDER BY ccn, target_date, last_name, first_name, resident_key, record
        """,
        {"start": start, "end": end, "facility": facility},
    ).fetchall()
    return [
        Admission(f, d, _ENTRY_KINDS.get(t, "not coded"), k, fn, ln, r)
        for f, d, t, k, fn, ln, r in rows
    ]


def discharges(con: Any, start: date, end: date, *, facility: str | None = None) -> list[Discharge]:
    """Discharge (A0310F 10, 11) and death (12) records dated in [start, end]."""
    _check(start, end)
    rows = con.execute(
        """
        SELECT ccn, target_date, a0310f, coalesce(discharge_status, ''), entry_date,
               CASE WHEN entry_date IS NOT NULL THEN target_date - entry_date END,
               resident_key, coalesce(first_name, ''), coalesce(last_name, ''),
               source_file || ' ' || record
        FROM mds_assessments
        WHERE a0310f IN ('10', '11', '12') AND target_date BETWEEN $start AND $end
          AND ($facility IS NULL OR ccn = $facility)
        ORDER BY ccn, target_date, last_name, first_name, resident_key, record
        """,
        {"start": start, "end": end, "facility": facility},
    ).fetchall()
    return [
        Discharge(f, d, _DISCHARGE_KINDS[code], code, st, e, days, k, fn, ln, r)
        for f, d, code, st, e, days, k, fn, ln, r in rows
    ]
