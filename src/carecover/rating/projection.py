"""Mid-quarter projection: the days so far plus the schedule ahead, rated.

From PBJ daily rows up to ``as_of`` (``carecover.pbj.daily_measures``) and a
schedule for the remaining days (``PlannedDay``; days the schedule does not
list repeat the average weekday or weekend day so far, with an RN on duty),
it projects the quarter's reported and adjusted HPRD, the stars, the days
without an RN against the one-star allowance, the smallest extra RN hours
(and, separately, extra non-RN nurse hours) per remaining day that would add
a star, and the weekend gap.

Adjustment: adjusted = reported × national average ÷ (CMI ratio × case-mix
HPRD at ratio 1) with the release's figures (``casemix.py``); without a CMI
ratio the facility is taken as average (ratio 1).

The quarter is rated as CMS will rate it: by the Care Compare release that
uses its PBJ data (``releases.release_for_quarter``), under that release's
method and national figures, unless a method or release is chosen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from carecover.errors import InputError, NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.rating.casemix import NationalFigure, release_figures
from carecover.rating.comparison import hprd
from carecover.rating.explain import Explanation, explain
from carecover.rating.measures import FacilityMeasures, late_submission
from carecover.rating.methods import Method
from carecover.rating.ranges import check_value
from carecover.rating.releases import Release, release_for_quarter
from carecover.rating.releases import release as release_named
from carecover.rating.scoring import next_bands, rate

__all__ = ["DayFigures", "PlannedDay", "Projection", "pbj_days", "project"]

_SEARCH_ROUNDS = 4
_GRID = 101


@dataclass(frozen=True)
class DayFigures:
    """One facility-day: census and nurse hours (RN, total, aide)."""

    workdate: date
    census: float
    rn_hours: float | None
    total_hours: float
    aide_hours: float = 0.0

    @property
    def weekend(self) -> bool:
        """Saturday or Sunday."""
        return self.workdate.weekday() >= 5

    @property
    def zero_rn(self) -> bool:
        """Residents present and RN hours reported as 0 (missing is not zero)."""
        return self.census > 0 and self.rn_hours is not None and self.rn_hours == 0


PlannedDay = DayFigures


@dataclass
class Projection:
    """The projected quarter of one facility."""

    provnum: str
    quarter: str
    method: str
    as_of: date
    days_so_far: int
    days_remaining: int
    days_scheduled: int
    days_assumed: int
    so_far: dict[str, float | None]
    projected: dict[str, float | None]
    adjusted: dict[str, float | None]
    zero_rn_days_so_far: int
    zero_rn_days_scheduled: int
    zero_rn_one_star_at: int
    zero_rn_days_left_before_one_star: int
    card: Explanation
    extra_rn_hours_per_day_for_next_star: float | None
    extra_total_hours_per_day_for_next_star: float | None
    weekend_gap_hprd: float | None
    extra_weekend_hours_per_weekend_day_for_next_band: float | None
    notes: list[str] = field(default_factory=list)
    release: str = ""  # the Care Compare release that rates the quarter ("" if none)
    # Missing days are never silent (issue 15 §2): quarter days up to as_of
    # without a row, rows with blank RN hours, days with residents and no
    # nurse hours; ``excluded`` when CMS's missing-staffing rule would leave
    # the facility out (``pbj.missing_days``).
    days_missing: int = 0
    days_blank: int = 0
    days_without_nurse_staffing: int = 0
    excluded: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        return out

    def to_text(self) -> str:
        """The projection as plain text."""

        def fmt(v: float | None, places: int = 3) -> str:
            return "-" if v is None else f"{v:.{places}f}"

        rated_by = f" — release {self.release}" if self.release else ""
        lines = [
            f"facility {self.provnum} — {self.quarter}, as of {self.as_of} — method {self.method}"
            + rated_by,
            f"days reported so far: {self.days_so_far}; remaining: {self.days_remaining} "
            f"({self.days_scheduled} from the schedule, "
            f"{self.days_assumed} assumed like the days so far)",
            "                        so far   projected   adjusted",
        ]
        for key, label in (
            ("rn", "RN HPRD"),
            ("total", "total nurse HPRD"),
            ("weekend_total", "weekend total HPRD"),
        ):
            lines.append(
                f"  {label:20} {fmt(self.so_far.get(key)):>8} {fmt(self.projected.get(key)):>11}"
                f" {fmt(self.adjusted.get(key)):>10}"
            )
        lines.append(
            f"days without an RN: {self.zero_rn_days_so_far} so far, "
            f"{self.zero_rn_days_scheduled} scheduled; one star from {self.zero_rn_one_star_at}; "
            f"{self.zero_rn_days_left_before_one_star} more allowed"
        )
        lines.extend(f"warning: {w}" for w in self.warnings)
        lines.append(self.card.to_text())

        def needed(value: float | None) -> str:
            if value is not None:
                return f"{value:.2f}"
            if self.card.figures_rating == 5:
                return "- (already 5 stars)"
            if self.days_remaining == 0:
                return "- (no days left)"
            return "not reachable with these hours alone"

        lines.append(
            "extra RN hours per remaining day for the next star: "
            + needed(self.extra_rn_hours_per_day_for_next_star)
        )
        lines.append(
            "extra non-RN nurse hours per remaining day for the next star: "
            + needed(self.extra_total_hours_per_day_for_next_star)
        )
        lines.append(
            f"weekend gap: weekend total HPRD is {fmt(self.weekend_gap_hprd)} below all days; "
            "extra nurse hours per remaining weekend day for the next weekend band: "
            + fmt(self.extra_weekend_hours_per_weekend_day_for_next_band, 2)
        )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def _sums(days: Sequence[DayFigures]) -> dict[str, float]:
    wk = [d for d in days if d.weekend]
    return {
        "census": sum(d.census for d in days),
        "rn": sum(d.rn_hours or 0.0 for d in days),
        "total": sum(d.total_hours for d in days),
        "aide": sum(d.aide_hours for d in days),
        "weekend_census": sum(d.census for d in wk),
        "weekend_total": sum(d.total_hours for d in wk),
        "weekend_aide": sum(d.aide_hours for d in wk),
    }


def _assumed_days(so_far: Sequence[DayFigures], dates: Iterable[date]) -> list[DayFigures]:
    """Remaining days like the average weekday / weekend day so far, RN on duty."""
    out = []
    for kind in (False, True):
        pool = [d for d in so_far if d.weekend == kind] or list(so_far)
        n = len(pool)
        census = sum(d.census for d in pool) / n
        rn = sum(d.rn_hours or 0.0 for d in pool if not d.zero_rn) / max(
            1, sum(1 for d in pool if not d.zero_rn)
        )
        total = sum(d.total_hours for d in pool) / n
        aide = sum(d.aide_hours for d in pool) / n
        for day in dates:
            if (day.weekday() >= 5) == kind:
                out.append(DayFigures(day, census, rn, max(total, rn), aide))
    return sorted(out, key=lambda d: d.workdate)


def _factors(method: Method, ratio: float, release: str | None) -> dict[str, float]:
    """Adjusted = reported × factor, per measure."""
    figures: dict[str, NationalFigure] = {}
    name = release or method.casemix.release
    if name:
        figures = release_figures(name)
    out = {}
    for key in ("rn", "total", "weekend_total"):
        fig = figures.get(key) or figures.get("total")
        if fig is None:
            out[key] = 1.0 / ratio
            continue
        base = fig.casemix_at_ratio_1 or fig.national_average
        out[key] = fig.national_average / (ratio * base)
    return out


def _rated_by(
    quarter: Quarter, method: Method | None, release: str | None
) -> tuple[Method, Release | None, str | None, list[str]]:
    """The method, release and national figures that rate ``quarter``, with notes."""
    try:
        rel = release_named(release) if release else release_for_quarter(quarter)
    except NotFoundError:
        if method is None or release:
            raise
        return method, None, method.casemix.release, [f"no release rated {quarter}"]
    chosen = method or rel.method
    notes = [rel.describe()]
    figures = chosen.casemix.release
    if release or rel.method_name == chosen.name:
        figures = rel.national_figures or figures
    if rel.method_name != chosen.name:
        notes.append(f"method {chosen.name} chosen instead of the release's {rel.method_name}")
    if rel.pbj_quarter != quarter:
        notes.append(f"release {rel.name} rates {rel.pbj_quarter}, not {quarter}")
    return chosen, rel, figures, notes


def project(
    provnum: str,
    quarter: Quarter,
    as_of: date,
    days: Sequence[DayFigures],
    method: Method | None = None,
    *,
    schedule: Sequence[DayFigures] = (),
    cmi_ratio: float | None = None,
    release: str | None = None,
    total_turnover: float | None = None,
    rn_turnover: float | None = None,
    admin_departures: float | None = None,
    submitted_on: date | None = None,
    audit_failed: bool = False,
) -> Projection:
    """Project ``provnum``'s quarter from ``days`` up to ``as_of`` and the ``schedule``.

    ``method`` and ``release`` (a Care Compare release, ``YYYY-MM``) default to
    the release that will rate the quarter and its method. ``submitted_on``
    (default: on time — the quarter is not over) and ``audit_failed`` let a user
    see the one-star overrides in the projection.
    """
    if not quarter.contains(as_of):
        raise InputError(f"--as-of {as_of} is not in {quarter}", field="as_of")
    given = {
        "cmi_ratio": cmi_ratio,
        "total_turnover": total_turnover,
        "rn_turnover": rn_turnover,
        "admin_departures": admin_departures,
    }
    for name, value in given.items():
        check_value(name, value)
    if cmi_ratio == 0:
        # Adjusted hours divide by the ratio: 0 is no ratio at all, not "not given".
        raise InputError("0 is not a case-mix ratio (leave it out for 1)", field="cmi_ratio")
    method, rated_by, figures_of, release_notes = _rated_by(quarter, method, release)
    so_far = sorted(
        (d for d in days if quarter.start <= d.workdate <= as_of), key=lambda d: d.workdate
    )
    if not so_far:
        raise InputError(f"no PBJ days for {provnum} in {quarter} up to {as_of}")
    remaining = [quarter.start + timedelta(days=i) for i in range(quarter.days)]
    remaining = [d for d in remaining if d > as_of]
    planned = {d.workdate: d for d in schedule}
    outside = [d for d in planned if d not in set(remaining)]
    if outside:
        raise InputError(
            f"schedule day {min(outside)} is not a remaining day of {quarter} after {as_of}",
            field="date",
        )
    assumed = _assumed_days(so_far, [d for d in remaining if d not in planned])
    gaps = _gaps(provnum, quarter, as_of, so_far)
    ahead = sorted([*planned.values(), *assumed], key=lambda d: d.workdate)

    ratio = 1.0 if cmi_ratio is None else cmi_ratio
    factor = _factors(method, ratio, figures_of)
    base_now = _sums(so_far)
    base_ahead = _sums(ahead)
    n_ahead = len(ahead)
    n_weekend = sum(1 for d in ahead if d.weekend)
    zero_so_far = sum(d.zero_rn for d in so_far)
    zero_planned = sum(d.zero_rn for d in planned.values())

    def measures(x_rn: Any, x_other: Any, x_weekend: Any) -> FacilityMeasures:
        x_rn, x_other, x_weekend = (
            np.atleast_1d(np.asarray(v, float)) for v in (x_rn, x_other, x_weekend)
        )
        census = base_now["census"] + base_ahead["census"]
        wk_census = base_now["weekend_census"] + base_ahead["weekend_census"]
        rn = base_now["rn"] + base_ahead["rn"] + x_rn * n_ahead
        total = base_now["total"] + base_ahead["total"] + (x_rn + x_other) * n_ahead
        wk_total = (
            base_now["weekend_total"]
            + base_ahead["weekend_total"]
            + (x_rn + x_other + x_weekend) * n_weekend
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            rn_h = np.where(census > 0, rn / census, np.nan)
            tot_h = np.where(census > 0, total / census, np.nan)
            wk_h = np.where(wk_census > 0, wk_total / wk_census, np.nan)
        aide = base_now["aide"] + base_ahead["aide"]
        n = rn_h.shape[0]
        return FacilityMeasures.build(
            [provnum] * n,
            adjusted_rn=rn_h * factor["rn"],
            adjusted_total=tot_h * factor["total"],
            adjusted_weekend_total=wk_h * factor["weekend_total"],
            total_turnover=total_turnover,
            rn_turnover=rn_turnover,
            admin_departures=admin_departures,
            zero_rn_days=float(zero_so_far + zero_planned),
            submitted_late=submitted_on is not None and late_submission(quarter, submitted_on),
            audit_failed=audit_failed,
            reported={
                "total": tot_h,
                "aide": np.full(n, aide / census if census > 0 else np.nan),
                "weekend_total": wk_h,
            },
        )

    now = rate(measures(0.0, 0.0, 0.0), method)
    figures_now = now.figures_rating[0]

    def smallest(which: str) -> float | None:
        if n_ahead == 0 or np.isnan(figures_now) or figures_now >= 5:
            return None
        census_day = (base_now["census"] + base_ahead["census"]) / (len(so_far) + n_ahead)
        hi = max(24.0 * max(census_day, 1.0), 1.0)  # 24 HPRD: beyond any real schedule

        def reaches(xs: Any) -> Any:
            zeros = np.zeros_like(xs)
            args = (xs, zeros, zeros) if which == "rn" else (zeros, xs, zeros)
            return rate(measures(*args), method).figures_rating > figures_now

        if not reaches(np.array([hi]))[0]:
            return None
        # Stars only rise with hours (a property test checks it), so a grid
        # narrowed three times finds the smallest amount in three vector calls.
        lo = 0.0
        for _ in range(_SEARCH_ROUNDS):
            xs = np.linspace(lo, hi, _GRID)
            first = int(np.argmax(reaches(xs)))
            lo, hi = float(xs[max(first - 1, 0)]), float(xs[first])
        return math.ceil(hi * 100) / 100  # rounded up to the next hundredth of an hour

    weekend_extra = None
    if method.points is not None and n_weekend:
        bound, _ = next_bands(now, "adjusted_weekend_total_nurse_hprd")
        if not np.isnan(bound[0]):
            wk_census = base_now["weekend_census"] + base_ahead["weekend_census"]
            needed = bound[0] / factor["weekend_total"] * wk_census
            have = base_now["weekend_total"] + base_ahead["weekend_total"]
            weekend_extra = math.ceil(max(0.0, float(needed - have)) / n_weekend * 100) / 100

    def of(s: dict[str, float], key: str) -> float | None:
        den = s["weekend_census"] if key.startswith("weekend") else s["census"]
        return hprd(s[key], den)

    total_sums = {k: base_now[k] + base_ahead[k] for k in base_now}
    projected = {k: of(total_sums, k) for k in ("rn", "total", "weekend_total")}
    adjusted = {k: (v * factor[k] if v is not None else None) for k, v in projected.items()}
    gap = None
    if projected["total"] is not None and projected["weekend_total"] is not None:
        gap = projected["total"] - projected["weekend_total"]
    threshold = method.zero_rn_days_one_star
    notes = release_notes
    if cmi_ratio is None:
        notes.append("no CMI ratio given: the facility is taken as of average case-mix (ratio 1)")
    if zero_so_far >= threshold:
        notes.append(f"already {zero_so_far} days without an RN: one star for the quarter")
    return Projection(
        provnum=provnum,
        quarter=str(quarter),
        method=method.name,
        as_of=as_of,
        days_so_far=len(so_far),
        days_remaining=len(remaining),
        days_scheduled=len(planned),
        days_assumed=len(assumed),
        so_far={k: of(base_now, k) for k in ("rn", "total", "weekend_total")},
        projected=projected,
        adjusted=adjusted,
        zero_rn_days_so_far=zero_so_far,
        zero_rn_days_scheduled=zero_planned,
        zero_rn_one_star_at=threshold,
        zero_rn_days_left_before_one_star=max(0, threshold - 1 - zero_so_far - zero_planned),
        card=explain(now, 0),
        extra_rn_hours_per_day_for_next_star=smallest("rn"),
        extra_total_hours_per_day_for_next_star=smallest("other"),
        weekend_gap_hprd=gap,
        extra_weekend_hours_per_weekend_day_for_next_band=weekend_extra,
        notes=notes,
        release=rated_by.name if rated_by is not None else "",
        **gaps,
    )


def _gaps(provnum: str, quarter: Quarter, as_of: date, so_far: Sequence[DayFigures]) -> Any:
    """Days missing, blank and without nurse staffing up to ``as_of``, and their warnings.

    A missing day counts as a day without nurse staffing (the MDS census
    still has its residents); past the threshold of CMS's rule
    (``exclusion_rules.csv``, UNCONFIRMED) the quarter would be excluded.
    """
    from carecover.pbj.timeclock.missing_days import day_warnings
    from carecover.rating.exclusions import exclusion_rules

    elapsed = (as_of - quarter.start).days + 1
    missing = max(0, elapsed - len({d.workdate for d in so_far}))
    blank = sum(d.rn_hours is None for d in so_far)
    no_nurse = sum(d.census > 0 and d.total_hours == 0 and not d.rn_hours for d in so_far)
    warnings = day_warnings(
        {
            "provnum": provnum,
            "quarter": str(quarter),
            "days_reported": len(so_far),
            "days_missing": missing,
            "days_blank": blank,
            "days_without_nurse_staffing": no_nurse,
        }
    )
    unstaffed = missing + no_nurse
    excluded = any(
        r.measure == "days_without_nurse_staffing" and unstaffed > r.threshold
        for r in exclusion_rules()
    )
    if excluded:
        warnings.append(
            f"{unstaffed} day(s) missing or without nurse staffing: CMS would leave the "
            "staffing measures out (no 5 stars; whether it is no rating or 1 star is "
            "UNCONFIRMED); the stars below assume the missing days were staffed"
        )
    return {
        "days_missing": missing,
        "days_blank": blank,
        "days_without_nurse_staffing": no_nurse,
        "excluded": excluded,
        "warnings": warnings,
    }


def pbj_days(source: Any, provnum: str, quarter: Quarter) -> list[DayFigures]:
    """A facility's days of ``quarter`` from PBJ daily data (store, CSV files or Ibis table)."""
    from carecover.pbj.measures.staffing import daily_measures, to_rows

    rows = to_rows(daily_measures(source, quarter=quarter, facility=provnum))
    return [
        DayFigures(
            workdate=r["workdate"],
            census=float(r["census"] or 0),
            rn_hours=None if r["rn_hours"] is None else float(r["rn_hours"]),
            total_hours=float(r["total_hours"] or 0.0),
            aide_hours=float(r["aide_hours"] or 0.0),
        )
        for r in rows
    ]
