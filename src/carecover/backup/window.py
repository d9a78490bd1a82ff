"""The scheduled service window of a report and the hours it holds.

A window is given by a start and an end clock time on the incident date. An
end at or before the start means the shift runs past midnight (an overnight
Community Living and Supports shift, 22:00-06:00); an end equal to the start
is a full 24-hour day. Hours without staff can never exceed the window.
"""

from __future__ import annotations

from datetime import time

__all__ = ["MAX_HOURS_PER_DATE", "window_hours"]

#: One report covers one incident date, so at most one day's hours (domain notes §7).
MAX_HOURS_PER_DATE = 24.0


def _minutes(moment: time) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60


def window_hours(start: time, end: time) -> float:
    """Hours from ``start`` to ``end``; always in (0, 24].

    ``end <= start`` means the window crosses midnight; ``end == start`` is 24 hours.
    """
    minutes = _minutes(end) - _minutes(start)
    if minutes <= 0:
        minutes += 24 * 60
    return minutes / 60
