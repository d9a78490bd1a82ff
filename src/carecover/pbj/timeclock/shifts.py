"""Worked time: punches split at midnight, summed per day, rounded, capped.

PBJ reports hours per employee, per date, per job title and pay type
(cms-staffing-methodology.md §1.2). A shift that crosses midnight belongs to
two dates, so punches are split at every midnight first. Pieces are summed
exactly (``Fraction``) and rounded half-up to two decimals only *after*
summing, so many short punches do not drift. The per-employee daily total over
all job codes is capped: 24.00 hours before 2026-03-22 (V1 edit -4015) and
22.5 hours from then on (V4.10.0, S4). The caps are data
(``carecover/data/pbj/daily_cap.csv``); going over is an error, never a
silent truncation.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources

from carecover.errors import ConfigError, FieldProblem, ValidationError

__all__ = [
    "DailyCap",
    "DayHours",
    "WorkedTime",
    "check_daily_cap",
    "daily_cap",
    "daily_caps",
    "round_hours",
    "split_at_midnight",
    "sum_worked_time",
]


@dataclass(frozen=True)
class WorkedTime:
    """Time one employee worked on one date in one job title and pay type."""

    employee_id: str
    day: date
    job_title_code: int
    pay_type_code: int
    hours: Fraction
    line: int  # the input line it came from


@dataclass(frozen=True)
class DayHours:
    """One PBJ ``hourEntry``: summed, rounded hours with the lines they came from."""

    employee_id: str
    day: date
    job_title_code: int
    pay_type_code: int
    hours: Decimal
    lines: tuple[int, ...]


@dataclass(frozen=True)
class DailyCap:
    """The most hours one employee ID may report on one date, from ``effective_from``."""

    effective_from: date
    max_hours: Decimal
    source: str
    confidence: str


def split_at_midnight(start: datetime, end: datetime) -> list[tuple[date, timedelta]]:
    """The pieces of ``start``–``end`` on each calendar date, in order.

    Midnight is taken in ``start``'s own clock (its tzinfo, or naive wall time).
    """
    if end <= start:
        raise ValueError("a shift must end after it starts")
    pieces: list[tuple[date, timedelta]] = []
    cursor = start
    while cursor < end:
        midnight = datetime.combine(cursor.date() + timedelta(days=1), time(0), cursor.tzinfo)
        stop = min(midnight, end)
        pieces.append((cursor.date(), stop - cursor))
        cursor = stop
    return pieces


def round_hours(hours: Fraction) -> Decimal:
    """``hours`` rounded half-up to two decimals (PBJ ``hours`` has 2 fraction digits)."""
    if hours < 0:
        raise ValueError("hours cannot be negative")
    hundredths = (hours * 100 + Fraction(1, 2)).__floor__()
    return Decimal(hundredths).scaleb(-2)


def sum_worked_time(items: Iterable[WorkedTime]) -> list[DayHours]:
    """Sum per employee, date, job title and pay type; round after summing.

    The result is sorted by employee, date, job title code and pay type code,
    the order the PBJ file groups them in.
    """
    totals: dict[tuple[str, date, int, int], Fraction] = defaultdict(Fraction)
    lines: dict[tuple[str, date, int, int], list[int]] = defaultdict(list)
    for item in items:
        key = (item.employee_id, item.day, item.job_title_code, item.pay_type_code)
        totals[key] += item.hours
        if item.line not in lines[key]:
            lines[key].append(item.line)
    return [
        DayHours(k[0], k[1], k[2], k[3], round_hours(totals[k]), tuple(sorted(lines[k])))
        for k in sorted(totals)
    ]


@cache
def daily_caps() -> tuple[DailyCap, ...]:
    """Every daily cap in ``daily_cap.csv``, oldest first."""
    text = (
        resources.files("carecover")
        .joinpath("data", "pbj", "daily_cap.csv")
        .read_text(encoding="utf-8")
    )
    try:
        caps = tuple(
            DailyCap(
                date.fromisoformat(row["effective_from"]),
                Decimal(row["max_hours_per_employee_day"]),
                row["source"],
                row["confidence"],
            )
            for row in csv.DictReader(text.splitlines())
        )
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise ConfigError(f"carecover/data/pbj/daily_cap.csv is malformed: {exc}") from None
    if not caps:
        raise ConfigError("carecover/data/pbj/daily_cap.csv lists no cap")
    return tuple(sorted(caps, key=lambda c: c.effective_from))


def daily_cap(day: date, caps: tuple[DailyCap, ...] | None = None) -> Decimal:
    """The daily cap in force on ``day`` (the earliest cap for dates before all of them)."""
    table = caps if caps is not None else daily_caps()
    current = table[0]
    for cap in table:
        if cap.effective_from <= day:
            current = cap
    return current.max_hours


def check_daily_cap(
    entries: Iterable[DayHours],
    *,
    file: str | None = None,
    caps: tuple[DailyCap, ...] | None = None,
) -> None:
    """Raise ``ValidationError`` listing every employee-date over the daily cap.

    The cap counts the rounded hours as they will appear in the file, summed
    over all job codes and pay types of that employee on that date.
    """
    totals: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    lines: dict[tuple[str, date], set[int]] = defaultdict(set)
    for entry in entries:
        key = (entry.employee_id, entry.day)
        totals[key] += entry.hours
        lines[key].update(entry.lines)
    problems: list[FieldProblem] = []
    for (employee, day), total in sorted(totals.items()):
        cap = daily_cap(day, caps)
        if total > cap:
            where = ", ".join(str(n) for n in sorted(lines[(employee, day)]))
            problems.append(
                FieldProblem(
                    "hours",
                    f"employee {employee} on {day.isoformat()}: {total} hours across job codes "
                    f"exceed the daily cap of {cap} (lines {where})",
                )
            )
    if problems:
        raise ValidationError(problems, file=file)
