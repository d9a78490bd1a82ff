"""Bar charts of the analyst pages (trends, distributions), laid out here, drawn as inline SVG.

As in ``nursinghome.hprd_chart`` the positions are computed in Python and the
template (``analysts/bars.html``) only writes SVG attributes, so the
Content-Security-Policy (no inline style or script) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_chart"]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and box in SVG user units."""

    label: str
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        """The bar's horizontal centre (for its labels)."""
        return self.x + self.width / 2

    @property
    def text(self) -> str:
        """The value as printed above the bar."""
        return f"{self.value:.2f}"


@dataclass(frozen=True)
class BarChart:
    """A titled chart of bars, with the sizes the template needs."""

    chart_id: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox``."""
        return f"0 0 {self.width} {self.height}"


def bar_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, float | None]],
    *,
    width: int = 720,
    height: int = 240,
) -> BarChart:
    """Bars of ``points`` (label, value); a point without a value gets no bar."""
    shown = [(label, float(v)) for label, v in points if v is not None]
    top, bottom = 20, 40
    baseline = height - bottom
    highest = max((v for _, v in shown), default=0.0)
    factor = (height - top - bottom) / highest if highest > 0 else 0.0
    slot = (width - 20) / max(len(shown), 6)
    bars = tuple(
        Bar(label, v, 10 + i * slot + slot * 0.1, baseline - v * factor, slot * 0.8, v * factor)
        for i, (label, v) in enumerate(shown)
    )
    return BarChart(chart_id, title, bars, width, height, baseline)
