"""Vectorised look-ups of points bands and star levels (numpy, one call per column).

A value is first rounded to the method's decimals (3 for the points method, as
the third-party transcription does; 5 for the two-measure method, the precision
CMS publishes). ``EPS`` absorbs binary rounding so that a value printed as the
bound itself reaches the bound.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from carecover.rating.methods import LevelRule, PointsBand, PointsRule

__all__ = [
    "band_points",
    "level",
    "next_band",
    "round_half_up",
    "staffing_from_levels",
    "star_from_points",
]

FloatArray = npt.NDArray[np.float64]
EPS = 1e-9


def _bands(bands: tuple[PointsBand, ...]) -> tuple[str, FloatArray, FloatArray]:
    """(direction, ascending bounds, points aligned with them)."""
    kinds = {b.bound_type for b in bands}
    if kinds <= {"lower_inclusive"}:
        ordered = sorted(bands, key=lambda b: b.bound_value)
        return (
            "lower",
            np.array([b.bound_value for b in ordered]),
            np.array([b.points for b in ordered], dtype=float),
        )

    # upper_inclusive, or counts written as equals/at_least (administrators):
    # "equals 1" is "at most 1" once the smaller values are taken, "at least 2"
    # is the open top band.
    def upper(b: PointsBand) -> float:
        return math.inf if b.bound_type == "at_least" else b.bound_value

    ordered = sorted(bands, key=upper)
    return (
        "upper",
        np.array([upper(b) for b in ordered]),
        np.array([b.points for b in ordered], dtype=float),
    )


def round_half_up(values: FloatArray, decimals: int) -> FloatArray:
    """Round as a person would (4.1505 -> 4.151), though 4.1505 is 4.15049999... in binary."""
    return np.round(values + np.copysign(EPS, values), decimals)


def band_points(values: FloatArray, bands: tuple[PointsBand, ...], decimals: int) -> FloatArray:
    """Points for each value (NaN stays NaN): the band the rounded value reaches."""
    direction, bounds, points = _bands(bands)
    v = round_half_up(values, decimals)
    if direction == "lower":
        idx = np.searchsorted(bounds, v + EPS, side="right") - 1
    else:
        idx = np.searchsorted(bounds, v - EPS, side="left")
    idx = np.clip(np.nan_to_num(idx, nan=0).astype(int), 0, len(points) - 1)
    out = points[idx]
    return np.where(np.isnan(values), np.nan, out)


def next_band(
    values: FloatArray, bands: tuple[PointsBand, ...], decimals: int
) -> tuple[FloatArray, FloatArray]:
    """For each value: the bound of the next better band and its points (NaN at the top)."""
    _, bounds, points = _bands(bands)
    current = band_points(values, bands, decimals)
    better_bound = np.full(values.shape, np.nan)
    better_points = np.full(values.shape, np.nan)
    # Walk bands from best to worst so the closest better band is written last.
    order = np.argsort(-points)
    for i in order:
        # A lower band is reached at or above its bound, an upper band at or below it.
        target = (points[i] > current) & ~np.isnan(current)
        better_bound = np.where(target, bounds[i], better_bound)
        better_points = np.where(target, points[i], better_points)
    return better_bound, better_points


def level(values: FloatArray, cut_points: tuple[float, ...], decimals: int) -> FloatArray:
    """Star level 1–5 of each value against the lower bounds of levels 2–5."""
    v = round_half_up(values, decimals)
    lvl = np.ones(values.shape)
    for cut in cut_points:
        lvl = lvl + (v >= cut - EPS)
    return np.where(np.isnan(values), np.nan, lvl)


def staffing_from_levels(rn: FloatArray, total: FloatArray, rule: LevelRule) -> FloatArray:
    """Staffing stars from RN and total levels through the method's grid."""
    grid = np.array(rule.grid, dtype=float)
    ok = ~(np.isnan(rn) | np.isnan(total))
    r = np.where(ok, rn, 1).astype(int) - 1
    t = np.where(ok, total, 1).astype(int) - 1
    return np.where(ok, grid[r, t], np.nan)


def star_from_points(score: FloatArray, rule: PointsRule) -> FloatArray:
    """Stars 1–5 from a (rescaled) score on the 380-point scale."""
    stars = np.ones(score.shape)
    for bound in rule.star_bands:
        stars = stars + (score >= bound - EPS)
    return np.where(np.isnan(score), np.nan, stars)
