"""Shift-level staffing rules from time-clock punches: RN 8 consecutive hours, full-time DON.

42 CFR 483.35 (pre-2024 text, restored 2026-02-02; cms-staffing-methodology.md
§5.1) asks for a registered nurse on site **at least 8 consecutive hours a
day** and a **full-time RN director of nursing (40 hours a week)**. PBJ daily
totals cannot show either; punches can.

Per facility-day:

- the RN punches (job codes in ``rn_job_codes``, by default 5 DON, 6 RN
  admin and 7 RN) are merged into *stretches* in which at least one RN is on
  site: overlapping and back-to-back shifts of different RNs join up
  (gaps and islands with window functions: ``onsite_days_expression``, an
  Ibis expression, run on DuckDB);
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
from typing import TYPE_CHECKING, Any

from carecover.errors import ConfigError, InputError
from carecover.pbj.jobmap import JobMapping
from carecover.pbj.timeclock.export import TimeclockRow, read_timeclock

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "DailyHours",
    "DonWeek",
    "OnsiteDay",
    "OnsiteReport",
    "OnsiteRules",
    "Shift",
    "onsite_days_expression",
    "onsite_from_timeclock",
    "onsite_measures",
    "onsite_rules",
    "onsite_weeks_expression",
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


#: The tables the rules read, as ``onsite_measures`` registers them on DuckDB.
_SHIFTS = {
    "facility_id": "string",
    "employee_id": "string",
    "job": "int32",
    "s": "timestamp",
    "e": "timestamp",
}
_DAILY = {
    "facility_id": "string",
    "employee_id": "string",
    "job": "int32",
    "workdate": "date",
    "hours": "float64",
}


@cache
def _compiled(rules: OnsiteRules) -> tuple[str, str]:
    """The two rules as DuckDB SQL over ``onsite_shifts`` and ``onsite_daily``, once per rules.

    Compiling costs a tenth of a second; a portal page or a property test
    measures many small sets of punches with the same rules.
    """
    import ibis

    from carecover.engines.duckdb import sql_of

    shifts = ibis.table(_SHIFTS, name="onsite_shifts")
    daily = ibis.table(_DAILY, name="onsite_daily")
    return (
        sql_of(onsite_days_expression(shifts, daily, rules)),
        sql_of(onsite_weeks_expression(shifts, daily, rules)),
    )


def _arrow(shifts: Sequence[Shift], daily: Sequence[DailyHours]) -> tuple[Any, Any]:
    import pyarrow as pa  # type: ignore[import-untyped]

    shift_table = pa.table(
        {
            "facility_id": pa.array([s.facility_id for s in shifts], pa.string()),
            "employee_id": pa.array([s.employee_id for s in shifts], pa.string()),
            "job": pa.array([s.job_title_code for s in shifts], pa.int32()),
            "s": pa.array([s.start for s in shifts], pa.timestamp("us")),
            "e": pa.array([s.end for s in shifts], pa.timestamp("us")),
        }
    )
    daily_table = pa.table(
        {
            "facility_id": pa.array([d.facility_id for d in daily], pa.string()),
            "employee_id": pa.array([d.employee_id for d in daily], pa.string()),
            "job": pa.array([d.job_title_code for d in daily], pa.int32()),
            "workdate": pa.array([d.day for d in daily], pa.date32()),
            "hours": pa.array([d.hours for d in daily], pa.float64()),
        }
    )
    return shift_table, daily_table


def _pieces(t: Any, *keep: str) -> Any:
    """Each interval ``s``..``e`` of ``t`` cut into one piece per day it touches.

    A piece has its ``workdate``, its bounds ``ps``..``pe`` and its length in
    microseconds ``us``; an interval ending at midnight does not touch the next day.
    """
    import ibis

    first = t.s.truncate("D")
    days = (
        (t.e - ibis.interval(microseconds=1)).truncate("D").date().delta(first.date(), unit="day")
    )
    cut = t.select(*keep, "s", "e", day=first + ibis.range(0, days + 1).unnest().as_interval("D"))
    piece_start = ibis.greatest(cut.s, cut.day)
    piece_end = ibis.least(cut.e, cut.day + ibis.interval(days=1))
    return cut.select(
        *keep,
        workdate=cut.day.date(),
        ps=piece_start,
        pe=piece_end,
        us=piece_end.delta(piece_start, unit="microsecond"),
    )


def _day_shifted(shifts: Any, rules: OnsiteRules) -> Any:
    # Times move back by the day start, so a "day" is a calendar date below.
    import ibis

    back = ibis.interval(minutes=rules.day_starts.hour * 60 + rules.day_starts.minute)
    return shifts.mutate(s=shifts.s - back, e=shifts.e - back)


def _calendar(pieces: Any, daily: Any) -> Any:
    """Every date from a facility's first day in the data to its last."""
    import ibis

    dated = pieces.select("facility_id", "workdate").union(
        daily.select("facility_id", "workdate"), distinct=False
    )
    span = dated.group_by("facility_id").agg(
        first_day=dated.workdate.min(), last_day=dated.workdate.max()
    )
    count = span.last_day.delta(span.first_day, unit="day")
    days = span.select(
        "facility_id",
        "first_day",
        "last_day",
        offset=ibis.range(0, count + 1).unnest(),
    )
    return days.select(
        "facility_id",
        "first_day",
        "last_day",
        workdate=(days.first_day.cast("timestamp") + days.offset.as_interval("D")).date(),
    )


