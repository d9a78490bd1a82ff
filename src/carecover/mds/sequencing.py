"""MDS record sequencing: each resident's records in the order CMS expects.

A resident's records in a facility run entry (A0310F=01) → assessments →
discharge (10 return not anticipated, 11 return anticipated) or death (12) →
entry ... An entry's type (A1700) must fit what came before: a reentry
(A1700=2) only after a return-anticipated discharge, back within 30 days; an
admission (A1700=1) otherwise (cms-staffing-methodology.md §4.2, S54).

``sequence_errors`` orders every resident's accepted records (target date,
then the census's same-day order ``census_rule.rank_in_day``) and reports each
record that breaks the order, as rows of the Errors report
(``quarantine.RecordError``). The checks are one Ibis expression
(``sequence_flags``: each record beside the one before it and the start of
its stay, by window functions); only the flagged records come back to Python,
for their messages. The checks, their messages, the 30-day window
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
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import ConfigError
from carecover.mds.census_rule import rank_in_day
from carecover.mds.quarantine import RecordError

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["SequenceCheck", "sequence_checks", "sequence_errors", "sequence_flags"]

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


_ORDER = ["target_date", "_rank", "source_file", "_length", "record"]


def _records(con: DuckDBPyConnection, facility: str | None) -> Any:
    """Every accepted record with its place in its resident's order, as an Ibis expression.

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
    )


def _kind(a0310f: Any) -> Any:
    import ibis

    return ibis.cases(
        (a0310f == _ENTRY, "entry"),
        (a0310f == _DEATH, "death"),
        (a0310f.isin(list(_DISCHARGE)), "discharge"),
        else_="assessment",
    )


def sequence_flags(records: Any) -> Any:
    """Each record that breaks its resident's order, with the checks it breaks (Ibis).

    ``records`` is ``_records``' table. A record's *before* is the resident's
    record just before it; the stay it is in began with the last entry, or
    assessment after a discharge, up to it. The flags (``after_death``,
    ``entry_during_stay``, ``reentry_not_after``, ``reentry_late``,
    ``admission_within``, ``after_discharge``) follow ``sequence_checks``;
    ``before_*`` columns and ``stay_began`` give the messages their values.
    """
    import ibis

    resident = ["ccn", "resident_key"]
    order = ibis.window(group_by=resident, order_by=_ORDER)
    r = records.mutate(kind=_kind(records.a0310f))
    r = r.mutate(
        before_a0310f=r.a0310f.lag().over(order),
        before_kind=r.kind.lag().over(order),
        before_target=r.target_date.lag().over(order),
        before_discharge=r.discharge_date.lag().over(order),
    )
    state = ibis.cases(
        (r.before_kind.isin(["entry", "assessment"]), "in"),
        (r.before_kind == "discharge", "out"),
        (r.before_kind == "death", "dead"),
        else_="",
    )
    r = r.mutate(state=state)
    begins = (r.kind == "entry") | ((r.kind == "assessment") & (r.state != "in"))
    upto = ibis.window(group_by=resident, order_by=_ORDER, rows=(None, 0))
    r = r.mutate(
        _begins=begins,
        _stay=begins.cast("int64").sum().over(upto),
        _began=ibis.cases((begins, r.entry_date.fill_null(r.target_date)), else_=None),
    )
    stay = ibis.window(group_by=[*resident, "_stay"], order_by=_ORDER)
    r = r.mutate(_stay_began=r._began.first().over(stay))
    r = r.mutate(stay_began=r._stay_began.lag().over(order))
    alive = r.state != "dead"
    entry = alive & (r.kind == "entry")
    left = r.before_discharge.fill_null(r.before_target)
    gap = ibis.cases(
        (
            r.before_kind.isin(["discharge", "death"]),
            r.entry_date.fill_null(r.target_date).delta(left, unit="day"),
        ),
        else_=None,
    )
    checks = sequence_checks()
    after_return = r.before_a0310f.fill_null("") == "11"
    flagged = r.mutate(
        gap=gap,
        before_left=left,
        after_death=~alive,
        entry_during_stay=entry & (r.state == "in"),
        reentry_not_after=entry & (r.entry_type == "2") & ~after_return,
        reentry_late=entry
        & (r.entry_type == "2")
        & after_return
        & (gap > (checks["reentry_after_30_days"].days or 0)),
        admission_within=entry
        & (r.entry_type == "1")
        & after_return
        & (gap <= (checks["admission_within_30_days"].days or 0)),
        after_discharge=alive & (r.kind != "entry") & (r.state == "out"),
    )
    broken = (
        flagged.after_death
        | flagged.entry_during_stay
        | flagged.reentry_not_after
        | flagged.reentry_late.fill_null(False)
        | flagged.admission_within.fill_null(False)
        | flagged.after_discharge
    )
    return flagged.filter(broken).order_by([*resident, *_ORDER])


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


def _describe(a0310f: str) -> str:
    return _DISCHARGE.get(a0310f) or (
        "death in facility" if a0310f == _DEATH else f"record A0310F={a0310f}"
    )


def _problems(row: dict[str, Any]) -> Iterator[RecordError]:
    """The messages of one flagged record, in the order the checks are made."""
    rec = _Record(*(row[name] for name in _FIELDS))
    if row["after_death"]:
        yield _problem(rec, "record_after_death", prior_date=row["before_target"])
        return
    if row["entry_during_stay"]:
        yield _problem(rec, "entry_during_stay", prior_date=row["stay_began"])
    if row["reentry_not_after"]:
        after_discharge = row["before_kind"] in ("discharge", "death")
        prior = _describe(row["before_a0310f"]) if after_discharge else "no discharge record"
        yield _problem(rec, "reentry_not_after_return_anticipated", prior=prior)
    if row["reentry_late"]:
        yield _problem(rec, "reentry_after_30_days", days=row["gap"], prior_date=row["before_left"])
    if row["admission_within"]:
        yield _problem(
            rec, "admission_within_30_days", days=row["gap"], prior_date=row["before_left"]
        )
    if row["after_discharge"]:
        check = (
            "assessment_after_discharge"
            if row["kind"] == "assessment"
            else ("discharge_after_discharge")
        )
        yield _problem(
            rec,
            check,
            prior=_describe(row["before_a0310f"]),
            prior_date=row["before_target"],
        )


_FIELDS = (
    "ccn",
    "resident_key",
    "a0310f",
    "entry_type",
    "entry_date",
    "discharge_date",
    "target_date",
    "first_name",
    "last_name",
    "source_file",
    "record",
    "loaded_on",
)


def sequence_errors(con: DuckDBPyConnection, *, facility: str | None = None) -> list[RecordError]:
    """Every accepted record that breaks its resident's record order, as Errors-report rows."""
    return [
        problem
        for row in rows(con, sequence_flags(_records(con, facility)))
        for problem in _problems(row)
    ]
