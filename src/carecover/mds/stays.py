"""Presence intervals per resident, built per record in DuckDB SQL (not per day).

CMS's census rule (cms-staffing-methodology.md §4.1, TUG via the seed
article): take every record from one year before the period; a resident is
present on a day unless the latest record up to that day is a discharge
(A0310F 10, 11) or death (12), or that latest record's target date is 150 or
more days back ("gone from the 150th day after the last assessment"). An
entry record (01) opens or reopens a stay on A1600; any later record keeps
the resident present ("everybody else is present").

So each non-discharge record ``r`` with target ``t`` gives one half-open
interval ``[t, min(next record's target, t + 150))``; a discharge gives none.
Records on the same day are ordered entry/other before a discharge, except a
discharge that closes an earlier stay (its A1600 before that day), which
goes first so a same-day return reopens the stay.

Edge conventions are UNCONFIRMED in CMS text and therefore settings
(``CensusConvention``): by default the entry day counts as present and the
discharge day does not.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RANK_IN_DAY", "CensusConvention", "intervals_sql"]

# Order of records on the same target date: a discharge that closes an earlier
# stay (A1600 before its date) first, then entries and others, then a
# same-day discharge (see the module docstring).
RANK_IN_DAY = """CASE WHEN a0310f IN ('10', '11', '12')
                    THEN CASE WHEN entry_date < target_date THEN 0 ELSE 2 END
                    ELSE 1 END"""


@dataclass(frozen=True)
class CensusConvention:
    """The census edge conventions (UNCONFIRMED in CMS text, so configurable).

    ``entry_day_present``: the day of entry counts (only matters when the
    resident was not already present the day before).
    ``discharge_day_present``: the day of a discharge or death counts (when the
    resident was present the day before).
    ``gone_after_days``: with no record for this many days the resident is gone
    from that day on (CMS: 150).
    ``lookback_days``: records this many days before the period start are read
    (CMS: one year).
    """

    entry_day_present: bool = True
    discharge_day_present: bool = False
    gone_after_days: int = 150
    lookback_days: int = 365


def intervals_sql(convention: CensusConvention, *, with_groups: bool = True) -> str:
    """SQL for presence intervals over ``mds_assessments`` between ``$lo`` and ``$hi``.

    Columns: ``facility`` (A0100B), ``resident_key``, ``start_date`` (inclusive),
    ``end_date`` (exclusive), ``nursing_group`` (of the most recent record with one;
    NULL without ``with_groups``, which the census does not need).
    Parameters: ``$lo`` (first record date read), ``$hi`` (last day of the period).
    """
    if with_groups:
        group = """last_value(nullif(nursing_group, '') IGNORE NULLS) OVER (
                w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"""
        # Which of two same-day records is "most recent" decides the group.
        order = "t, rank_in_day, source_file, record"
    else:
        # Same-day records of one rank give the same intervals in either order.
        group, order = "NULL::VARCHAR", "t, rank_in_day"
    gone = int(convention.gone_after_days)
    entry_shift = 0 if convention.entry_day_present else 1
    discharge_day = 1 if convention.discharge_day_present else 0
    return f"""
    WITH recs AS (
        SELECT ccn AS facility, resident_key, target_date AS t, a0310f,
               a0310f IN ('10', '11', '12') AS is_out,
               nursing_group,
               {RANK_IN_DAY} AS rank_in_day,
               record, source_file
        FROM mds_assessments
        WHERE target_date BETWEEN $lo AND $hi
    ), ordered AS (
        SELECT *,
            lead(t) OVER w AS next_t,
            lag(t) OVER w AS prev_t,
            lag(is_out) OVER w AS prev_out,
            {group} AS current_group
        FROM recs
        WINDOW w AS (PARTITION BY facility, resident_key ORDER BY {order})
    ), flagged AS (
        SELECT *,
            -- present the day before: the previous record kept them in and its clock ran
            coalesce(NOT prev_out AND t - prev_t <= {gone}, false) AS present_before
        FROM ordered
    ), raw AS (
        SELECT facility, resident_key, current_group AS nursing_group,
            CASE WHEN a0310f = '01' AND NOT present_before THEN t + {entry_shift} ELSE t END
                AS start_date,
            least(coalesce(next_t, t + {gone}), t + {gone}) AS end_date
        FROM flagged WHERE NOT is_out
        UNION ALL
        SELECT facility, resident_key, current_group, t, least(coalesce(next_t, t + 1), t + 1)
        FROM flagged WHERE is_out AND present_before AND {discharge_day} = 1
    )
    SELECT facility, resident_key, start_date::DATE AS start_date,
           end_date::DATE AS end_date, nursing_group
    FROM raw WHERE start_date < end_date
    """
