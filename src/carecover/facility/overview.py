"""Everything known about one facility's quarter, computed from its store in one visit.

Framework-free (issue 14 §1: one use case for the portal and the library):
the portal's facility page and its downloads lay these figures out, and any
caller with a facility store can ask for the same. ``compute_figures`` reads
the store once (the portal opens it read-only in ``figure_cache``, which
caches the result) and asks the domain packages for
each part: the quarterly and daily measures and the RN-coverage days
(``carecover.pbj``), the census, its reconciliation with a CMS public file, the census-risk and
missing-assessment lists (``carecover.mds``), the star card and the
projection (``carecover.rating``). Nothing here re-implements a rule; the
page and the downloads only lay these results out.

The facility's own figures come from ``submission_daily_nurse_staffing``
(its PBJ hours over its MDS census); a CMS Daily Nurse Staffing file, when
one was uploaded, stays in ``daily_nurse_staffing`` and is shown beside them.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from carecover.errors import CarecoverError
from carecover.facility import mds_cmi_ratio, turnover_inputs
from carecover.mds import (
    CensusRisk,
    MissingAssessment,
    Reconciliation,
    attach_pbj_store,
    census_risk,
    daily_census,
    missing_assessments,
    reconcile_census,
)
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.coverage import CoverageDay, rn_coverage
from carecover.pbj.measures.staffing import daily_measures, quarterly_measures, to_rows
from carecover.pbj.store import ibis_table
from carecover.pbj.submission.days import TABLE as OWN_TABLE
from carecover.pbj.timeclock.missing_days import day_warnings
from carecover.rating import (
    DayFigures,
    Explanation,
    Method,
    Projection,
    overall_steps,
    pbj_days,
    project,
)
from carecover.rating.releases import release_for_quarter

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "CalendarCell",
    "CensusDay",
    "FacilityFigures",
    "FacilitySettings",
    "Month",
    "StarCard",
    "WhatIf",
    "compute_figures",
]

PUBLIC_TABLE = "daily_nurse_staffing"


class FacilitySettings(Protocol):
    """What the figures need to know of a facility beyond its store (the portal's model)."""

    @property
    def ccn(self) -> str: ...
    @property
    def pbj_facility_id(self) -> str: ...
    @property
    def cmi_ratio(self) -> float | None: ...
    @property
    def audit_failed(self) -> bool: ...
    @property
    def health_inspection_stars(self) -> int | None: ...
    @property
    def quality_measure_stars(self) -> int | None: ...


#: CoverageDay.mark → the calendar cell's kind (a CSS class) and its words.
CELL_KINDS = {
    "X": ("zero", "no RN hours, residents present"),
    "<": ("under", "under 8 RN hours"),
    ".": ("covered", "RN covered"),
    "-": ("none", "no residents or no RN data"),
}


@dataclass(frozen=True)
class WhatIf:
    """The what-if inputs of the projection; the defaults change nothing."""

    submitted_on: date | None = None
    audit_failed: bool = False
    extra_rn_hours: float = 0.0
    cmi_ratio: float | None = None

    @property
    def active(self) -> bool:
        """Whether any input differs from the facility's own figures."""
        return self != WhatIf()


@dataclass(frozen=True)
class CalendarCell:
    """One day of a month grid; ``kind`` is a CSS class (zero, under, covered, none, outside)."""

    day: date
    kind: str
    words: str
    weekend: bool
    rn_hours: float | None = None
    census: int | None = None


@dataclass(frozen=True)
class Month:
    """One month of the RN-coverage calendar, Monday first."""

    title: str
    weeks: tuple[tuple[CalendarCell, ...], ...]


@dataclass(frozen=True)
class CensusDay:
    """Our MDS census and CMS's ``MDScensus`` on one day (``cms`` None when CMS has no row)."""

    day: date
    ours: int
    cms: int | None

    @property
    def difference(self) -> int | None:
        """Ours minus CMS's, None when CMS has no row."""
        return None if self.cms is None else self.ours - self.cms


@dataclass(frozen=True)
class StarCard:
    """The staffing star card of the quarter's data and the overall rating it gives."""

    card: Explanation
    cmi_ratio: float | None
    cmi_source: str
    overall_steps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class FacilityFigures:
    """What the facility page shows for one quarter (``quarter`` None: no data at all)."""

    ccn: str
    quarter: Quarter | None
    quarters: list[Quarter]
    method: str = ""
    own_measures: list[dict[str, Any]] = field(default_factory=list)
    public_measures: list[dict[str, Any]] = field(default_factory=list)
    daily: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[CoverageDay] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    zero_rn_days: int = 0
    under_8h_days: int = 0
    zero_rn_one_star_at: int = 0
    census: list[CensusDay] = field(default_factory=list)
    reconciliation: Reconciliation | None = None
    star: StarCard | None = None
    projection: Projection | None = None
    what_if: WhatIf = field(default_factory=WhatIf)
    lists_as_of: date | None = None
    census_risk: list[CensusRisk] = field(default_factory=list)
    missing: list[MissingAssessment] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: Days missing, blank or without nurse staffing (issue 15 §2; ``pbj.missing_days``).
    warnings: list[str] = field(default_factory=list)
    #: Names these figures (their inputs and the store's generation; set by
    #: ``figure_cache``): the page renders their tables once per worker.
    cache_key: str = ""

    @property
    def quarter_measures(self) -> dict[str, Any] | None:
        """The facility's own quarterly measures row of the selected quarter."""
        return next((r for r in self.own_measures if r["quarter"] == str(self.quarter)), None)


def _table_exists(con: DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables()"
        " WHERE table_name = ? AND schema_name = current_schema()",
        [name],
    ).fetchone()
    return bool(found and found[0])


def _quarters(con: DuckDBPyConnection, table: str, ccn: str) -> set[Quarter]:
    if not _table_exists(con, table):
        return set()
    rows = con.execute(f"SELECT DISTINCT quarter FROM {table} WHERE provnum = ?", [ccn]).fetchall()
    return {Quarter.parse(q) for (q,) in rows}


def month_grids(quarter: Quarter, days: Sequence[CoverageDay]) -> list[Month]:
    """The quarter's three months as week rows of cells coloured by RN coverage."""
    by_day = {d.workdate: d for d in days}
    months = []
    for month in range(quarter.start.month, quarter.end.month + 1):
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(quarter.year, month):
            cells = []
            for day in week:
                weekend = day.weekday() >= 5
                found = by_day.get(day)
                if day.month != month:
                    cells.append(CalendarCell(day, "outside", "", weekend))
                elif found is None:
                    cells.append(CalendarCell(day, "none", "not reported", weekend))
                else:
                    kind, words = CELL_KINDS[found.mark]
                    cells.append(
                        CalendarCell(day, kind, words, weekend, found.rn_hours, found.census)
                    )
            weeks.append(tuple(cells))
        months.append(Month(f"{calendar.month_name[month]} {quarter.year}", tuple(weeks)))
    return months


def _cmi_ratio(
    con: DuckDBPyConnection, facility: FacilitySettings, quarter: Quarter, method: Method
) -> tuple[float | None, str]:
    """The case-mix ratio the rating uses and where it came from."""
    if facility.cmi_ratio:
        return facility.cmi_ratio, "the facility's settings (CMS-published ratio)"
    # The same function as ``carecover facility figures`` (issue 15 §5).
    return mds_cmi_ratio(con, facility.ccn, quarter, method)


def _turnover(
    con: DuckDBPyConnection, facility: FacilitySettings, quarter: Quarter, method: Method
) -> dict[str, Any]:
    return turnover_inputs(con, quarter, method, facility.pbj_facility_id)


def _with_extra_rn(days: Sequence[DayFigures], extra: float) -> list[DayFigures]:
    """Every day with ``extra`` more RN (and so total nurse) hours: the what-if's staffing."""
    if not extra:
        return list(days)
    return [
        replace(d, rn_hours=(d.rn_hours or 0.0) + extra, total_hours=d.total_hours + extra)
        for d in days
    ]


def compute_figures(
    con: DuckDBPyConnection,
    facility: FacilitySettings,
    quarter: Quarter | None,
    *,
    store: Path,
    today: date,
    what_if: WhatIf | None = None,
) -> FacilityFigures:
    """The figures for ``quarter`` (None: the latest with data) from the open store ``con``.

    ``store`` is the file ``con`` reads (the census reconciliation attaches it
    a second time). The portal asks ``figure_cache.facility_figures``, which
    calls this once per store generation and request.
    """
    what_if = what_if or WhatIf()
    ccn = facility.ccn
    own_quarters = _quarters(con, OWN_TABLE, ccn)
    public_quarters = _quarters(con, PUBLIC_TABLE, ccn)
    quarters = sorted(own_quarters | public_quarters)
    figures = FacilityFigures(ccn, None, quarters, what_if=what_if)
    if quarter is not None and quarter not in own_quarters:
        if quarters:
            figures.notices.append(
                f"There are no PBJ days of {ccn} for {quarter}: showing the latest quarter."
            )
        quarter = None
    if quarter is None and own_quarters:
        quarter = max(own_quarters)
    if quarter is None:
        return figures
    figures.quarter = quarter
    _staffing(con, facility, figures, quarter, public=bool(public_quarters))
    _census(con, facility, figures, quarter, store, public=quarter in public_quarters)
    _ratings(con, facility, figures, quarter, what_if)
    figures.lists_as_of = min(quarter.end, today)
    figures.census_risk = census_risk(con, figures.lists_as_of, facility=ccn)
    figures.missing = missing_assessments(con, figures.lists_as_of, facility=ccn)
    return figures


def _staffing(
    con: DuckDBPyConnection,
    facility: FacilitySettings,
    figures: FacilityFigures,
    quarter: Quarter,
    *,
    public: bool,
) -> None:
    """Quarterly measures (own and CMS's), the daily rows and the RN-coverage calendar."""
    own = ibis_table(con, OWN_TABLE)
    figures.own_measures = to_rows(quarterly_measures(own, facility=facility.ccn))
    if public:
        figures.public_measures = to_rows(
            quarterly_measures(ibis_table(con, PUBLIC_TABLE), facility=facility.ccn)
        )
    figures.daily = to_rows(daily_measures(own, quarter=quarter, facility=facility.ccn))
    figures.coverage = rn_coverage(own, quarter=quarter, facility=facility.ccn)
    figures.months = month_grids(quarter, figures.coverage)
    row = figures.quarter_measures or {}
    figures.zero_rn_days = int(row.get("zero_rn_days") or 0)
    figures.under_8h_days = int(row.get("rn_under_8h_days") or 0)
    figures.warnings = day_warnings(row) if row else []


def _census(
    con: DuckDBPyConnection,
    facility: FacilitySettings,
    figures: FacilityFigures,
    quarter: Quarter,
    store: Path,
    *,
    public: bool,
) -> None:
    """Our MDS census against CMS's MDScensus, when a public file holds the quarter."""
    if not public:
        return
    table = attach_pbj_store(con, store, same_file=True)
    figures.reconciliation = reconcile_census(
        con, quarter.start, quarter.end, facility=facility.ccn, pbj_table=table
    )
    cms = dict(
        con.execute(
            f"SELECT workdate, mdscensus FROM {table} WHERE provnum = ? AND quarter = ?",
            [facility.ccn, str(quarter)],
        ).fetchall()
    )
    figures.census = [
        CensusDay(c.date, c.census, None if cms.get(c.date) is None else int(cms[c.date]))
        for c in daily_census(con, quarter.start, quarter.end, facility=facility.ccn)
    ]


def _ratings(
    con: DuckDBPyConnection,
    facility: FacilitySettings,
    figures: FacilityFigures,
    quarter: Quarter,
    what_if: WhatIf,
) -> None:
    """The star card of the quarter's days and the projection with the what-if applied."""
    try:
        # Rated as CMS rates it: by the release that uses the quarter's PBJ data.
        release = release_for_quarter(quarter)
    except CarecoverError as exc:
        figures.notices.append(f"No star card: {exc}.")
        return
    method = release.method
    figures.method = method.name
    figures.zero_rn_one_star_at = method.zero_rn_days_one_star
    days = pbj_days(ibis_table(con, OWN_TABLE), facility.ccn, quarter)
    if not days:
        return
    ratio, source = _cmi_ratio(con, facility, release.mds_period, method)
    staff_turnover = _turnover(con, facility, quarter, method)
    # As of the quarter's last day, no day is left to assume: the card rates the days held.
    card = project(
        facility.ccn,
        quarter,
        quarter.end,
        days,
        method,
        cmi_ratio=ratio,
        audit_failed=facility.audit_failed,
        **staff_turnover,
    ).card
    steps: tuple[str, ...] = ()
    if facility.health_inspection_stars and facility.quality_measure_stars:
        steps = tuple(
            overall_steps(
                facility.health_inspection_stars,
                card.staffing_rating,
                facility.quality_measure_stars,
                method,
            )
        )
    notes = [
        release.describe(),
        "PBJ is taken as submitted on time; the what-if below shows a late submission.",
    ]
    if not staff_turnover:
        notes.append("no turnover figures: the store holds too few quarters of PBJ hours")
    figures.star = StarCard(card, ratio, source, steps, tuple(notes))
    last_day = max(d.workdate for d in days)
    figures.projection = project(
        facility.ccn,
        quarter,
        last_day,
        _with_extra_rn(days, what_if.extra_rn_hours),
        method,
        cmi_ratio=what_if.cmi_ratio or ratio,
        submitted_on=what_if.submitted_on,
        audit_failed=facility.audit_failed or what_if.audit_failed,
        **staff_turnover,
    )
