"""The overall (composite) rating: health-inspection stars moved by staffing and QM stars.

Steps (reference §3a, §3c; the values are the method's ``[overall]`` table):

1. start from the health-inspection stars;
2. add a star when staffing reaches ``staffing_adds_at`` (4 before July 2022,
   and only when above the inspection rating; 5 since), remove one when
   staffing is ``staffing_removes_at`` (1); keep within 1–5;
3. add a star when QM is 5, remove one when QM is 1; keep within 1–5;
4. with one inspection star, steps 2 and 3 together raise it by at most
   ``one_star_inspection_max_rise`` (1).

Missing staffing or QM stars skip their step. Caps for special focus
facilities or the abuse icon are UNCONFIRMED and not applied.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from carecover.rating.measures import as_float
from carecover.rating.methods import Method

__all__ = ["overall_rating", "overall_steps"]

FloatArray = npt.NDArray[np.float64]


def overall_rating(health_inspection: Any, staffing: Any, qm: Any, method: Method) -> FloatArray:
    """Overall stars for every facility (NaN where there is no inspection rating)."""
    hi = np.asarray(health_inspection, dtype=float)
    n = hi.shape[0] if hi.ndim else 1
    hi = as_float(hi.reshape(-1), n)
    st = as_float(np.asarray(staffing, dtype=float).reshape(-1), n)
    q = as_float(np.asarray(qm, dtype=float).reshape(-1), n)
    rule = method.overall
    add = st >= rule.staffing_adds_at
    if rule.staffing_add_needs_above_inspection:
        add &= st > hi
    step = np.where(add, 1.0, np.where(st == rule.staffing_removes_at, -1.0, 0.0))
    result = np.clip(hi + step, 1, 5)
    step = np.where(q >= rule.qm_adds_at, 1.0, np.where(q == rule.qm_removes_at, -1.0, 0.0))
    result = np.clip(result + step, 1, 5)
    limited = (hi == 1) & (result > 1 + rule.one_star_inspection_max_rise)
    result = np.where(limited, 1 + rule.one_star_inspection_max_rise, result)
    return np.where(np.isnan(hi), np.nan, result)


def overall_steps(
    health_inspection: int | None, staffing: int | None, qm: int | None, method: Method
) -> list[str]:
    """The overall rating of one facility, step by step in words."""
    if health_inspection is None:
        return ["no health-inspection rating: no overall rating"]
    rule = method.overall
    stars = health_inspection
    steps = [f"start from the health-inspection rating: {stars}"]
    if staffing is None:
        steps.append("no staffing rating: no staffing step")
    elif staffing >= rule.staffing_adds_at and (
        not rule.staffing_add_needs_above_inspection or staffing > health_inspection
    ):
        stars = min(5, stars + 1)
        steps.append(f"staffing {staffing} stars adds one: {stars}")
    elif staffing == rule.staffing_removes_at:
        stars = max(1, stars - 1)
        steps.append(f"staffing {staffing} star removes one: {stars}")
    else:
        why = f"needs {rule.staffing_adds_at}+"
        if rule.staffing_add_needs_above_inspection:
            why += " and above the inspection rating"
        steps.append(f"staffing {staffing} stars: no change ({why})")
    if qm is None:
        steps.append("no QM rating: no QM step")
    elif qm >= rule.qm_adds_at:
        stars = min(5, stars + 1)
        steps.append(f"QM {qm} stars adds one: {stars}")
    elif qm == rule.qm_removes_at:
        stars = max(1, stars - 1)
        steps.append(f"QM {qm} star removes one: {stars}")
    else:
        steps.append(f"QM {qm} stars: no change")
    cap = 1 + rule.one_star_inspection_max_rise
    if health_inspection == 1 and stars > cap:
        stars = cap
        steps.append(f"one inspection star limits the rise: {stars}")
    steps.append(f"overall rating: {stars}")
    return steps
