"""Nursing case-mix: facility index, ratio to the nation, case-mix and adjusted HPRD.

Method (reference §3a, §3b; the exact CMS formula is UNCONFIRMED):

1. facility nursing CMI = resident-day weighted average of the nursing weights
   of the residents' groups (PDPM nursing CMG from July 2024, RUG-IV before);
   resident-days come from ``carecover.mds.nursing_group_days``;
2. CMI ratio = facility CMI ÷ national CMI (or the ratio CMS publishes);
3. case-mix HPRD = ratio × the release's case-mix HPRD at a ratio of 1
   (when a release has none, its national average);
4. adjusted HPRD = reported × national average ÷ case-mix HPRD.

Weights (``nursing_weights_pdpm.csv``, ``nursing_weights_rug_iv.csv``) and the
national figures of each release (``national_averages.csv``) are data with a
source and a confidence. The shipped nursing weights are UNCONFIRMED.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from carecover.errors import ConfigError, InputError, NotFoundError
from carecover.rating.methods import data_text

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "CaseMixIndex",
    "NationalFigure",
    "adjusted_hprd",
    "casemix_hprd",
    "facility_cmi",
    "facility_cmi_from_store",
    "national_figures",
    "nursing_weights",
    "release_figures",
]

FloatArray = npt.NDArray[np.float64]
WEIGHT_FILES = {"pdpm": "nursing_weights_pdpm.csv", "rug-iv": "nursing_weights_rug_iv.csv"}


@dataclass(frozen=True)
class CaseMixIndex:
    """A facility's nursing case-mix index over a period."""

    cmi: float | None
    resident_days: int
    weighted_days: int
    ungrouped_days: int  # resident-days with no nursing group yet (left out of the average)

    def ratio(self, national_cmi: float) -> float | None:
        """The CMI ratio to the national index."""
        return None if self.cmi is None else self.cmi / national_cmi


@dataclass(frozen=True)
class NationalFigure:
    """One release's national average and case-mix HPRD at a ratio of 1, for one measure."""

    release: str
    measure: str  # rn, total, weekend_total, cmi
    national_average: float
    casemix_at_ratio_1: float | None
    source: str
    confidence: str


@cache
def nursing_weights(system: str) -> dict[str, float]:
    """Nursing weights by group for ``pdpm`` or ``rug-iv`` (values UNCONFIRMED, see the file)."""
    name = WEIGHT_FILES.get(system)
    if name is None:
        raise NotFoundError(f"no nursing weights for case-mix system {system!r} (pdpm, rug-iv)")
    weights: dict[str, float] = {}
    for row in csv.DictReader(data_text(name).splitlines()):
        try:
            weights[row["group"].strip().upper()] = float(row["weight"])
        except (KeyError, ValueError):
            raise ConfigError(f"data/rating/{name}: bad row {row}") from None
    return weights


def facility_cmi(group_days: Mapping[str, int], weights: Mapping[str, float]) -> CaseMixIndex:
    """CMI from resident-days per nursing group (``""`` = not grouped yet)."""
    total = weighted = ungrouped = 0
    weighted_sum = 0.0
    unknown = []
    for group, days in group_days.items():
        total += days
        key = group.strip().upper()
        if not key:
            ungrouped += days
            continue
        if key not in weights:
            unknown.append(group)
            continue
        weighted += days
        weighted_sum += days * weights[key]
    if unknown:
        raise InputError(
            f"nursing groups not in the weights table: {', '.join(sorted(unknown))}",
            field="nursing_group",
        )
    cmi = weighted_sum / weighted if weighted else None
    return CaseMixIndex(cmi, total, weighted, ungrouped)


def facility_cmi_from_store(
    con: DuckDBPyConnection, facility: str, start: date, end: date, system: str
) -> CaseMixIndex:
    """CMI of ``facility`` over ``[start, end]`` from the MDS store (``carecover.mds``)."""
    from carecover.mds import nursing_group_days

    return facility_cmi(nursing_group_days(con, facility, start, end), nursing_weights(system))


@cache
def national_figures() -> tuple[NationalFigure, ...]:
    """Every release's national figures (``national_averages.csv``)."""
    out = []
    for row in csv.DictReader(data_text("national_averages.csv").splitlines()):
        base = row["casemix_at_ratio_1"].strip()
        out.append(
            NationalFigure(
                release=row["release"],
                measure=row["measure"],
                national_average=float(row["national_average"]),
                casemix_at_ratio_1=float(base) if base else None,
                source=row["source"],
                confidence=row["confidence"],
            )
        )
    return tuple(out)


def release_figures(release: str) -> dict[str, NationalFigure]:
    """The national figures of one release, by measure."""
    figures = {f.measure: f for f in national_figures() if f.release == release}
    if not figures:
        known = sorted({f.release for f in national_figures()})
        raise NotFoundError(f"no national figures for release {release!r} (known: {known})")
    return figures


def casemix_hprd(ratio: Any, figure: NationalFigure) -> FloatArray:
    """Case-mix HPRD = CMI ratio × case-mix HPRD at ratio 1 (or the national average)."""
    base = figure.casemix_at_ratio_1 or figure.national_average
    return np.asarray(ratio, dtype=float) * base


def adjusted_hprd(reported: Any, casemix: Any, figure: NationalFigure) -> FloatArray:
    """Adjusted HPRD = reported × national average ÷ case-mix HPRD (NaN when unknown)."""
    rep = np.asarray(reported, dtype=float)
    cm = np.asarray(casemix, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cm > 0, rep * figure.national_average / cm, np.nan)
