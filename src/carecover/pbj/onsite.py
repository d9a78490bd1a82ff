"""Shift-level staffing rules from time-clock punches: RN 8 consecutive hours, full-time DON.

42 CFR 483.35 (pre-2024 text, restored 2026-02-02; cms-staffing-methodology.md
§5.1) asks for a registered nurse on site **at least 8 consecutive hours a
day** and a **full-time RN director of nursing (40 hours a week)**. PBJ daily
totals cannot show either; punches can.

Per facility-day:

- the RN punches (job codes in ``rn_job_codes``, by default 5 DON, 6 RN
  admin and 7 RN) are merged into *stretches* in which at least one RN is on
  site: overlapping and back-to-back shifts of different RNs join up
  (gaps-and-islands with window functions, in DuckDB);
- each stretch is cut at the day boundary (``day_starts``, midnight by
  default, as PBJ splits hours) and the day keeps its longest piece, so a
  19:00–07:30 shift is 5 hours on the first day and 7.5 on the next;
- ``rn_8h_consecutive`` says whether that piece reaches
  ``rn_consecutive_hours`` (8).

Per week (``week_starts``, Monday by default): the hours of the DON job codes
(punches cut at the day boundary, plus daily-hours rows), and
``don_full_time`` (at least ``don_full_time_hours_per_week``, 40). A week that
is only partly inside the span of the data has ``don_full_time`` ``None``.

Every threshold and convention is data (``data/pbj/onsite_rules.csv``), with
its source and confidence. Timestamps carrying a UTC offset are read as wall
clock in the offset of their punch-in.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from carecover.errors import ConfigError, InputError
from carecover.pbj.jobmap import JobMapping
from carecover.pbj.timeclock import TimeclockRow, read_timeclock

__all__ = [
    "DailyHours",
    "DonWeek",
    "OnsiteDay",
    "OnsiteReport",
    "OnsiteRules",
    "Shift",
    "onsite_from_timeclock",
    "onsite_measures",
    "onsite_rules",
]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_US_PER_HOUR = 3_600_000_000


@dataclass(frozen=True)
class OnsiteRules:
    """Thresholds and conventions of the on-site measures (``onsite_rules.csv``)."""

    rn_job_codes: frozenset[int]
    don_job_codes: frozenset[int]
    rn_consecutive_hours: float = 8.0
    don_full_time_hours: float = 40.0
    week_starts: int = 0  # 0 Monday ... 6 Sunday
    day_starts: time = time(0, 0)


def _codes(text: str, name: str) -> frozenset[int]:
    try:
        codes = frozenset(int(part) for part in text.split(";") if part.strip())
    except ValueError:
        raise ConfigError(f"onsite_rules.csv: {name} must be codes like 5;6;7") from None
    if not codes or any(not 1 <= c <= 40 for c in codes):
        raise ConfigError(f"onsite_rules.csv: {name} must list job title codes 1-40")
    return codes


@cache
def _shipped_rules() -> OnsiteRules:
    text = resources.files("carecover").joinpath("data", "pbj", "onsite_rules.csv")
    return _rules_from_text(text.read_text(encoding="utf-8"), "onsite_rules.csv")


def _rules_from_text(text: str, name: str) -> OnsiteRules:
    values = {row["setting"]: row["value"].strip() for row in csv.DictReader(text.splitlines())}
    try:
        week = values["week_starts"].lower()
        if week not in _WEEKDAYS:
            raise ConfigError(f"{name}: week_starts must be a weekday name, got {week!r}")
        return OnsiteRules(
            rn_job_codes=_codes(values["rn_job_codes"], "rn_job_codes"),
            don_job_codes=_codes(values["don_job_codes"], "don_job_codes"),
            rn_consecutive_hours=float(values["rn_consecutive_hours"]),
            don_full_time_hours=float(values["don_full_time_hours_per_week"]),
            week_starts=_WEEKDAYS.index(week),
            day_starts=time.fromisoformat(values["day_starts"]),
        )
    except KeyError as exc:
        raise ConfigError(f"{name}: missing setting {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def onsite_rules(path: Path | None = None) -> OnsiteRules:
    """The on-site rules from ``path`` (same columns as the shipped file) or the shipped file."""
    if path is None:
        return _shipped_rules()
    return _rules_from_text(Path(path).read_text(encoding="utf-8-sig"), str(path))


@dataclass(frozen=True)
class Shift:
    """One punch pair: wall-clock start and end (naive), end after start."""

    facility_id: str
    employee_id: str
    job_title_code: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DailyHours:
    """A daily-hours row (no times): counts for the DON's week, not for RN stretches."""

    facility_id: str
    employee_id: str
    job_title_code: int
    day: date
    hours: float


