"""The star card of one facility: each measure, its points or level, the rule that decided."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from carecover.rating.methods import POINT_MEASURES
from carecover.rating.scoring import MEASURE_COLUMNS, Ratings, next_bands

__all__ = ["Explanation", "MeasureLine", "explain"]

LABELS = {
    "adjusted_total_nurse_hprd": "adjusted total nurse HPRD",
    "adjusted_rn_hprd": "adjusted RN HPRD",
    "adjusted_weekend_total_nurse_hprd": "adjusted weekend total nurse HPRD",
    "total_nurse_turnover_pct": "total nurse turnover %",
    "rn_turnover_pct": "RN turnover %",
    "administrator_departures": "administrators who left",
}


def _num(value: Any) -> float | None:
    if value is None:
        return None
    f = float(value)
    return None if math.isnan(f) else f


def _stars(value: Any) -> int | None:
    f = _num(value)
    return None if f is None else int(f)


@dataclass(frozen=True)
class MeasureLine:
    """One measure on the star card."""

    measure: str
    label: str
    value: float | None
    points: float | None = None
    max_points: float | None = None
    level: int | None = None
    status: str = ""
    next_bound: float | None = None
    next_points: float | None = None


@dataclass(frozen=True)
class Explanation:
    """Why a facility has its staffing rating."""

    provnum: str
    method: str
    staffing_rating: int | None
    rn_staffing_rating: int | None
    points: float | None
    possible_points: float | None
    points_to_next_star: float | None
    decided_by: str
    figures_rating: int | None
    measures: list[MeasureLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)

    def to_text(self) -> str:
        """The card as plain text lines."""
        rating = "none" if self.staffing_rating is None else f"{self.staffing_rating} of 5"
        lines = [f"facility {self.provnum} — method {self.method}", f"staffing rating: {rating}"]
        if self.rn_staffing_rating is not None:
            lines.append(f"RN staffing rating: {self.rn_staffing_rating} of 5")
        lines.append(f"decided by: {self.decided_by}")
        if self.points is not None:
            rescaled = (
                f" (rescaled from {self.possible_points:g} possible)"
                if self.possible_points not in (None, 380.0)
                else ""
            )
            lines.append(f"points: {self.points:.1f} of 380{rescaled}")
        if self.points_to_next_star is not None:
            lines.append(f"points to the next star: {self.points_to_next_star:.1f}")
        for m in self.measures:
            value = "missing" if m.value is None else f"{m.value:g}"
            if m.points is not None:
                score = f"{m.points:g}/{m.max_points:g} points"
            elif m.level is not None:
                score = f"level {m.level}"
            else:
                score = "-"
            extra = f" [{m.status}]" if m.status else ""
            if m.next_bound is not None:
                extra += f" next: {m.next_bound:g} for {m.next_points:g}"
            lines.append(f"  {m.label:36} {value:>10}  {score}{extra}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def explain(ratings: Ratings, index: int) -> Explanation:
    """The explanation of facility ``index`` in ``ratings``."""
    m = ratings.measures
    method = ratings.method
    lines: list[MeasureLine] = []
    notes: list[str] = []
    if method.points is not None:
        for measure in POINT_MEASURES:
            bound, pts = next_bands(ratings, measure)
            lines.append(
                MeasureLine(
                    measure=measure,
                    label=LABELS[measure],
                    value=_num(getattr(m, MEASURE_COLUMNS[measure])[index]),
                    points=_num(ratings.measure_points[measure][index]),
                    max_points=float(method.points.max_points(measure)),
                    status=str(ratings.measure_status[measure][index]),
                    next_bound=_num(bound[index]),
                    next_points=_num(pts[index]),
                )
            )
    else:
        rn_gap = _num(ratings.rn_gap[index])
        total_gap = _num(ratings.total_gap[index])
        lines.append(
            MeasureLine(
                "adjusted_rn_hprd",
                LABELS["adjusted_rn_hprd"],
                _num(m.adjusted_rn[index]),
                level=_stars(ratings.rn_level[index]),
            )
        )
        lines.append(
            MeasureLine(
                "adjusted_total_nurse_hprd",
                LABELS["adjusted_total_nurse_hprd"],
                _num(m.adjusted_total[index]),
                level=_stars(ratings.total_level[index]),
            )
        )
        if rn_gap is not None:
            notes.append(f"{rn_gap:.4f} more adjusted RN HPRD would add a staffing star")
        if total_gap is not None:
            notes.append(
                f"{total_gap:.4f} more adjusted total nurse HPRD would add a staffing star"
            )
    zero = _num(m.zero_rn_days[index])
    if zero is not None:
        notes.append(
            f"{zero:g} days with residents and no RN hours "
            f"(one star from {method.zero_rn_days_one_star})"
        )
    return Explanation(
        provnum=str(m.provnum[index]),
        method=method.name,
        staffing_rating=_stars(ratings.staffing_rating[index]),
        rn_staffing_rating=_stars(ratings.rn_staffing_rating[index]),
        points=_num(ratings.points[index]),
        possible_points=_num(ratings.possible_points[index]),
        points_to_next_star=_num(ratings.points_to_next_star[index]),
        decided_by=str(ratings.decided_by[index]),
        figures_rating=_stars(ratings.figures_rating[index]),
        measures=lines,
        notes=notes,
    )
