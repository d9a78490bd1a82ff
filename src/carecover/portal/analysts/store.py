"""The national history store behind the analyst pages, opened read-only.

One DuckDB database per process (``CARECOVER_HISTORY_STORE``), reopened when
the file changes (a new ``pbj history load``); each request works on its own
cursor, so gunicorn's threads never share one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from carecover.errors import CarecoverError, NotFoundError

__all__ = ["history_cursor", "prepare_history"]

_LOCK = threading.Lock()
_OPEN: dict[str, tuple[float, Any]] = {}
_CURRENT: set[int] = set()  # ids of open databases whose history table is current


def _database() -> Any:
    from carecover.pbj.store import connect

    path = Path(settings.CARECOVER_HISTORY_STORE).expanduser()
    if not path.is_file():
        raise NotFoundError("the national history store is not loaded yet")
    stamp = path.stat().st_mtime
    key = str(path)
    with _LOCK:
        held = _OPEN.get(key)
        if held is None or held[0] != stamp:
            if held is not None:
                _CURRENT.discard(id(held[1]))
                held[1].close()
            _OPEN[key] = (stamp, connect(path, read_only=True))
        return _OPEN[key][1]


@contextmanager
def history_cursor() -> Iterator[tuple[Any, str]]:
    """A cursor on the history store and the name of its facility-quarter table."""
    from carecover.pbj.history.table import HISTORY_TABLE, history_table

    database = _database()
    cursor = database.cursor()
    try:
        # The store is read-only here: once current, its table stays current until the
        # file changes (and _database reopens it), so the check runs once per opening.
        if id(database) in _CURRENT:
            yield cursor, HISTORY_TABLE
        else:
            table = history_table(cursor)
            if table == HISTORY_TABLE:
                _CURRENT.add(id(database))
            yield cursor, table
    finally:
        cursor.close()


def prepare_history() -> None:
    """Compile the analyst pages' rules over the history store, if one is loaded.

    Called as a server worker starts, so that no analyst waits for it; a
    missing or unreadable store is left for the pages to report.
    """
    import duckdb

    from carecover.pbj.history import benchmark as history_benchmark
    from carecover.pbj.history import views as history_views

    # Compiling ahead is only a head start: whatever stops it (no store, a store
    # another process is writing, a file that is not a history store) must not
    # stop the worker, and the pages say what is wrong when asked.
    try:
        with history_cursor() as (cursor, table):
            history_benchmark.prepare(cursor, table)
            history_views.prepare(cursor, table)
    except (CarecoverError, duckdb.Error):
        return
