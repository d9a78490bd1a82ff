"""The Care Compare release calendar: which release rates a quarter, and how.

CMS rates a PBJ quarter in a later Care Compare refresh (about four months
after the quarter ends, past the 45-day PBJ deadline), under the method of
that refresh, not of the quarter: CY2018Q4 was rated in April 2019 under the
4-day rule, CY2024Q1 in July 2024 with PDPM case-mix. ``releases.csv`` lists
each refresh: its date, the PBJ quarter its staffing figures use, the MDS
period whose resident-days give the case-mix, the method, the national
figures (``national_averages.csv``) and sources. Some refreshes held the
previous figures (July 2020, April 2024): the quarters they skipped were
never rated.

``release_for_quarter(q)`` is the release that rates ``q`` (past the last
listed release it follows the usual pattern and says so);
``release(name)`` picks one by name (``2024-07``, or any month: the release
in force then); ``release_on(day)`` the one in force on a date.
``Release.method`` is the method with the revisions of that date and the
release's national figures.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from carecover.errors import ConfigError, InputError, NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.rating.methods import Method, data_text, method, method_on

__all__ = ["Release", "release", "release_for_quarter", "release_on", "releases"]

FILE = "releases.csv"
COLUMNS = (
    "release",
    "date",
    "pbj_quarter",
    "mds_period",
    "method",
    "national_figures",
    "source",
    "confidence",
    "date_source",
    "date_confidence",
    "note",
)
# A quarter ending in month M is first rated in the refresh of month M + 4.
MONTHS_AFTER_QUARTER = 4


@dataclass(frozen=True)
class Release:
    """One Care Compare refresh and what its staffing rating uses."""

    name: str  # YYYY-MM
    date: date
    pbj_quarter: Quarter
    mds_period: Quarter
    method_name: str
    national_figures: str | None
    source: str
    confidence: str
    date_source: str
    date_confidence: str
    note: str = ""
    projected: bool = False  # beyond the calendar: the usual pattern, assumed

    @property
    def method(self) -> Method:
        """The method of this release, revised to its date, with its national figures."""
        m = method(self.method_name).on(self.date)
        if self.national_figures:
            m = replace(m, casemix=replace(m.casemix, release=self.national_figures))
        return m

    def describe(self) -> str:
        """One line: the release, its date, the quarter it rates and the method."""
        words = (
            f"Care Compare release {self.name} ({self.date}) rates PBJ {self.pbj_quarter} "
            f"with method {self.method_name}"
        )
        if self.projected:
            words += " (projected: beyond the release calendar, the usual pattern assumed)"
        return words


def _quarter(text: str, line: int, field: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except (ValueError, InputError):
        raise ConfigError(f"data/rating/{FILE}:{line}: {field}: not a quarter {text!r}") from None


@cache
def releases() -> tuple[Release, ...]:
    """Every release of the calendar, oldest first (checked: dated, in order, known methods)."""
    reader = csv.DictReader(data_text(FILE).splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ConfigError(f"data/rating/{FILE}: columns must be {', '.join(COLUMNS)}")
    out: list[Release] = []
    for line, row in enumerate(reader, start=2):
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            raise ConfigError(f"data/rating/{FILE}:{line}: date: {row['date']!r}") from None
        method(row["method"])  # an unknown method is a ConfigError-worthy NotFoundError
        out.append(
            Release(
                name=row["release"],
                date=day,
                pbj_quarter=_quarter(row["pbj_quarter"], line, "pbj_quarter"),
                mds_period=_quarter(row["mds_period"], line, "mds_period"),
                method_name=row["method"],
                national_figures=row["national_figures"] or None,
                source=row["source"],
                confidence=row["confidence"],
                date_source=row["date_source"],
                date_confidence=row["date_confidence"],
                note=row["note"],
            )
        )
    if [r.date for r in out] != sorted({r.date for r in out}):
        raise ConfigError(f"data/rating/{FILE}: releases must be in date order, once each")
    return tuple(out)


def _last_wednesday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return date.fromordinal(last.toordinal() - (last.weekday() - 2) % 7)


def _projected(quarter: Quarter) -> Release:
    """The release that will rate ``quarter`` when the calendar does not reach it yet."""
    last = releases()[-1]
    months = quarter.end.year * 12 + quarter.end.month - 1 + MONTHS_AFTER_QUARTER
    year, month = divmod(months, 12)
    day = _last_wednesday(year, month + 1)
    return Release(
        name=f"{year}-{month + 1:02d}",
        date=day,
        pbj_quarter=quarter,
        mds_period=quarter,
        method_name=method_on(day).name,
        national_figures=last.national_figures,
        source=f"projected from the calendar's pattern (last listed: {last.name})",
        confidence="UNCONFIRMED",
        date_source="the last Wednesday of the month, CMS's usual refresh day",
        date_confidence="UNCONFIRMED",
        note=f"national figures of {last.national_figures}, the latest shipped",
        projected=True,
    )


def release_for_quarter(quarter: Quarter) -> Release:
    """The release that rates ``quarter`` (the first that uses its PBJ data)."""
    calendar_ = releases()
    for r in calendar_:
        if r.pbj_quarter == quarter:
            return r
    first, last = calendar_[0], calendar_[-1]
    if quarter > last.pbj_quarter:
        return _projected(quarter)
    if quarter < first.pbj_quarter:
        raise NotFoundError(
            f"no PBJ-based Care Compare release rated {quarter}: the first, {first.name}, "
            f"rated {first.pbj_quarter}"
        )
    held = next(
        (r for r in calendar_ if r.note and r.pbj_quarter < quarter and r.date > quarter.end),
        None,
    )
    why = f" ({held.name}: {held.note})" if held is not None and held.note else ""
    raise NotFoundError(f"no Care Compare release rated {quarter}{why}; choose one with --release")


def release(name: str) -> Release:
    """The release ``name`` (YYYY-MM), or the release in force during that month."""
    text = name.strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise InputError(f"a release is a month like 2024-07, not {name!r}", field="release")
    for r in releases():
        if r.name == text:
            return r
    year, month = int(match[1]), int(match[2])
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    refresh = date(year, month - (month - 1) % 3, 1)  # refreshes come in Jan, Apr, Jul, Oct
    if refresh > releases()[-1].date:
        # Past the calendar: the refresh of that month or the last before it, which
        # rates the quarter ending four months before it.
        return _projected(Quarter.containing(refresh).previous().previous())
    return release_on(month_end)


def release_on(day: date) -> Release:
    """The release in force on ``day`` (the last one dated on or before it)."""
    found = [r for r in releases() if r.date <= day]
    if not found:
        raise NotFoundError(
            f"no PBJ-based Care Compare release before {day} (the first: {releases()[0].date})"
        )
    return found[-1]