@dataclass(frozen=True)
class OnsiteDay:
    """One facility-day: the longest stretch with an RN on site."""

    facility_id: str
    workdate: date
    weekend: bool
    longest_rn_stretch_hours: float
    rn_8h_consecutive: bool
    first_rn_on: datetime | None
    last_rn_off: datetime | None
    rn_onsite_hours: float  # hours with at least one RN on site
    rn_hours: float  # RN hours summed over RNs (overlaps counted for each RN)


@dataclass(frozen=True)
class DonWeek:
    """One facility-week: the DON's hours."""

    facility_id: str
    week_start: date
    week_end: date
    don_hours: float
    don_employees: int
    complete: bool  # every day of the week is inside the span of the data
    don_full_time: bool | None  # None for a partial week


@dataclass(frozen=True)
class OnsiteReport:
    """Daily RN stretches, weekly DON hours, and what was read."""

    days: tuple[OnsiteDay, ...]
    weeks: tuple[DonWeek, ...]
    rules: OnsiteRules
    punch_rows: int = 0
    daily_rows: int = 0
    rows_for_other_facilities: int = 0

    @property
    def days_short(self) -> int:
        """Days without ``rn_consecutive_hours`` consecutive RN hours."""
        return sum(not d.rn_8h_consecutive for d in self.days)

    @property
    def weeks_don_short(self) -> int:
        """Complete weeks in which the DON worked under the full-time threshold."""
        return sum(w.don_full_time is False for w in self.weeks)


def _wall_clock(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if start.tzinfo is None:
        return start, end
    return start.replace(tzinfo=None), end.astimezone(start.tzinfo).replace(tzinfo=None)


def _inputs(
    rows: Sequence[TimeclockRow], facility_id: str | None
) -> tuple[list[Shift], list[DailyHours], int]:
    shifts: list[Shift] = []
    daily: list[DailyHours] = []
    others = 0
    for row in rows:
        if facility_id is not None and row.facility_id not in (None, facility_id):
            others += 1
            continue
        facility = facility_id or row.facility_id or ""
        if row.punch_in is not None and row.punch_out is not None:
            start, end = _wall_clock(row.punch_in, row.punch_out)
            shifts.append(Shift(facility, row.employee_id, row.job_title_code, start, end))
        elif row.work_date is not None and row.hours is not None:
            daily.append(
                DailyHours(
                    facility, row.employee_id, row.job_title_code, row.work_date, float(row.hours)
                )
            )
    return shifts, daily, others


def onsite_from_timeclock(
    path: Path,
    *,
    facility_id: str | None = None,
    rules: OnsiteRules | None = None,
    mapping: JobMapping | None = None,
) -> OnsiteReport:
    """The on-site measures of a time-clock CSV (docs/pbj-export.md format).

    With ``facility_id``, only rows of that facility (or with a blank
    ``facility_id``) count; otherwise each ``facility_id`` of the file is
    measured on its own.
    """
    rows = read_timeclock(path, mapping)
    wanted = " ".join(facility_id.split()) if facility_id else None
    shifts, daily, others = _inputs(rows, wanted)
    if not shifts and not daily:
        which = f" for facility {wanted}" if wanted else ""
        raise InputError(f"no rows to measure{which}", file=str(path))
    if not shifts:
        raise InputError(
            "no punch rows (punch_in/punch_out): RN stretches need clock times", file=str(path)
        )
    report = onsite_measures(shifts, daily, rules=rules)
    return replace(
        report, punch_rows=len(shifts), daily_rows=len(daily), rows_for_other_facilities=others
    )


def _load(con: Any, shifts: Sequence[Shift], daily: Sequence[DailyHours]) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE onsite_shifts AS SELECT unnest($1::VARCHAR[]) AS "
        "facility_id, unnest($2::VARCHAR[]) AS employee_id, unnest($3::INTEGER[]) AS job, "
        "unnest($4::TIMESTAMP[]) AS s, unnest($5::TIMESTAMP[]) AS e",
        [
            [s.facility_id for s in shifts],
            [s.employee_id for s in shifts],
            [s.job_title_code for s in shifts],
            [s.start for s in shifts],
            [s.end for s in shifts],
        ],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE onsite_daily AS SELECT unnest($1::VARCHAR[]) AS "
        "facility_id, unnest($2::VARCHAR[]) AS employee_id, unnest($3::INTEGER[]) AS job, "
        "unnest($4::DATE[]) AS workdate, unnest($5::DOUBLE[]) AS hours",
        [
            [d.facility_id for d in daily],
            [d.employee_id for d in daily],
            [d.job_title_code for d in daily],
            [d.day for d in daily],
            [d.hours for d in daily],
        ],
    )


