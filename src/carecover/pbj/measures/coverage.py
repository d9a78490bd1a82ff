"""RN coverage: each facility's days without an RN and with under 8 RN hours.

Built on ``measures.daily_measures`` (Ibis), so the rules are the same:
DON and RN-admin hours count as RN; a day without an RN counts only when
residents were present (cms-staffing-methodology.md §3c rule 3); the
regulation asks for an RN 8 consecutive hours a day, 7 days a week (42 CFR
483.35(b), §5) — the public file has daily totals only, so "under 8 RN
hours" is a *days below threshold* count, not a finding of non-compliance.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from carecover.engines import Engine
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.staffing import daily_measures, to_rows
from carecover.pbj.sources import Source

__all__ = ["CoverageDay", "month_grid", "rn_coverage"]


@dataclass(frozen=True)
class CoverageDay:
    """One reported facility-day and whether an RN covered it."""

    provnum: str
    quarter: str
    workdate: date
    weekend: bool
    census: int
    rn_hours: float | None
    zero_rn: bool
    rn_under_8h: bool

    @property
    def mark(self) -> str:
        """``X`` no RN, ``<`` under 8 RN hours, ``.`` covered, ``-`` no residents or no data."""
        if self.zero_rn:
            return "X"
        if self.rn_under_8h:
            return "<"
        if self.census <= 0 or self.rn_hours is None:
            return "-"
        return "."


def rn_coverage(
    source: Source,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    engine: Engine | None = None,
) -> list[CoverageDay]:
    """Every reported facility-day with its RN coverage flags, by facility and date."""
    table = daily_measures(source, quarter=quarter, facility=facility, engine=engine)
    rows = to_rows(table) if engine is None else engine.to_rows(table)
    return [
        CoverageDay(
            provnum=r["provnum"],
            quarter=r["quarter"],
            workdate=r["workdate"],
            weekend=bool(r["weekend"]),
            census=int(r["census"]),
            rn_hours=r["rn_hours"],
            zero_rn=bool(r["zero_rn"]),
            rn_under_8h=bool(r["rn_under_8h"]),
        )
        for r in rows
    ]


def month_grid(days: list[CoverageDay]) -> list[str]:
    """Text calendars (Monday first) of one or more facilities' months.

    Each cell is the day of the month and its ``mark``; Saturday and Sunday
    columns are headed ``Sa*``/``Su*``; blank cells were not reported.
    """
    lines: list[str] = []
    for provnum, facility_days in groupby(days, key=lambda d: d.provnum):
        listed = list(facility_days)
        zero = sum(d.zero_rn for d in listed)
        under = sum(d.rn_under_8h for d in listed)
        weekend_zero = sum(d.zero_rn and d.weekend for d in listed)
        lines.append(
            f"{provnum}: {zero} day(s) without an RN ({weekend_zero} on weekends), "
            f"{under} day(s) under 8 RN hours"
        )
        by_day = {d.workdate: d for d in listed}
        for (year, month), _ in groupby(listed, key=lambda d: (d.workdate.year, d.workdate.month)):
            lines.append(f"  {calendar.month_name[month]} {year}")
            lines.append("  " + " ".join(f"{h:>4}" for h in _HEADINGS))
            for week in calendar.Calendar().monthdatescalendar(year, month):
                cells = []
                for day in week:
                    found = by_day.get(day) if day.month == month else None
                    cells.append(f"{day.day:>3}{found.mark}" if found else "    ")
                if any(c.strip() for c in cells):
                    lines.append("  " + " ".join(cells).rstrip())
        lines.append(
            "  X no RN hours (residents present)  < under 8 RN hours  . covered  "
            "- no residents or RN hours blank  (empty) not reported"
        )
        lines.append("")
    return lines


_HEADINGS = ("Mo", "Tu", "We", "Th", "Fr", "Sa*", "Su*")
