"""The parts of a Five-Star staffing method, as frozen values.

``methods`` reads a method file into these: the overall-rating rule, the
level or points rule, the turnover rule, the case-mix settings, the
implausible-value tests, dated revisions, and every value's provenance
(``Fact``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from carecover.rating.comparison import Comparison

__all__ = [
    "CasemixSettings",
    "ExclusionTest",
    "Fact",
    "LevelRule",
    "OverallRule",
    "PointsBand",
    "PointsRule",
    "Revision",
    "TurnoverRule",
]


@dataclass(frozen=True)
class Fact:
    """One value of a method with its provenance."""

    key: str
    value: Any
    source: str
    confidence: str


@dataclass(frozen=True)
class ExclusionTest:
    """An implausible-value test on a reported HPRD (``total``, ``aide``, ``weekend_total``...)."""

    measure: str
    operator: Comparison
    threshold: float


@dataclass(frozen=True)
class OverallRule:
    """How the staffing and QM stars move the health-inspection stars."""

    staffing_adds_at: int
    staffing_add_needs_above_inspection: bool
    staffing_removes_at: int
    qm_adds_at: int
    qm_removes_at: int
    one_star_inspection_max_rise: int


@dataclass(frozen=True)
class LevelRule:
    """Two-measure methods: lower bounds of levels 2–5 and the combination."""

    rn_cut_points: tuple[float, ...]
    total_cut_points: tuple[float, ...]
    grid: tuple[tuple[int, ...], ...]  # grid[rn_level - 1][total_level - 1]
    combine: str  # "grid" or "average_round_down"


@dataclass(frozen=True)
class PointsBand:
    """One row of the points table: ``points`` for values within ``bound``."""

    measure: str
    points: int
    bound_type: str  # lower_inclusive, upper_inclusive, equals, at_least
    bound_value: float


@dataclass(frozen=True)
class PointsRule:
    """Six-measure methods: point bands, star thresholds and missing-measure policy."""

    bands: dict[str, tuple[PointsBand, ...]]
    star_bands: tuple[float, ...]  # lower bounds of 2..5 stars
    maximum: float
    missing_total_turnover: str  # drop | lowest
    missing_total_turnover_also_rn: bool
    missing_rn_turnover: str
    missing_admin: str
    missing_hprd: str

    def max_points(self, measure: str) -> int:
        """The most points ``measure`` can earn."""
        return max(b.points for b in self.bands[measure])

    def min_points(self, measure: str) -> int:
        """The fewest points ``measure`` can earn (its "lowest points")."""
        return min(b.points for b in self.bands[measure])


@dataclass(frozen=True)
class TurnoverRule:
    """Eligibility and departure settings for turnover from employee-level PBJ."""

    departure_gap_days: int
    eligibility_hours: float
    eligibility_days: int
    pay_types: tuple[int, ...]
    admin_exclusion_ids: int
    admin_exclusion_days: int
    admin_exclusion_scope: str  # quarter | eligibility


@dataclass(frozen=True)
class CasemixSettings:
    """Case-mix system, weights file and the national figures a method uses."""

    system: str  # rug-iv | pdpm
    weights_file: str
    release: str | None
    national_rn_hprd: float | None
    national_total_hprd: float | None


@dataclass(frozen=True)
class Revision:
    """Values of a method changed from a later release on (``turnover`` / ``points`` keys)."""

    effective_from: date
    title: str
    source: str
    confidence: str
    turnover: tuple[tuple[str, Any], ...] = ()
    points: tuple[tuple[str, Any], ...] = ()
