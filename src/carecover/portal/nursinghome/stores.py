"""Each facility's DuckDB store: where its PBJ hours and MDS assessments live.

One file per facility (``<CCN>.duckdb`` under ``CARECOVER_FACILITY_STORES``)
holds both the PBJ store tables (``carecover.pbj.store``) and the MDS tables
(``carecover.mds.store``), so the census and the hours meet without copying.

DuckDB lets one process write a file, or several processes read it, at a
time; the portal runs several worker processes and threads. So every use
takes a ``flock`` on the facility's lock file first: a writer (an upload,
``facility_store``) takes it exclusively, readers (the facility page,
``reading_store``) take it shared and open the file read-only, so readers
never wait on each other. A writer bumps the store's generation
(``generation``) when it is done: figures computed from the store are
cached under it (``figure_cache``). A store another program holds (an
analyst's ``carecover pbj load --db``) is ``StoreBusyError``.
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings

from carecover.errors import StoreBusyError
from carecover.mds.census import daily_census
from carecover.mds.store import create_mds_schema
from carecover.pbj.calendar import Quarter
from carecover.pbj.store import connect
from carecover.pbj.submission.days import build_submission_days
from carecover.portal.nursinghome.models import Facility

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "STORE_WAIT_S",
    "facility_store",
    "generation",
    "reading_store",
    "refresh_submission_days",
    "shared_lock",
    "store_path",
    "stores_dir",
]

#: How long a request waits for a store another request is writing (an upload
#: of a large quarter takes seconds) before it answers that the store is busy.
STORE_WAIT_S = 30.0
_POLL_S = 0.05


def stores_dir() -> Path:
    """The folder of the facility stores (created when missing)."""
    folder = Path(settings.CARECOVER_FACILITY_STORES).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_path(facility: Facility) -> Path:
    """The facility's DuckDB file; named by CCN, which the model restricts to [0-9A-Z]{6}."""
    return stores_dir() / f"{facility.ccn}.duckdb"


def _lock(handle: IO[str], kind: int, wait: float, path: Path) -> None:
    """Take the ``flock`` ``kind`` on ``handle``, waiting up to ``wait`` s; else StoreBusyError."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreBusyError(path.name, holder="another request", waited=wait) from None
            time.sleep(_POLL_S)


def generation(facility: Facility) -> str:
    """What identifies the store's content now: changes with every write, ours or another's.

    A writer here bumps the ``.generation`` file; the store's own size and
    time stamps catch a program that writes the file directly.
    """
    path = store_path(facility)
    parts = []
    for file in (path, path.with_suffix(".duckdb.wal"), path.with_suffix(".generation")):
        try:
            found = file.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{found.st_ino}.{found.st_size}.{found.st_mtime_ns}")
    marker = path.with_suffix(".generation")
    parts.append(marker.read_text(encoding="ascii").strip() if marker.exists() else "")
    return "/".join(parts)


@contextmanager
def facility_store(facility: Facility, *, wait: float = STORE_WAIT_S) -> Iterator[Any]:
    """The store open for writing, under its exclusive lock; closed (and its generation bumped).

    StoreBusyError when another request held it for ``wait`` seconds, or
    another program has the file open.
    """
    path = store_path(facility)
    with path.with_suffix(".lock").open("a") as lock:
        _lock(lock, fcntl.LOCK_EX, wait, path)
        try:
            con = connect(path)
            try:
                create_mds_schema(con)
                yield con
            finally:
                con.close()
                _bump(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _bump(path: Path) -> None:
    """A new generation, written atomically (readers never see a half-written one)."""
    marker = path.with_suffix(".generation")
    partial = marker.with_suffix(f".generation.{os.getpid()}")
    partial.write_text(uuid.uuid4().hex, encoding="ascii")
    partial.replace(marker)


@contextmanager
def shared_lock(facility: Facility, *, wait: float = STORE_WAIT_S) -> Iterator[None]:
    """The store's lock, shared with other readers: no writer of ours changes it meanwhile.

    StoreBusyError when a writer held it for ``wait`` seconds (0: do not wait).
    """
    path = store_path(facility)
    if not path.exists():
        # A facility without uploads: create the empty store once, as a writer.
        with facility_store(facility, wait=wait):
            pass
    with path.with_suffix(".lock").open("a") as lock:
        _lock(lock, fcntl.LOCK_SH, wait, path)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def reading_store(facility: Facility) -> Iterator[Any]:
    """The store open read-only; call it inside ``shared_lock``. Readers run side by side.

    StoreBusyError when another program has the file open for writing.
    """
    con = connect(store_path(facility), read_only=True)
    try:
        yield con
    finally:
        con.close()


def refresh_submission_days(
    con: DuckDBPyConnection, facility: Facility, quarters: Iterable[Quarter]
) -> int:
    """Rebuild the facility's public-file rows of ``quarters`` from its PBJ hours and MDS census.

    Called after every PBJ or MDS upload, so the facility page always shows
    the hours of the latest submission over the census of the latest
    assessments. Returns the number of facility-days written.
    """
    written = 0
    for quarter in sorted(set(quarters), key=str):
        census = {
            c.date: c.census
            for c in daily_census(con, quarter.start, quarter.end, facility=facility.ccn)
        }
        written += build_submission_days(
            con,
            provnum=facility.ccn,
            state=facility.state,
            facility_id=facility.pbj_facility_id,
            quarter=quarter,
            census=census,
        )
    return written
