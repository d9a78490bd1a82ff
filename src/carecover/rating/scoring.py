"""Staffing rating of many facilities at once: points or levels, then overrides.

Order of decision (the first that applies wins; ``decided_by`` names it):

1. a CMS footnote that withholds the rating (``forced_no_rating``);
2. one star forced by a CMS footnote (e.g. 12: no data, too many days
   without an RN, or failed criteria);
3. one star for a PBJ submission after the deadline or none (the method's
   ``late_submission_one_star``);
4. one star for a failed PBJ audit (a flag the user sets);
5. one star for the method's number of days with residents and no RN hours
   (7 from April 2018, 4 from April 2019);
6. implausible values (the method's exclusion tests, or a quarter flagged as
   excluded) give no rating (``excluded_gives``; UNCONFIRMED whether CMS
   gives none or one star);
7. otherwise the figures: levels (two measures) or points (six measures).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from carecover.rating.cutpoints import (
    band_points,
    level,
    next_band,
    staffing_from_levels,
    star_from_points,
)
from carecover.rating.measures import FacilityMeasures
from carecover.rating.methods import POINT_MEASURES, Method, PointsRule

__all__ = ["MEASURE_COLUMNS", "Ratings", "rate"]

FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]

# Which FacilityMeasures column feeds each points measure.
MEASURE_COLUMNS = {
    "adjusted_total_nurse_hprd": "adjusted_total",
    "adjusted_rn_hprd": "adjusted_rn",
    "adjusted_weekend_total_nurse_hprd": "adjusted_weekend_total",
    "total_nurse_turnover_pct": "total_turnover",
    "rn_turnover_pct": "rn_turnover",
    "administrator_departures": "admin_departures",
}


@dataclass
class Ratings:
    """Results for every facility, column-wise, with what decided each."""

    method: Method
    measures: FacilityMeasures
    staffing_rating: FloatArray
    rn_staffing_rating: FloatArray
    points: FloatArray  # rescaled score on 380 (NaN for level methods)
    raw_points: FloatArray
    possible_points: FloatArray
    rn_level: FloatArray
    total_level: FloatArray
    figures_rating: FloatArray  # what the figures alone give, before overrides
    measure_points: dict[str, FloatArray]
    measure_status: dict[str, ObjArray]
    decided_by: ObjArray
    points_to_next_star: FloatArray
    rn_gap: FloatArray  # level methods: adjusted RN HPRD to add for one more star
    total_gap: FloatArray

    def __len__(self) -> int:
        return len(self.measures)


def _implausible(m: FacilityMeasures, method: Method) -> npt.NDArray[np.bool_]:
    hit = m.excluded.copy()
    for test in method.exclusions:
        values = m.reported.get(test.measure)
        if values is None:
            continue
        with np.errstate(invalid="ignore"):
            cond = test.operator.test(values, test.threshold)
        hit |= np.nan_to_num(cond, nan=0).astype(bool)
    return hit


def _policy(m: FacilityMeasures, measure: str, default: str) -> ObjArray:
    """Per facility: 'drop' or 'lowest' for a missing value (a footnote wins)."""
    given = m.policy.get(measure)
    base = np.full(len(m), default, dtype=object)
    if given is None:
        return base
    return np.where(given != "", given, base)


def _score(
    m: FacilityMeasures, method: Method, rule: PointsRule
) -> tuple[dict[str, FloatArray], dict[str, ObjArray], FloatArray, FloatArray]:
    pts: dict[str, FloatArray] = {}
    status: dict[str, ObjArray] = {}
    total_missing = np.isnan(m.total_turnover)
    for measure in POINT_MEASURES:
        values = getattr(m, MEASURE_COLUMNS[measure])
        got = band_points(values, rule.bands[measure], method.decimals)
        missing = np.isnan(values)
        if measure.startswith("adjusted_"):
            policy = _policy(m, measure, rule.missing_hprd)
        elif measure == "total_nurse_turnover_pct":
            policy = _policy(m, measure, rule.missing_total_turnover)
        elif measure == "rn_turnover_pct":
            policy = _policy(m, measure, rule.missing_rn_turnover)
            if rule.missing_total_turnover_also_rn:
                # Observed Nov 2024: total nurse turnover missing -> lowest on both.
                tt = _policy(m, "total_nurse_turnover_pct", rule.missing_total_turnover)
                forced = total_missing & (tt == "lowest")
                missing = missing | forced
                policy = np.where(forced, "lowest", policy)
        else:
            policy = _policy(m, measure, rule.missing_admin)
        lowest = missing & (policy == "lowest")
        got = np.where(lowest, rule.min_points(measure), np.where(missing, np.nan, got))
        pts[measure] = got
        status[measure] = np.where(
            lowest, "lowest points (missing)", np.where(missing, "dropped (missing)", "")
        ).astype(object)
    stacked = np.vstack([pts[k] for k in POINT_MEASURES])
    maxima = np.array([rule.max_points(k) for k in POINT_MEASURES], dtype=float)[:, None]
    raw = np.nansum(stacked, axis=0)
    possible = np.sum(np.where(np.isnan(stacked), 0.0, maxima), axis=0)
    any_level = ~(
        np.isnan(m.adjusted_total) & np.isnan(m.adjusted_rn) & np.isnan(m.adjusted_weekend_total)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(any_level & (possible > 0), raw * rule.maximum / possible, np.nan)
    return pts, status, raw, score


def _level_gaps(
    rn: FloatArray, total: FloatArray, rn_lvl: FloatArray, tot_lvl: FloatArray, method: Method
) -> tuple[FloatArray, FloatArray]:
    """Smallest adjusted RN (or total) HPRD increase that adds a staffing star."""
    assert method.levels is not None
    rule = method.levels
    stars = staffing_from_levels(rn_lvl, tot_lvl, rule)
    rn_gap = np.full(rn.shape, np.nan)
    total_gap = np.full(rn.shape, np.nan)
    for target in (5, 4, 3, 2):  # closest first after the loop: write the far ones first
        cut_rn = rule.rn_cut_points[target - 2]
        cut_total = rule.total_cut_points[target - 2]
        as_rn = staffing_from_levels(np.full(rn.shape, float(target)), tot_lvl, rule)
        as_total = staffing_from_levels(rn_lvl, np.full(rn.shape, float(target)), rule)
        rn_ok = (target > rn_lvl) & (as_rn > stars)
        total_ok = (target > tot_lvl) & (as_total > stars)
        rn_gap = np.where(rn_ok, cut_rn - rn, rn_gap)
        total_gap = np.where(total_ok, cut_total - total, total_gap)
    return rn_gap, total_gap


def rate(measures: FacilityMeasures, method: Method) -> Ratings:
    """Staffing (and, where the method has one, RN staffing) stars of every facility."""
    m = measures
    n = len(m)
    nan = np.full(n, np.nan)
    rn_lvl = tot_lvl = nan
    measure_points: dict[str, FloatArray] = {}
    measure_status: dict[str, ObjArray] = {}
    raw = possible = score = to_next = rn_gap = total_gap = nan
    if method.levels is not None:
        rn_lvl = level(m.adjusted_rn, method.levels.rn_cut_points, method.decimals)
        tot_lvl = level(m.adjusted_total, method.levels.total_cut_points, method.decimals)
        figures = staffing_from_levels(rn_lvl, tot_lvl, method.levels)
        rn_gap, total_gap = _level_gaps(m.adjusted_rn, m.adjusted_total, rn_lvl, tot_lvl, method)
        no_figures = np.isnan(figures)
    else:
        assert method.points is not None
        rule = method.points
        measure_points, measure_status, raw, score = _score(m, method, rule)
        stacked = np.vstack([measure_points[k] for k in POINT_MEASURES])
        maxima = np.array([rule.max_points(k) for k in POINT_MEASURES], dtype=float)[:, None]
        possible = np.sum(np.where(np.isnan(stacked), 0.0, maxima), axis=0)
        figures = star_from_points(score, rule)
        bounds = np.array((*rule.star_bands, np.nan))
        idx = np.clip(np.nan_to_num(figures, nan=1).astype(int) - 1, 0, 4)
        to_next = np.where(figures < 5, bounds[idx] - score, np.nan)
        no_figures = np.isnan(figures)

    staffing = figures.copy()
    decided = np.where(no_figures, "no rating: staffing measures missing", method.kind).astype(
        object
    )
    rules: list[tuple[npt.NDArray[np.bool_], float, ObjArray]] = []
    rules.append(
        (
            np.asarray(_implausible(m, method)),
            1.0 if method.excluded_gives == "one_star" else np.nan,
            np.full(n, f"implausible values: {method.excluded_gives.replace('_', ' ')}", object),
        )
    )
    threshold = method.zero_rn_days_one_star
    with np.errstate(invalid="ignore"):
        zero_hit = np.nan_to_num(m.zero_rn_days >= threshold, nan=0).astype(bool)
    rules.append(
        (zero_hit, 1.0, np.full(n, f"one star: {threshold} or more days without an RN", object))
    )
    if method.audit_one_star:
        rules.append((m.audit_failed, 1.0, np.full(n, "one star: failed PBJ audit", object)))
    if method.late_submission_one_star:
        rules.append(
            (
                m.submitted_late,
                1.0,
                np.full(n, "one star: PBJ submitted late or not at all", object),
            )
        )
    rules.append((m.forced_one_star != "", 1.0, "one star: " + m.forced_one_star))
    rules.append((m.forced_no_rating != "", np.nan, "no rating: " + m.forced_no_rating))
    # Applied lowest priority first so the highest-priority rule is written last.
    for hit, value, reason in rules:
        staffing = np.where(hit, value, staffing)
        decided = np.where(hit, reason, decided)

    rn_rating = nan
    if method.rn_staffing_rating:
        overridden = decided != method.kind
        one = staffing == 1
        rn_rating = np.where(overridden, np.where(one, 1.0, np.nan), rn_lvl)
        rn_rating = np.where(no_figures & ~overridden, np.nan, rn_rating)
    return Ratings(
        method=method,
        measures=m,
        staffing_rating=staffing,
        rn_staffing_rating=rn_rating,
        points=score,
        raw_points=raw,
        possible_points=possible,
        rn_level=rn_lvl,
        total_level=tot_lvl,
        figures_rating=figures,
        measure_points=measure_points,
        measure_status=measure_status,
        decided_by=decided,
        points_to_next_star=to_next,
        rn_gap=rn_gap,
        total_gap=total_gap,
    )


def next_bands(ratings: Ratings, measure: str) -> tuple[FloatArray, FloatArray]:
    """Bound and points of the next better band of ``measure`` for every facility."""
    rule = ratings.method.points
    assert rule is not None
    values = getattr(ratings.measures, MEASURE_COLUMNS[measure])
    return next_band(values, rule.bands[measure], ratings.method.decimals)
