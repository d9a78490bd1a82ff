"""The schedule ahead, read from a CSV: ``date,census,rn_hours,total_hours[,aide_hours]``.

One row per planned day (ISO date). ``total_hours`` includes the RN hours
(RN + LPN + aides, as in PBJ). A day with residents and ``rn_hours`` 0 is a
planned day without an RN and counts against the one-star allowance. A day
must hold what a PBJ day may (``pbj.publicfile.plausible``): at most 2,000
residents and no more hours than 24 per resident plus 240.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from pathlib import Path

from carecover.errors import InputError
from carecover.pbj.publicfile.plausible import value_bounds
from carecover.rating.projection import DayFigures

__all__ = ["SCHEDULE_COLUMNS", "read_schedule"]

SCHEDULE_COLUMNS = ("date", "census", "rn_hours", "total_hours")


def _number(text: str, file: str, line: int, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"not a number: {text!r}", file=file, line=line, field=field) from None
    if not 0 <= value < math.inf:  # NaN fails this too
        raise InputError(
            f"must be 0 or more and finite, got {text!r}", file=file, line=line, field=field
        )
    return value


def _shown(value: float) -> str:
    """``5000000`` rather than ``5e+06``; ``1e+308`` stays short."""
    return f"{value:.0f}" if value.is_integer() and value < 1e15 else f"{value:g}"


def _plausible(day: DayFigures, file: str, line: int) -> None:
    """A planned day holds what a PBJ day may hold (the public files' bounds, ``plausible``)."""
    bounds = value_bounds()
    if day.census > bounds.max_census:
        raise InputError(
            f"implausible census {_shown(day.census)} (more than {bounds.max_census} residents)",
            file=file,
            line=line,
            field="census",
        )
    limit = bounds.hours_limit(day.census)
    for field in ("rn_hours", "total_hours", "aide_hours"):
        hours = getattr(day, field)
        if hours > limit:
            raise InputError(
                f"implausible hours {_shown(hours)} in one day (above"
                f" {bounds.hours_per_resident_day:g} h x {_shown(day.census)} resident(s)"
                f" + {bounds.hours_margin_per_day:g} h = {_shown(limit)})",
                file=file,
                line=line,
                field=field,
            )


def read_schedule(path: str | Path) -> list[DayFigures]:
    """Planned days from a schedule CSV (errors name the line and column)."""
    file = str(path)
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in SCHEDULE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=file, line=1)
    days: dict[date, DayFigures] = {}
    for line, row in enumerate(reader, start=2):
        try:
            day = date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            raise InputError(
                f"not a date like 2024-06-01: {row['date']!r}", file=file, line=line, field="date"
            ) from None
        if day in days:
            raise InputError(f"{day} is planned twice", file=file, line=line, field="date")
        rn = _number(row["rn_hours"], file, line, "rn_hours")
        total = _number(row["total_hours"], file, line, "total_hours")
        if total < rn:
            raise InputError(
                "total_hours must include rn_hours", file=file, line=line, field="total_hours"
            )
        aide_text = (row.get("aide_hours") or "").strip()
        planned = DayFigures(
            workdate=day,
            census=_number(row["census"], file, line, "census"),
            rn_hours=rn,
            total_hours=total,
            aide_hours=_number(aide_text, file, line, "aide_hours") if aide_text else 0.0,
        )
        _plausible(planned, file, line)
        days[day] = planned
    return sorted(days.values(), key=lambda d: d.workdate)