def onsite_days_expression(shifts: Any, daily: Any, rules: OnsiteRules) -> Any:
    """Per facility-day: the longest RN stretch, its first and last punch, RN hours (Ibis).

    ``shifts`` has facility_id, employee_id, job, s, e (wall-clock timestamps);
    ``daily`` has facility_id, employee_id, job, workdate, hours.
    """
    import ibis

    shifted = _day_shifted(shifts, rules)
    pieces = _pieces(shifted, "facility_id", "employee_id", "job")
    calendar = _calendar(pieces, daily)
    rn_codes = sorted(rules.rn_job_codes)
    rn = shifted.filter(shifted.job.isin(rn_codes))
    # Gaps and islands: a shift starts a new stretch only when it begins after
    # every earlier shift of the facility has ended (back-to-back shifts join).
    earlier = ibis.window(group_by="facility_id", order_by=["s", "e"], rows=(None, -1))
    reach = rn.mutate(reach=rn.e.max().over(earlier))
    upto = ibis.window(group_by="facility_id", order_by=["s", "e"], rows=(None, 0))
    starts = (reach.reach.isnull() | (reach.s > reach.reach)).cast("int64")
    islands = reach.mutate(island=starts.sum().over(upto))
    stretches = islands.group_by(["facility_id", "island"]).agg(
        s=islands.s.min(), e=islands.e.max()
    )
    stretch_pieces = _pieces(stretches, "facility_id")
    back = ibis.interval(minutes=rules.day_starts.hour * 60 + rules.day_starts.minute)
    by_day = stretch_pieces.group_by(["facility_id", "workdate"]).agg(
        longest_us=stretch_pieces.us.max(),
        onsite_us=stretch_pieces.us.sum(),
        first_on=stretch_pieces.ps.min() + back,
        last_off=stretch_pieces.pe.max() + back,
    )
    rn_pieces = pieces.filter(pieces.job.isin(rn_codes))
    rn_total = rn_pieces.group_by(["facility_id", "workdate"]).agg(rn_us=rn_pieces.us.sum())
    keys = ["facility_id", "workdate"]
    joined = calendar.left_join(by_day, keys).left_join(rn_total, keys)
    longest = joined.longest_us.fill_null(0)
    threshold_us = round(rules.rn_consecutive_hours * _US_PER_HOUR)
    return joined.select(
        facility_id=calendar.facility_id,
        workdate=calendar.workdate,
        weekend=calendar.workdate.day_of_week.index() >= 5,
        longest=longest / _US_PER_HOUR,
        ok=longest >= threshold_us,
        first_on=joined.first_on,
        last_off=joined.last_off,
        onsite=joined.onsite_us.fill_null(0) / _US_PER_HOUR,
        rn_hours=joined.rn_us.fill_null(0) / _US_PER_HOUR,
    ).order_by(["facility_id", "workdate"])


