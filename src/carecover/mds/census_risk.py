"""Census risk: residents about to drop out of the census through the 150-day clock.

CMS counts a resident with no MDS record for 150 days as gone from the 150th
day after the last record's target date (cms-staffing-methodology.md §4.1).
A resident who really left without a discharge record inflates the census
until then; one who is still there falls out of it. Either way the facility
should send the discharge or the next assessment before the clock runs out
(seed "Pay Attention to MDS Discharge Assessments"). This report lists the
residents still counted on the run date whose clock runs out within the
horizon (default 30 days; a setting, like the 150 days of ``CensusConvention``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from carecover.errors import InputError
from carecover.mds.stays import RANK_IN_DAY, CensusConvention

__all__ = ["DEFAULT_HORIZON_DAYS", "CensusRisk", "census_risk"]

DEFAULT_HORIZON_DAYS = 30


@dataclass(frozen=True)
class CensusRisk:
    """A resident counted on the run date whose 150-day clock runs out soon."""

    facility: str
    gone_on: date
    days_left: int
    last_record_date: date
    last_a0310f: str
    resident_key: str
    first_name: str
    last_name: str


def census_risk(
    con: Any,
    as_of: date,
    *,
    facility: str | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    convention: CensusConvention | None = None,
) -> list[CensusRisk]:
    """Residents counted on ``as_of`` who leave the census in the next ``horizon_days`` days.

    "Counted" means the latest record up to ``as_of`` is not a discharge or
    death and is under ``gone_after_days`` old; ``gone_on`` is the first day
    the resident is no longer counted, if no record comes before it.
    """
    if horizon_days < 0:
        raise InputError(f"the horizon must be 0 days or more, not {horizon_days}")
    gone = (convention or CensusConvention()).gone_after_days
    rows = con.execute(
        f"""
        WITH latest AS (
            SELECT *, row_number() OVER (
                PARTITION BY ccn, resident_key
                ORDER BY target_date DESC, {RANK_IN_DAY} DESC, source_file DESC, record DESC
            ) AS rn
            FROM mds_assessments
            WHERE target_date <= $as_of AND target_date > $as_of::DATE - $gone::INTEGER
              AND ($facility IS NULL OR ccn = $facility)
        )
        SELECT ccn, (target_date + $gone::INTEGER)::DATE AS gone_on,
               target_date + $gone::INTEGER - $as_of::DATE, target_date, a0310f,
               resident_key, coalesce(first_name, ''), coalesce(last_name, '')
        FROM latest
        WHERE rn = 1 AND a0310f NOT IN ('10', '11', '12')
          AND target_date + $gone::INTEGER <= $as_of::DATE + $horizon::INTEGER
        ORDER BY ccn, gone_on, last_name, first_name, resident_key
        """,
        {"as_of": as_of, "gone": gone, "horizon": horizon_days, "facility": facility},
    ).fetchall()
    return [CensusRisk(f, g, int(n), t, a, k, fn, ln) for f, g, n, t, a, k, fn, ln in rows]
