"""A facility's standing from the public files, for the nursing-home facility page.

The nursing-home page (``nursinghome/facility.html``) includes
``nursinghome/public_standing.html`` with what this returns: the state
minimum rows (days below, shortfall hours) and the state-peer percentiles of
the facility's quarter in the national history store, or of the latest
quarter the store has for it. ``None`` when there is no store or the
facility is not in it: the page then says so and shows nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecover.errors import CarecoverError
from carecover.pbj.calendar import Quarter

__all__ = ["public_standing"]


_MEMO: dict[tuple[str, str, float], dict[str, Any] | None] = {}
_MEMO_SIZE = 256


def public_standing(ccn: str, quarter: Quarter | None) -> dict[str, Any] | None:
    """Peer percentiles and state minimum rows of ``ccn`` from the public files, or ``None``.

    Remembered per process until the store file changes (a new history load):
    the facility page asks again on every request.
    """
    from django.conf import settings

    path = Path(settings.CARECOVER_HISTORY_STORE).expanduser()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    key = (ccn, str(quarter), stamp)
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = _standing(ccn, quarter)
    return _MEMO[key]


def _standing(ccn: str, quarter: Quarter | None) -> dict[str, Any] | None:
    import duckdb

    from carecover.portal.analysts.pages import facility_figures
    from carecover.portal.analysts.store import history_cursor

    try:
        with history_cursor() as (cursor, table):
            has = cursor.execute(
                f"SELECT count(*) FILTER (WHERE quarter = ?), count(*) FROM {table} "
                "WHERE provnum = ?",
                [str(quarter) if quarter else "", ccn],
            ).fetchall()[0]
            if not has[1]:
                return None
            wanted = quarter if quarter is not None and has[0] else None
            return facility_figures(cursor, table, ccn, quarter=wanted, peers="state")
    except (CarecoverError, duckdb.Error):
        # The public comparison is an extra: a missing or busy store never breaks the page.
        return None
