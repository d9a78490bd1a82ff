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
from datetime import date, timedelta
from typing import TYPE_CHECKING

from carecover.engines.duckdb import rows_of as rows
from carecover.engines.duckdb import table_of as table
from carecover.errors import InputError
from carecover.mds.census_rule import OUT_CODES, latest_records
from carecover.mds.stays import CensusConvention

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

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
    con: DuckDBPyConnection,
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
    import ibis

    if horizon_days < 0:
        raise InputError(f"the horizon must be 0 days or more, not {horizon_days}")
    gone = (convention or CensusConvention()).gone_after_days
    records = table(con, "mds_assessments")
    if facility is not None:
        records = records.filter(records.ccn == facility)
    latest = latest_records(records, as_of, since=as_of - timedelta(days=gone))
    latest = latest.mutate(gone_on=latest.target_date + ibis.interval(days=gone))
    # Still counted (not out) and gone within the horizon.
    # A record counts for at most ``gone`` days, so no one is gone later than
    # that: a longer horizon finds no more (and a huge one is past year 9999).
    horizon = timedelta(days=min(horizon_days, gone))
    at_risk = latest.filter(~latest.a0310f.isin(OUT_CODES) & (latest.gone_on <= as_of + horizon))
    expr = at_risk.select(
        facility=at_risk.ccn,
        gone_on=at_risk.gone_on.cast("date"),
        last_record_date=at_risk.target_date,
        last_a0310f=at_risk.a0310f,
        resident_key=at_risk.resident_key,
        first_name=at_risk.first_name.fill_null(""),
        last_name=at_risk.last_name.fill_null(""),
    ).order_by(["facility", "gone_on", "last_name", "first_name", "resident_key"])
    return [
        CensusRisk(
            r["facility"],
            r["gone_on"],
            (r["gone_on"] - as_of).days,
            r["last_record_date"],
            r["last_a0310f"],
            r["resident_key"],
            r["first_name"],
            r["last_name"],
        )
        for r in rows(con, expr)
    ]
