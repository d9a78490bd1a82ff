"""Presence intervals per resident, built per record (not per day): the rule and its settings.

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
discharge day does not. The intervals themselves are one Ibis expression,
``census_rule.presence_intervals``, run on any engine; the same-day order is
``census_rule.rank_in_day``, which the reports (``census_risk``, ``reports``,
``sequencing``) use too.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CensusConvention"]


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