def _week_of(workdate: Any, rules: OnsiteRules) -> Any:
    back = (workdate.day_of_week.index() - rules.week_starts + 7) % 7
    return (workdate.cast("timestamp") - back.as_interval("D")).date()


def onsite_weeks_expression(shifts: Any, daily: Any, rules: OnsiteRules) -> Any:
    """Per facility-week: the DON's hours and people, and whether the week is whole (Ibis)."""
    import ibis

    pieces = _pieces(_day_shifted(shifts, rules), "facility_id", "employee_id", "job")
    calendar = _calendar(pieces, daily)
    don_codes = sorted(rules.don_job_codes)
    don_pieces = pieces.filter(pieces.job.isin(don_codes))
    don_daily = daily.filter(daily.job.isin(don_codes))
    don = don_pieces.select(
        "facility_id", "employee_id", "workdate", hours=don_pieces.us / _US_PER_HOUR
    ).union(don_daily.select("facility_id", "employee_id", "workdate", "hours"), distinct=False)
    weeks = calendar.select(
        "facility_id", "first_day", "last_day", week_start=_week_of(calendar.workdate, rules)
    ).distinct()
    don_weeks = (
        don.mutate(week_start=_week_of(don.workdate, rules))
        .group_by(["facility_id", "week_start"])
        .aggregate(hours=lambda t: t.hours.sum(), employees=lambda t: t.employee_id.nunique())
    )
    joined = weeks.left_join(don_weeks, ["facility_id", "week_start"])
    week_end = (weeks.week_start.cast("timestamp") + ibis.interval(days=6)).date()
    return joined.select(
        facility_id=weeks.facility_id,
        week_start=weeks.week_start,
        week_end=week_end,
        hours=joined.hours.fill_null(0),
        employees=joined.employees.fill_null(0),
        complete=(weeks.week_start >= weeks.first_day) & (week_end <= weeks.last_day),
    ).order_by(["facility_id", "week_start"])


def onsite_measures(
    shifts: Sequence[Shift],
    daily: Sequence[DailyHours] = (),
    *,
    rules: OnsiteRules | None = None,
    con: DuckDBPyConnection = None,
) -> OnsiteReport:
    """RN stretches per facility-day and DON hours per week (Ibis rules, run on DuckDB).

    ``con`` is a DuckDB connection to run on (a new in-memory one by default).
    """
    import duckdb

    from carecover.engines.duckdb import rows_of_sql

    rules = rules or onsite_rules()
    days_sql, weeks_sql = _compiled(rules)
    own = con is None
    db = duckdb.connect(":memory:") if own else con
    shift_rows, daily_rows = _arrow(shifts, daily)
    db.register("onsite_shifts", shift_rows)
    db.register("onsite_daily", daily_rows)
    try:
        days = tuple(
            OnsiteDay(
                r["facility_id"],
                r["workdate"],
                bool(r["weekend"]),
                float(r["longest"]),
                bool(r["ok"]),
                r["first_on"],
                r["last_off"],
                float(r["onsite"]),
                float(r["rn_hours"]),
            )
            for r in rows_of_sql(db, days_sql)
        )
        # The threshold compares rounded hours, as a reader of the table would.
        weeks = tuple(
            DonWeek(
                r["facility_id"],
                r["week_start"],
                r["week_end"],
                float(r["hours"]),
                int(r["employees"]),
                bool(r["complete"]),
                (round(float(r["hours"]), 2) >= rules.don_full_time_hours)
                if r["complete"]
                else None,
            )
            for r in rows_of_sql(db, weeks_sql)
        )
    finally:
        db.unregister("onsite_shifts")
        db.unregister("onsite_daily")
        if own:
            db.close()
    return OnsiteReport(days, weeks, rules)
