"""Reporting periods for backup-staffing reports.

Partners' practice (Nov 2022 notice): periods run the 1st–15th and the
16th–last day of the month, and reports are due 5 days after a period ends.
Older wording says "bi-weekly", so strict 14-day cycles from an anchor date
are supported too. Every calendar day falls in exactly one period.

For the roll-ups the CLI also takes a month (``2026-10``) or a calendar
quarter (``2026Q4``); a quarterly roll-up accepts either, a month meaning the
quarter that contains it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from carecover.errors import InputError

__all__ = [
    "PeriodScheme",
    "ReportingPeriod",
    "SchemeKind",
    "month_bounds",
    "parse_month",
    "parse_quarter",
    "quarter_bounds",
    "quarter_for",
]

DEFAULT_GRACE_DAYS = 5


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    """One reporting period: ``start``..``end`` inclusive, reports due by ``due``."""

    start: date
    end: date
    due: date

    @property
    def label(self) -> str:
        """The period as ``2026-10-01..2026-10-15``."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the period."""
        return self.start <= day <= self.end


class SchemeKind(StrEnum):
    """How the calendar is cut into reporting periods."""

    SEMI_MONTHLY = "semi-monthly"
    CYCLES = "14-day"


@dataclass(frozen=True)
class PeriodScheme:
    """A way of cutting the calendar into reporting periods (a value object)."""

    kind: SchemeKind
    grace_days: int = DEFAULT_GRACE_DAYS
    anchor: date | None = None
    length_days: int = 14

    def __post_init__(self) -> None:
        if self.grace_days < 0:
            raise ValueError("grace_days must be >= 0")
        if self.kind is SchemeKind.CYCLES and (self.anchor is None or self.length_days < 1):
            raise ValueError("a cycle scheme needs an anchor date and a length >= 1 day")

    @classmethod
    def semi_monthly(cls, grace_days: int = DEFAULT_GRACE_DAYS) -> PeriodScheme:
        """1st–15th and 16th–end of month, due ``grace_days`` after the end (Partners)."""
        return cls(SchemeKind.SEMI_MONTHLY, grace_days)

    @classmethod
    def cycles(
        cls, anchor: date, length_days: int = 14, grace_days: int = DEFAULT_GRACE_DAYS
    ) -> PeriodScheme:
        """Fixed-length cycles starting on ``anchor`` (and repeating before it too)."""
        return cls(SchemeKind.CYCLES, grace_days, anchor, length_days)

    def period_for(self, day: date) -> ReportingPeriod:
        """The one period that contains ``day``."""
        if self.kind is SchemeKind.SEMI_MONTHLY:
            if day.day <= 15:
                start, end = day.replace(day=1), day.replace(day=15)
            else:
                last = calendar.monthrange(day.year, day.month)[1]
                start, end = day.replace(day=16), day.replace(day=last)
        else:
            assert self.anchor is not None
            # Floor division keeps days before the anchor in whole cycles too.
            index = (day - self.anchor).days // self.length_days
            start = self.anchor + timedelta(days=index * self.length_days)
            end = start + timedelta(days=self.length_days - 1)
        return ReportingPeriod(start, end, end + timedelta(days=self.grace_days))

    def periods_between(self, first: date, last: date) -> list[ReportingPeriod]:
        """Every period overlapping ``first``..``last`` (inclusive), in order."""
        if last < first:
            raise InputError(f"the range ends ({last}) before it starts ({first})")
        periods: list[ReportingPeriod] = []
        period = self.period_for(first)
        while period.start <= last:
            periods.append(period)
            period = self.period_for(period.end + timedelta(days=1))
        return periods

    @property
    def label(self) -> str:
        """A short human description of the scheme."""
        if self.kind is SchemeKind.SEMI_MONTHLY:
            return f"semi-monthly (1st–15th, 16th–end), due {self.grace_days} days after"
        return f"{self.length_days}-day cycles from {self.anchor}, due {self.grace_days} days after"


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the month containing ``day``."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def quarter_for(day: date) -> date:
    """First day of the calendar quarter containing ``day``."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar quarter containing ``day``."""
    start = quarter_for(day)
    end_month = start.month + 2
    return start, date(start.year, end_month, calendar.monthrange(start.year, end_month)[1])


def parse_month(text: str) -> date:
    """``2026-10`` -> 1 Oct 2026; anything else is an ``InputError``."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise InputError(f"expected a month like 2026-10, got {text!r}", field="--period")
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_quarter(text: str) -> date:
    """``2026Q4`` (or a month inside it, ``2026-10``) -> 1 Oct 2026, the quarter's first day."""
    cleaned = text.strip()
    match = _QUARTER.match(cleaned)
    if match and int(match.group(1)) >= 1:
        return date(int(match.group(1)), 3 * (int(match.group(2)) - 1) + 1, 1)
    if _MONTH.match(cleaned):
        return quarter_for(parse_month(cleaned))
    raise InputError(
        f"expected a quarter like 2026Q4 or a month like 2026-10, got {text!r}", field="--period"
    )
