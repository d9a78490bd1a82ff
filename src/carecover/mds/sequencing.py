"""MDS record sequencing: each resident's records in the order CMS expects.

A resident's records in a facility run entry (A0310F=01) → assessments →
discharge (10 return not anticipated, 11 return anticipated) or death (12) →
entry ... An entry's type (A1700) must fit what came before: a reentry
(A1700=2) only after a return-anticipated discharge, back within 30 days; an
admission (A1700=1) otherwise (cms-staffing-methodology.md §4.2, S54).

``sequence_errors`` walks every resident's accepted records (target date,
then the census's same-day order ``census_rule.rank_in_day``) and reports each
record that breaks the order, as rows of the Errors report
(``quarantine.RecordError``). The checks, their messages, the 30-day window
and CMS's error numbers are data (``data/mds/sequence_checks.csv``); where
CMS's number could not be established the row says ``ours: <check>``.

A resident's first record in the store is not checked against what came
before it: the store may begin in the middle of a stay. These checks only
report; the census still counts by CMS's rules (``stays``, ``census``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import ConfigError
from carecover.mds.census_rule import rank_in_day
from carecover.mds.quarantine import RecordError

__all__ = ["SequenceCheck", "sequence_checks", "sequence_errors"]

_DISCHARGE = {"10": "discharge, return not anticipated", "11": "discharge, return anticipated"}
_DEATH = "12"
_ENTRY = "01"


@dataclass(frozen=True)
class SequenceCheck:
    """One sequencing rule: the item it concerns, CMS's number (or ours) and its message."""

    check: str
    item: str
    cms_edit: str
    message: str
    days: int | None
    source: str
    confidence: str

    @property
    def error(self) -> str:
        """CMS's error number, or ``ours: <check>`` when it could not be established."""
        return self.cms_edit or f"ours: {self.check}"


@cache
def sequence_checks() -> dict[str, SequenceCheck]:
    """The sequencing checks of ``data/mds/sequence_checks.csv``, by name."""
    text = (
        resources.files("carecover")
        .joinpath("data", "mds", "sequence_checks.csv")
        .read_text(encoding="utf-8")
    )
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            days = int(row["days"]) if row["days"].strip() else None
        except ValueError:
            raise ConfigError(f"data/mds/sequence_checks.csv: days of {row['check']}") from None
        out[row["check"]] = SequenceCheck(
            row["check"],
            row["item"],
            row["cms_edit"].strip(),
            row["message"],
            days,
            row["source"],
            row["confidence"],
        )
    return out


@dataclass(frozen=True)
class _Record:
    facility: str
    resident: str
    a0310f: str
    entry_type: str
    entry_date: date | None
    discharge_date: date | None
    target_date: date
    first_name: str
    last_name: str
    source_file: str
    record: str
    loaded_on: date | None

    @property
    def kind(self) -> str:
        if self.a0310f == _ENTRY:
            return "entry"
        if self.a0310f == _DEATH:
            return "death"
        return "discharge" if self.a0310f in _DISCHARGE else "assessment"

    def describe(self) -> str:
        return _DISCHARGE.get(self.a0310f) or (
            "death in facility" if self.a0310f == _DEATH else f"record A0310F={self.a0310f}"
        )


def _records(con: Any, facility: str | None) -> Any:
    """Every accepted record in its resident's order, as an Ibis expression.

    The order: facility, resident, target date, the census's same-day order
    (``census_rule.rank_in_day``), then file and record position.
    """
    records = table(con, "mds_assessments")
    if facility is not None:
        records = records.filter(records.ccn == facility)
    files = table(con, "mds_loaded_files")
    files = files.select(files.sha256, loaded_on=files.loaded_at.cast("date"))
    r = records.left_join(files, "sha256")
    return r.select(
        r.ccn,
        r.resident_key,
        r.a0310f,
        entry_type=r.entry_type.fill_null(""),
        entry_date=r.entry_date,
        discharge_date=r.discharge_date,
        target_date=r.target_date,
        first_name=r.first_name.fill_null(""),
        last_name=r.last_name.fill_null(""),
        source_file=r.source_file,
        record=r.record,
        loaded_on=r.loaded_on,
        _rank=rank_in_day(r),
        _length=r.record.length(),
    ).order_by(["ccn", "resident_key", "target_date", "_rank", "source_file", "_length", "record"])


def _problem(rec: _Record, check: str, **values: Any) -> RecordError:
    rule = sequence_checks()[check]
    text = rule.message.format(limit=rule.days, **values)
    return RecordError(
        facility=rec.facility,
        source_file=rec.source_file,
        record=rec.record,
        item=rule.item,
        problem=text,
        a0310f=rec.a0310f,
        first_name=rec.first_name,
        last_name=rec.last_name,
        loaded_on=rec.loaded_on,
        error=rule.error,
    )


def _entry_type(rec: _Record, before: _Record | None) -> Iterator[RecordError]:
    """A1700 against the record before the entry."""
    after_discharge = before is not None and before.kind in ("discharge", "death")
    gap = None
    if before is not None and after_discharge:
        left = before.discharge_date or before.target_date
        gap = ((rec.entry_date or rec.target_date) - left).days
    if rec.entry_type == "2":
        if before is None or before.a0310f != "11":
            prior = before.describe() if after_discharge and before else "no discharge record"
            yield _problem(rec, "reentry_not_after_return_anticipated", prior=prior)
        elif gap is not None and gap > (sequence_checks()["reentry_after_30_days"].days or 0):
            left = before.discharge_date or before.target_date
            yield _problem(rec, "reentry_after_30_days", days=gap, prior_date=left)
    elif rec.entry_type == "1" and before is not None and before.a0310f == "11":
        limit = sequence_checks()["admission_within_30_days"].days or 0
        if gap is not None and gap <= limit:
            left = before.discharge_date or before.target_date
            yield _problem(rec, "admission_within_30_days", days=gap, prior_date=left)


def _walk(records: list[_Record]) -> Iterator[RecordError]:
    """The problems of one resident's records, in order."""
    state = ""  # "" nothing seen, "in" a stay, "out" discharged, "dead"
    before: _Record | None = None
    stay_began: date | None = None
    for rec in records:
        kind = rec.kind
        if state == "dead":
            assert before is not None
            yield _problem(rec, "record_after_death", prior_date=before.target_date)
        elif kind == "entry":
            if state == "in":
                yield _problem(rec, "entry_during_stay", prior_date=stay_began)
            yield from _entry_type(rec, before)
        elif state == "out" and before is not None:
            check = (
                "assessment_after_discharge"
                if kind == "assessment"
                else ("discharge_after_discharge")
            )
            yield _problem(rec, check, prior=before.describe(), prior_date=before.target_date)
        if kind == "entry" or (kind == "assessment" and state != "in"):
            stay_began = rec.entry_date or rec.target_date
        state = {"entry": "in", "assessment": "in", "discharge": "out", "death": "dead"}[kind]
        before = rec


def sequence_errors(con: Any, *, facility: str | None = None) -> list[RecordError]:
    """Every accepted record that breaks its resident's record order, as Errors-report rows."""
    out: list[RecordError] = []
    resident: list[_Record] = []
    for row in rows(con, _records(con, facility)):
        del row["_rank"], row["_length"]
        rec = _Record(*row.values())
        if resident and (resident[0].facility, resident[0].resident) != (
            rec.facility,
            rec.resident,
        ):
            out.extend(_walk(resident))
            resident = []
        resident.append(rec)
    out.extend(_walk(resident))
    return out
