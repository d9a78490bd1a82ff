"""The HPRD-per-quarter chart: grouped columns laid out here, drawn as inline SVG.

Like ``compliance.charts``, the positions are computed in Python and the
template (``nursinghome/facility_chart.html``) only writes SVG attributes,
so the Content-Security-Policy (no inline style or script) holds. Each
series has a CSS class in ``portal/nursinghome.css``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SERIES", "Column", "GroupedChart", "hprd_chart"]

#: (CSS class, legend, measures key, source) of each column in a quarter's group.
SERIES = (
    ("own-total", "Total nurse HPRD (your PBJ)", "total_hprd", "own"),
    ("own-rn", "RN HPRD (your PBJ)", "rn_hprd", "own"),
    ("cms-total", "Total nurse HPRD (CMS public file)", "total_hprd", "cms"),
    ("cms-rn", "RN HPRD (CMS public file)", "rn_hprd", "cms"),
)


@dataclass(frozen=True)
class Column:
    """One column: its series (CSS class), value and box in SVG user units."""

    series: str
    legend: str
    quarter: str
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def text(self) -> str:
        """The value as printed above the column."""
        return f"{self.value:.2f}"

    @property
    def middle(self) -> float:
        """The horizontal middle of the column."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class GroupedChart:
    """Columns grouped by quarter, with the legend of the series shown."""

    chart_id: str
    title: str
    width: int
    height: int
    baseline: float
    columns: tuple[Column, ...]
    labels: tuple[tuple[str, float], ...]  # (quarter, middle x)
    legend: tuple[tuple[str, str], ...]  # (CSS class, words)

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox`` attribute."""
        return f"0 0 {self.width} {self.height}"


def hprd_chart(
    own: Sequence[dict[str, Any]],
    cms: Sequence[dict[str, Any]],
    *,
    width: int = 720,
    height: int = 260,
) -> GroupedChart:
    """Total and RN HPRD per quarter, the facility's own beside CMS's where CMS has the quarter."""
    rows = {"own": {r["quarter"]: r for r in own}, "cms": {r["quarter"]: r for r in cms}}
    quarters = sorted(set(rows["own"]) | set(rows["cms"]))
    shown = [s for s in SERIES if rows[s[3]]]
    values: list[tuple[str, tuple[str, str, str, str], float]] = []
    for quarter in quarters:
        for series in shown:
            row = rows[series[3]].get(quarter)
            value = None if row is None else row.get(series[2])
            if value is not None:
                values.append((quarter, series, float(value)))
    top, bottom = 20, 40
    room = height - top - bottom
    highest = max((v for _, _, v in values), default=0.0)
    factor = room / highest if highest > 0 else 0.0
    # A lone quarter gets a group as wide as one of six, not the whole chart.
    slot = (width - 20) / max(len(quarters), 6)
    bar = slot * 0.8 / max(len(shown), 1)
    baseline = height - bottom
    columns = []
    for quarter, series, value in values:
        group = 10 + quarters.index(quarter) * slot + slot * 0.1
        x = group + shown.index(series) * bar
        columns.append(
            Column(
                series[0],
                series[1],
                quarter,
                value,
                x,
                baseline - value * factor,
                bar * 0.9,
                value * factor,
            )
        )
    labels = tuple((q, 10 + i * slot + slot / 2) for i, q in enumerate(quarters))
    return GroupedChart(
        "chart-hprd",
        "Nurse staffing hours per resident day, by quarter",
        width,
        height,
        baseline,
        tuple(columns),
        labels,
        tuple((s[0], s[1]) for s in shown),
    )
