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
from typing import Any

from carecover.mds.stays import RANK_IN_DAY

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


_ACTIVE = f"""
    WITH ranked AS (
        SELECT *, row_number() OVER (
            PARTITION BY ccn, resident_key
            ORDER BY target_date DESC, {RANK_IN_DAY} DESC,
                source_file DESC, record DESC) AS rn
        FROM mds_assessments
        WHERE target_date <= $as_of AND ($facility IS NULL OR ccn = $facility)
    ), active AS (
        SELECT * FROM ranked WHERE rn = 1 AND a0310f NOT IN ('10', '11', '12')
    ), episode AS (
        SELECT a.ccn, a.resident_key,
            max(r.target_date) FILTER (WHERE r.a0310f = '01') AS entry_date,
            max(r.target_date) FILTER (WHERE r.a0310a IN ('01','02','03','04','05','06'))
                AS last_obra
        FROM active a JOIN ranked r USING (ccn, resident_key)
        GROUP BY ALL
    )
    SELECT a.ccn, a.resident_key, coalesce(a.first_name, ''), coalesce(a.last_name, ''),
           e.entry_date, a.target_date, e.last_obra
    FROM active a JOIN episode e USING (ccn, resident_key)
    ORDER BY a.ccn, a.last_name, a.first_name, a.resident_key
"""


def _active(con: Any, as_of: date, facility: str | None) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = con.execute(
        _ACTIVE, {"as_of": as_of, "facility": facility}
    ).fetchall()
    return rows


def roster(con: Any, as_of: date, *, facility: str | None = None) -> list[RosterEntry]:
    """Residents active on ``as_of`` per facility (latest record not a discharge or death)."""
    return [
        RosterEntry(f, k, fn, ln, e, t) for f, k, fn, ln, e, t, _ in _active(con, as_of, facility)
    ]


def missing_assessments(
    con: Any,
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
