"""Bar charts as plain numbers for inline SVG: no script, no inline style, no CDN.

The layout (bar positions and sizes) is computed here; the template
``compliance/chart.html`` draws it with SVG attributes only, so the strict
Content-Security-Policy (``style-src 'self'``, no inline scripts) holds. Colours
come from ``portal/workspace.css`` classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Bar", "Chart", "columns", "horizontal_bars"]


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
    def text(self) -> str:
        """The value as shown next to the bar (no trailing ``.0``)."""
        return f"{self.value:g}"

    @property
    def text_x(self) -> float:
        """Where the value's text starts (after a horizontal bar)."""
        return self.x + self.width + 4

    @property
    def middle(self) -> float:
        """The horizontal middle of the bar (labels of columns)."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class Chart:
    """A titled bar chart; ``horizontal`` bars (categories) or vertical columns (a trend)."""

    chart_id: str
    title: str
    width: int
    height: int
    horizontal: bool
    bars: tuple[Bar, ...]
    label_width: int = 0
    baseline: float = 0

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox`` attribute."""
        return f"0 0 {self.width} {self.height}"


def _scale(values: Sequence[float], room: float) -> float:
    top = max(values, default=0)
    return room / top if top > 0 else 0


def horizontal_bars(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    width: int = 640,
    label_width: int = 230,
    bar: int = 20,
    gap: int = 8,
) -> Chart:
    """One horizontal bar per (label, value), longest value filling the width."""
    room = width - label_width - 60
    factor = _scale([v for _, v in items], room)
    bars = tuple(
        Bar(label, value, label_width, gap + i * (bar + gap), value * factor, bar)
        for i, (label, value) in enumerate(items)
    )
    height = gap + len(items) * (bar + gap) + gap
    return Chart(chart_id, title, width, max(height, 40), True, bars, label_width=label_width)


def columns(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    width: int = 640,
    height: int = 240,
) -> Chart:
    """One vertical column per (label, value) in order (a trend), labels under the axis."""
    top, bottom = 20, 40
    room = height - top - bottom
    factor = _scale([v for _, v in items], room)
    slot = (width - 20) / max(len(items), 1)
    baseline = height - bottom
    bars = tuple(
        Bar(
            label,
            value,
            10 + i * slot + slot * 0.15,
            baseline - value * factor,
            slot * 0.7,
            value * factor,
        )
        for i, (label, value) in enumerate(items)
    )
    return Chart(chart_id, title, width, height, False, bars, baseline=baseline)
