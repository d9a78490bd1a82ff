"""The inputs of a staffing rating, one numpy column per measure.

``FacilityMeasures`` holds any number of facilities (one national provider
file, or one facility's projected quarter). Missing values are NaN, never 0:
a measure that cannot be computed is dropped or given the lowest points by
the method's policy, not scored as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from carecover.pbj.calendar import Quarter

__all__ = ["FacilityMeasures", "as_float", "late_submission"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]

# Reported (not adjusted) HPRD used by the implausible-value tests.
REPORTED = ("total", "aide", "weekend_total", "weekend_aide", "rn")
# Measures whose "cannot be computed" handling a footnote may decide.
POLICY_MEASURES = ("total_nurse_turnover_pct", "rn_turnover_pct", "administrator_departures")


def late_submission(quarter: Quarter, submitted_on: date | None) -> bool:
    """Whether PBJ for ``quarter`` counts as not submitted by the deadline.

    None (nothing submitted) is late. The deadline day itself is on time: the
    45th calendar day after the quarter ends (reference §1.5, ``Quarter.deadline``).
    """
    return submitted_on is None or submitted_on > quarter.deadline


def as_float(values: Any, n: int) -> FloatArray:
    """A float column of length ``n`` from a scalar, a sequence (None = NaN) or an array."""
    if values is None:
        return np.full(n, np.nan)
    if np.isscalar(values):
        return np.full(n, float(values))  # type: ignore[arg-type]
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    if arr.shape != (n,):
        raise ValueError(f"column of length {arr.shape} where {n} facilities were given")
    return arr


def _flags(values: Any, n: int) -> BoolArray:
    if values is None:
        return np.zeros(n, dtype=bool)
    if np.isscalar(values):
        return np.full(n, bool(values))
    return np.array([bool(v) for v in values], dtype=bool)


def _texts(values: Any, n: int) -> ObjArray:
    if values is None:
        return np.full(n, "", dtype=object)
    if isinstance(values, str):
        return np.full(n, values, dtype=object)
    return np.array([v or "" for v in values], dtype=object)


@dataclass
class FacilityMeasures:
    """Measures of ``n`` facilities, column-wise.

    ``forced_one_star`` / ``forced_no_rating`` carry a reason (e.g. CMS
    footnote 12) that decides the rating whatever the figures;
    ``policy[measure]`` is ``"drop"``/``"lowest"`` where a footnote says how a
    missing turnover measure is treated.
    """

    provnum: ObjArray
    adjusted_total: FloatArray
    adjusted_rn: FloatArray
    adjusted_weekend_total: FloatArray
    total_turnover: FloatArray
    rn_turnover: FloatArray
    admin_departures: FloatArray
    zero_rn_days: FloatArray
    submitted_late: BoolArray
    audit_failed: BoolArray
    excluded: BoolArray
    forced_one_star: ObjArray
    forced_no_rating: ObjArray
    reported: dict[str, FloatArray] = field(default_factory=dict)
    policy: dict[str, ObjArray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.provnum.shape[0])

    @classmethod
    def build(
        cls,
        provnum: Sequence[str],
        *,
        adjusted_total: Any = None,
        adjusted_rn: Any = None,
        adjusted_weekend_total: Any = None,
        total_turnover: Any = None,
        rn_turnover: Any = None,
        admin_departures: Any = None,
        zero_rn_days: Any = None,
        submitted_late: Any = None,
        audit_failed: Any = None,
        excluded: Any = None,
        forced_one_star: Any = None,
        forced_no_rating: Any = None,
        reported: dict[str, Any] | None = None,
        policy: dict[str, Any] | None = None,
    ) -> FacilityMeasures:
        """Columns from scalars, sequences (None = missing) or arrays."""
        n = len(provnum)
        return cls(
            provnum=np.array(list(provnum), dtype=object),
            adjusted_total=as_float(adjusted_total, n),
            adjusted_rn=as_float(adjusted_rn, n),
            adjusted_weekend_total=as_float(adjusted_weekend_total, n),
            total_turnover=as_float(total_turnover, n),
            rn_turnover=as_float(rn_turnover, n),
            admin_departures=as_float(admin_departures, n),
            zero_rn_days=as_float(zero_rn_days, n),
            submitted_late=_flags(submitted_late, n),
            audit_failed=_flags(audit_failed, n),
            excluded=_flags(excluded, n),
            forced_one_star=_texts(forced_one_star, n),
            forced_no_rating=_texts(forced_no_rating, n),
            reported={k: as_float(v, n) for k, v in (reported or {}).items()},
            policy={k: _texts(v, n) for k, v in (policy or {}).items()},
        )

    @classmethod
    def one(cls, provnum: str = "", **values: Any) -> FacilityMeasures:
        """One facility from scalar values (same keywords as ``build``)."""
        reported = values.pop("reported", None)
        policy = values.pop("policy", None)
        return cls.build(
            [provnum],
            reported={k: [v] for k, v in (reported or {}).items()},
            policy={k: [v] for k, v in (policy or {}).items()},
            **{k: [v] for k, v in values.items()},
        )