def _in_list(codes: frozenset[int]) -> str:
    return ", ".join(str(int(c)) for c in sorted(codes))


def _sql(rules: OnsiteRules) -> tuple[str, str]:
    # Times move back by the day start, so a "day" is a calendar date below.
    shift = f"INTERVAL {rules.day_starts.hour * 60 + rules.day_starts.minute} MINUTE"
    threshold_us = round(rules.rn_consecutive_hours * _US_PER_HOUR)
    common = f"""
    WITH shifted AS (
        SELECT facility_id, employee_id, job, s - {shift} AS s, e - {shift} AS e
        FROM onsite_shifts
    ),
    -- Each shift cut into one piece per day it touches.
    shift_pieces AS (
        SELECT facility_id, employee_id, job, d::DATE AS workdate,
               greatest(s, d) AS ps, least(e, d + INTERVAL 1 DAY) AS pe
        FROM (
            SELECT *, unnest(generate_series(date_trunc('day', s)::TIMESTAMP,
                                             e - INTERVAL 1 MICROSECOND, INTERVAL 1 DAY)) AS d
            FROM shifted
        )
    ),
    span AS (
        SELECT facility_id, min(workdate) AS first_day, max(workdate) AS last_day
        FROM (SELECT facility_id, workdate FROM shift_pieces
              UNION ALL SELECT facility_id, workdate FROM onsite_daily)
        GROUP BY facility_id
    ),
    calendar AS (
        SELECT facility_id, first_day, last_day,
               unnest(generate_series(first_day, last_day, INTERVAL 1 DAY))::DATE AS workdate
        FROM span
    )"""
    days = f"""{common},
    rn AS (
        SELECT facility_id, s, e FROM shifted WHERE job IN ({_in_list(rules.rn_job_codes)})
    ),
    -- Gaps and islands: a shift starts a new stretch only when it begins after
    -- every earlier shift of the facility has ended (back-to-back shifts join).
    reach AS (
        SELECT *, max(e) OVER (PARTITION BY facility_id ORDER BY s, e
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
        FROM rn
    ),
    islands AS (
        SELECT *, sum(CASE WHEN reach IS NULL OR s > reach THEN 1 ELSE 0 END)
                  OVER (PARTITION BY facility_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island
        FROM reach
    ),
    stretches AS (
        SELECT facility_id, min(s) AS s, max(e) AS e FROM islands GROUP BY facility_id, island
    ),
    stretch_pieces AS (
        SELECT facility_id, d::DATE AS workdate,
               date_diff('microsecond', greatest(s, d), least(e, d + INTERVAL 1 DAY)) AS us,
               greatest(s, d) AS ps, least(e, d + INTERVAL 1 DAY) AS pe
        FROM (
            SELECT *, unnest(generate_series(date_trunc('day', s)::TIMESTAMP,
                                             e - INTERVAL 1 MICROSECOND, INTERVAL 1 DAY)) AS d
            FROM stretches
        )
    ),
    by_day AS (
        SELECT facility_id, workdate, max(us) AS longest_us, sum(us) AS onsite_us,
               min(ps) + {shift} AS first_on, max(pe) + {shift} AS last_off
        FROM stretch_pieces GROUP BY facility_id, workdate
    ),
    rn_total AS (
        SELECT facility_id, workdate, sum(date_diff('microsecond', ps, pe)) AS rn_us
        FROM shift_pieces WHERE job IN ({_in_list(rules.rn_job_codes)})
        GROUP BY facility_id, workdate
    )
    SELECT c.facility_id, c.workdate, isodow(c.workdate) >= 6 AS weekend,
           coalesce(b.longest_us, 0) / {_US_PER_HOUR} AS longest,
           coalesce(b.longest_us, 0) >= {threshold_us} AS ok,
           b.first_on, b.last_off,
           coalesce(b.onsite_us, 0) / {_US_PER_HOUR} AS onsite,
           coalesce(t.rn_us, 0) / {_US_PER_HOUR} AS rn_hours
    FROM calendar c
    LEFT JOIN by_day b USING (facility_id, workdate)
    LEFT JOIN rn_total t USING (facility_id, workdate)
    ORDER BY c.facility_id, c.workdate
    """
    dons = _in_list(rules.don_job_codes)
    week_of = f"(workdate - ((isodow(workdate) - 1 - {rules.week_starts} + 7) % 7)::INTEGER)"
    weeks = f"""{common},
    don AS (
        SELECT facility_id, employee_id, workdate,
               date_diff('microsecond', ps, pe) / {_US_PER_HOUR} AS hours
        FROM shift_pieces WHERE job IN ({dons})
        UNION ALL
        SELECT facility_id, employee_id, workdate, hours FROM onsite_daily WHERE job IN ({dons})
    ),
    weeks AS (
        SELECT DISTINCT facility_id, first_day, last_day, {week_of} AS week_start FROM calendar
    ),
    don_weeks AS (
        SELECT facility_id, {week_of} AS week_start, sum(hours) AS hours,
               count(DISTINCT employee_id) AS employees
        FROM don GROUP BY ALL
    )
    SELECT w.facility_id, w.week_start, w.week_start + 6 AS week_end,
           coalesce(d.hours, 0) AS hours, coalesce(d.employees, 0) AS employees,
           w.week_start >= w.first_day AND w.week_start + 6 <= w.last_day AS complete
    FROM weeks w LEFT JOIN don_weeks d USING (facility_id, week_start)
    ORDER BY w.facility_id, w.week_start
    """
    return days, weeks


