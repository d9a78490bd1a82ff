"""Recompute the staffing ratings of a CMS provider file with a chosen method.

``recompute(path, method)`` reads NH_ProviderInfo and rates every facility
column-wise; ``Recomputed.rows()`` gives the ``stars`` output
(``provnum, staffing_rating, rn_staffing_rating, points``; None where the
method has no such figure), ``rows(explain=True)`` adds what decided each
rating, the distance to the next star and CMS's published ratings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from carecover.errors import ConfigError
from carecover.rating.explain import Explanation, explain
from carecover.rating.methods import Method, method
from carecover.rating.overall import overall_rating
from carecover.rating.providerfile import ProviderFile, read_provider_info
from carecover.rating.releases import release_on
from carecover.rating.scoring import Ratings, rate

__all__ = ["STARS_COLUMNS", "Recomputed", "rated_fields", "recompute"]

STARS_COLUMNS = ("provnum", "staffing_rating", "rn_staffing_rating", "points")
EXPLAIN_COLUMNS = (
    "decided_by",
    "figures_rating",
    "points_to_next_star",
    "rn_hprd_to_next_star",
    "total_hprd_to_next_star",
    "published_staffing_rating",
    "published_rn_staffing_rating",
    "matches_published",
    "overall_rating",
    "published_overall_rating",
)


def _value(x: Any, places: int | None = None) -> Any:
    if x is None:
        return None
    f = float(x)
    if math.isnan(f):
        return None
    if places is None:
        return int(f)
    r = round(f, places)
    return int(r) if r == int(r) else r


@dataclass
class Recomputed:
    """A provider file and its recomputed ratings."""

    provider_file: ProviderFile
    ratings: Ratings

    @property
    def method(self) -> Method:
        """The method used."""
        return self.ratings.method

    def overall(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Overall stars from the file's inspection and QM stars and our staffing stars."""
        pf = self.provider_file
        return overall_rating(
            pf.number("health_inspection_rating"),
            self.ratings.staffing_rating,
            pf.number("qm_rating"),
            self.method,
        )

    def rows(self, *, explain: bool = False) -> list[dict[str, Any]]:
        """One dictionary per facility, in file order."""
        r = self.ratings
        pf = self.provider_file
        has_points = self.method.points is not None
        out: list[dict[str, Any]] = []
        published = pf.number("staffing_rating")
        published_rn = pf.number("rn_staffing_rating")
        overall = self.overall() if explain else None
        published_overall = pf.number("overall_rating")
        for i, provnum in enumerate(pf.provnum):
            row: dict[str, Any] = {
                "provnum": provnum,
                "staffing_rating": _value(r.staffing_rating[i]),
                "rn_staffing_rating": _value(r.rn_staffing_rating[i]),
                "points": _value(r.points[i], 2) if has_points else None,
            }
            if explain:
                mine, theirs = _value(r.staffing_rating[i]), _value(published[i])
                row |= {
                    "decided_by": str(r.decided_by[i]),
                    "figures_rating": _value(r.figures_rating[i]),
                    "points_to_next_star": _value(r.points_to_next_star[i], 2),
                    "rn_hprd_to_next_star": _value(r.rn_gap[i], 5),
                    "total_hprd_to_next_star": _value(r.total_gap[i], 5),
                    "published_staffing_rating": theirs,
                    "published_rn_staffing_rating": _value(published_rn[i]),
                    "matches_published": None
                    if theirs is None and mine is None
                    else mine == theirs,
                    "overall_rating": _value(overall[i]) if overall is not None else None,
                    "published_overall_rating": _value(published_overall[i]),
                }
            out.append(row)
        return out

    def card(self, provnum: str) -> Explanation:
        """The star card of one facility."""
        return explain(self.ratings, self.provider_file.index_of(provnum))


def recompute(path: str | Path, method_name: str | None = None) -> Recomputed:
    """Rate every facility of ``path`` with ``method_name``.

    The default is the method of the Care Compare release in force on the file's
    Processing Date (``releases.release_on``), revised to that date.
    """
    pf = read_provider_info(path)
    if method_name:
        m = method(method_name)
    else:
        day = pf.processing_date()
        if day is None:
            raise ConfigError(f"{path}: no Processing Date in the file; give --method")
        m = release_on(day).method
    pf.require(rated_fields(m), f"the {m.name} method rates with it")
    return Recomputed(pf, rate(pf.measures(), m))


# Provider-file field of each points-method measure (points_2022.csv).
_MEASURE_FIELDS = {
    "adjusted_rn_hprd": "adjusted_rn",
    "adjusted_total_nurse_hprd": "adjusted_total",
    "adjusted_weekend_total_nurse_hprd": "adjusted_weekend_total",
    "total_nurse_turnover_pct": "total_turnover",
    "rn_turnover_pct": "rn_turnover",
    "administrator_departures": "admin_departures",
}


def rated_fields(m: Method) -> tuple[str, ...]:
    """The provider-file fields ``m`` rates with: each must be a column of the file."""
    if m.points is None:
        return ("adjusted_total", "adjusted_rn")
    return tuple(_MEASURE_FIELDS[measure] for measure in m.points.bands)
