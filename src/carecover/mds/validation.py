"""Checking one raw MDS record and turning it into an ``Assessment``.

The rules are the record rules (``record_rules``), the very expressions a
whole file is checked with, run over a one-row table of the record: there
is no second copy of them for one record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from functools import cache

from carecover.errors import FieldProblem, ValidationError
from carecover.mds.codes import Event, event_of
from carecover.mds.extract import COLUMNS
from carecover.mds.record_rules import (
    ITEM_SEPARATOR,
    PROBLEM_SEPARATOR,
    STAGE,
    checked_sql,
)
from carecover.textvalues import parse_date

__all__ = ["Assessment", "parse_mds_date", "problems_of", "validate_record"]


@dataclass(frozen=True)
class Assessment:
    """One valid MDS record, normalised; carries a resident key, never an SSN."""

    state: str
    facility_internal_id: str
    ccn: str
    resident_key: str
    first_name: str
    last_name: str
    birth_date: date | None
    gender: str
    ssn_present: bool
    a0310a: str
    a0310b: str
    a0310f: str
    entry_date: date | None
    entry_type: str
    discharge_date: date | None
    discharge_status: str
    ard: date | None
    target_date: date
    nursing_group: str

    @property
    def event(self) -> Event:
        """What this record does to the stay."""
        return event_of(self.a0310f)


def parse_mds_date(text: str) -> date:
    """Parse ``YYYYMMDD`` or ISO ``YYYY-MM-DD``; ``ValueError`` otherwise.

    The record rules' own date reading (``textvalues.parse_date``), on the
    one value.
    """
    from carecover.engines.duckdb import value_of_one_row

    value = value_of_one_row(_date_sql(), {"value": text.strip()})
    if value is None:
        raise ValueError(f"{text!r} is not a date like 20260131 or 2026-01-31")
    return value  # type: ignore[no-any-return]


@cache
def _date_sql() -> str:
    import ibis

    from carecover.engines.duckdb import sql_of

    t = ibis.table({"value": "string"}, name="one_row")
    return sql_of(t.select(day=parse_date(t.value)[0]))


def problems_of(text: str) -> list[FieldProblem]:
    """The problems of a refused record, from the rules' ``problems`` text."""
    found = []
    for problem in text.split(PROBLEM_SEPARATOR):
        item, _, message = problem.partition(ITEM_SEPARATOR)
        found.append(FieldProblem(item, message))
    return found


_FIELDS = tuple(f.name for f in fields(Assessment))


def validate_record(raw: Mapping[str, str]) -> Assessment:
    """The ``Assessment`` for ``raw``, or ``ValidationError`` listing every problem."""
    import pyarrow as pa  # type: ignore[import-untyped]

    from carecover.engines.duckdb import rows_over_arrow

    values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
    one = {"record": ["record"], "position": [0]} | {c: [v] for c, v in values.items()}
    found = rows_over_arrow(checked_sql(), {STAGE: pa.table(one)})[0]
    if found["problems"]:
        raise ValidationError(problems_of(found["problems"]))
    return Assessment(**{name: found[name] for name in _FIELDS})