def onsite_measures(
    shifts: Sequence[Shift],
    daily: Sequence[DailyHours] = (),
    *,
    rules: OnsiteRules | None = None,
    con: Any = None,
) -> OnsiteReport:
    """RN stretches per facility-day and DON hours per week, computed in DuckDB."""
    import duckdb

    rules = rules or onsite_rules()
    own = con is None
    db = duckdb.connect(":memory:") if own else con
    try:
        _load(db, shifts, daily)
        days_sql, weeks_sql = _sql(rules)
        days = tuple(
            OnsiteDay(f, d, bool(we), float(lo), bool(ok), on, off, float(os), float(rh))
            for f, d, we, lo, ok, on, off, os, rh in db.execute(days_sql).fetchall()
        )
        # The threshold compares rounded hours, as a reader of the table would.
        weeks = tuple(
            DonWeek(
                f,
                ws,
                we,
                float(h),
                int(n),
                bool(c),
                (round(float(h), 2) >= rules.don_full_time_hours) if c else None,
            )
            for f, ws, we, h, n, c in db.execute(weeks_sql).fetchall()
        )
    finally:
        db.execute("DROP TABLE IF EXISTS onsite_shifts")
        db.execute("DROP TABLE IF EXISTS onsite_daily")
        if own:
            db.close()
    return OnsiteReport(days, weeks, rules)
