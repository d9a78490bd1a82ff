"""CASPER-style MDS reports from the store: roster and missing assessments.

Modelled on the CASPER MDS 3.0 provider reports (cms-staffing-methodology.md
§6.2): the **Roster** lists residents active on a date; the **Missing
Assessment** report lists active residents whose most recent OBRA assessment
(A0310A 01–06) has a target date more than 138 days back, or who have had no
OBRA assessment in an episode begun more than 60 days back [S] S57. "Active"
here means the latest record up to the date is not a discharge or death
(CASPER ignores the census's 150-day clock; that is what this report is for).
Field layouts of the real reports are UNCONFIRMED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.mds.census_rule import OUT_CODES, latest_records

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["MissingAssessment", "RosterEntry", "missing_assessments", "roster"]


@dataclass(frozen=True)
class RosterEntry:
    """One active resident of one facility on the report date."""

    facility: str
    resident_key: str
    first_name: str
    last_name: str
    entry_date: date | None
    last_target_date: date


@dataclass(frozen=True)
class MissingAssessment:
    """An active resident whose OBRA assessment is overdue, and why."""

    facility: str
    resident_key: str
    first_name: str
    last_name: str
    last_obra_date: date | None
    reason: str


_OBRA = ("01", "02", "03", "04", "05", "06")  # A0310A: the OBRA assessments


def _active(con: DuckDBPyConnection, as_of: date, facility: str | None) -> list[tuple[Any, ...]]:
    """Residents whose latest record up to ``as_of`` is not a discharge or death, with their
    episode's entry date and last OBRA assessment (``census_rule.latest_records``)."""
    records = table(con, "mds_assessments")
    if facility is not None:
        records = records.filter(records.ccn == facility)
    upto = records.filter(records.target_date <= as_of)
    latest = latest_records(records, as_of)
    active = latest.filter(~latest.a0310f.isin(OUT_CODES))
    episode = upto.group_by(["ccn", "resident_key"]).aggregate(
        entry_date=upto.target_date.max(where=upto.a0310f == "01"),
        last_obra=upto.target_date.max(where=upto.a0310a.isin(_OBRA)),
    )
    joined = active.join(episode, ["ccn", "resident_key"])
    expr = joined.select(
        "ccn", "resident_key", "first_name", "last_name", "entry_date", "target_date", "last_obra"
    ).order_by(["ccn", "last_name", "first_name", "resident_key"])
    return [
        (
            r["ccn"],
            r["resident_key"],
            r["first_name"] or "",
            r["last_name"] or "",
            r["entry_date"],
            r["target_date"],
            r["last_obra"],
        )
        for r in rows(con, expr)
    ]


def roster(
    con: DuckDBPyConnection, as_of: date, *, facility: str | None = None
) -> list[RosterEntry]:
    """Residents active on ``as_of`` per facility (latest record not a discharge or death)."""
    return [
        RosterEntry(f, k, fn, ln, e, t) for f, k, fn, ln, e, t, _ in _active(con, as_of, facility)
    ]


def missing_assessments(
    con: DuckDBPyConnection,
    as_of: date,
    *,
    facility: str | None = None,
    overdue_days: int = 138,
    new_episode_days: int = 60,
) -> list[MissingAssessment]:
    """Active residents with an overdue OBRA assessment on ``as_of`` (CASPER's 138/60-day tests)."""
    out = []
    for f, k, fn, ln, entry, _, obra in _active(con, as_of, facility):
        if obra is not None and (entry is None or obra >= entry):
            if obra < as_of - timedelta(days=overdue_days):
                out.append(
                    MissingAssessment(f, k, fn, ln, obra, f"last OBRA over {overdue_days} days ago")
                )
        elif entry is not None and entry < as_of - timedelta(days=new_episode_days):
            reason = f"no OBRA assessment in an episode begun over {new_episode_days} days ago"
            out.append(MissingAssessment(f, k, fn, ln, obra, reason))
    return out
