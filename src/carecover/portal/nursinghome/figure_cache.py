"""The facility page's figures, computed once per store generation and shared by every worker.

Computing the page's figures takes about a second of CPU, and a team opens
the same page at once. So ``facility_figures`` keys the figures by the
facility, its rating inputs, the quarter, the day and the what-if, and keeps
them with the store's generation (``stores.generation``, bumped by every
write): in this process's memory and as a file beside the store
(``<stores>/<CCN>/figures/``, written atomically), so every gunicorn worker
answers from the one computation. An upload computes the default page's
figures as it finishes (``refresh_figures``), so no reader pays for them.

Readers hold the store's shared lock while they check the generation, and
open DuckDB read-only only to compute. While an upload (or another program)
writes the store, or another worker computes the new figures, a reader does
not wait: it shows the figures it already has, from before, with a notice;
only a reader with no figures at all waits for the writer
(``stores.STORE_WAIT_S``), then the page says the store is busy
(``StoreBusyError``).

The files hold what the page shows, resident lists included, so they sit
with the store (which holds the same data); each is signed with an HMAC
under the portal's secret key and only a file with a good signature is read.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.conf import settings

from carecover.errors import StoreBusyError
from carecover.facility.overview import FacilityFigures, WhatIf, compute_figures
from carecover.pbj.calendar import Quarter
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import (
    generation,
    reading_store,
    shared_lock,
    store_path,
    stores_dir,
)

__all__ = ["STALE_NOTICE", "facility_figures", "refresh_figures"]

logger = logging.getLogger(__name__)

#: Figures kept in each process's memory (a few hundred KB each).
MEMORY_ENTRIES = 64
#: Files of figures untouched this many days are removed when an upload refreshes them.
KEEP_DAYS = 2
STALE_NOTICE = (
    "The facility's store is being updated (an upload is loading): these figures are"
    " from before it. Reload the page in a moment for the new ones."
)

Kept = tuple[str, FacilityFigures]
_SIGNATURE_BYTES = 32
_MEMORY: OrderedDict[str, Kept] = OrderedDict()
_GUARD = threading.Lock()


def _key(facility: Facility, quarter: Quarter | None, today: date, what_if: WhatIf) -> str:
    """Everything besides the store that the figures depend on, as a file-safe digest."""
    inputs = (
        facility.ccn,
        facility.state,
        facility.pbj_facility_id,
        facility.cmi_ratio,
        facility.audit_failed,
        facility.health_inspection_stars,
        facility.quality_measure_stars,
        str(quarter),
        today.isoformat(),
        repr(what_if),
    )
    return hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]


def _folder(facility: Facility) -> Path:
    return stores_dir() / facility.ccn / "figures"


def _latest(facility: Facility, key: str, *, disk: bool = True) -> Kept | None:
    """The figures last kept under ``key`` and their generation (memory first, then the file)."""
    with _GUARD:
        found = _MEMORY.get(key)
        if found is not None:
            _MEMORY.move_to_end(key)
    if found is not None or not disk:
        return found
    try:
        signed = (_folder(facility) / f"{key}.pickle").read_bytes()
    except FileNotFoundError:
        return None
    body = signed[_SIGNATURE_BYTES:]
    if not hmac.compare_digest(signed[:_SIGNATURE_BYTES], _sign(body)):
        logger.warning("figures of %s: a cache file without our signature was ignored", key)
        return None
    try:
        # Safe to unpickle: the signature proves this process's portal wrote it.
        loaded = pickle.loads(body)  # noqa: S301
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        # Figures of an older release: computed again.
        return None
    _remember(key, loaded)
    return loaded  # type: ignore[no-any-return]


def _current(facility: Facility, key: str, now: str) -> FacilityFigures | None:
    """The figures kept under ``key`` if they are of the generation ``now``."""
    found = _latest(facility, key, disk=False)
    if found is None or found[0] != now:
        found = _latest_on_disk(facility, key)
    return found[1] if found is not None and found[0] == now else None


def _latest_on_disk(facility: Facility, key: str) -> Kept | None:
    with _GUARD:
        _MEMORY.pop(key, None)
    return _latest(facility, key)


def _remember(key: str, kept: Kept) -> None:
    with _GUARD:
        _MEMORY[key] = kept
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > MEMORY_ENTRIES:
            _MEMORY.popitem(last=False)


def _keep(facility: Facility, key: str, kept: Kept) -> None:
    """Keep the figures in memory and in their file (replaced atomically: no half-read file)."""
    _remember(key, kept)
    folder = _folder(facility)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{key}.{os.getpid()}.{threading.get_ident()}.partial"
    body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    partial.write_bytes(_sign(body) + body)
    partial.replace(folder / f"{key}.pickle")


def _sign(body: bytes) -> bytes:
    """An HMAC of ``body`` under the portal's secret key: only our own files are unpickled."""
    key = f"carecover.figure_cache:{settings.SECRET_KEY}".encode()
    return hmac.new(key, body, hashlib.sha256).digest()


@contextmanager
def _computing(facility: Facility, key: str, *, wait: bool) -> Iterator[bool]:
    """One computation of ``key`` at a time across workers; True when this one computes.

    False (without waiting) when another computes it and ``wait`` is False:
    the caller shows the figures it has meanwhile.
    """
    folder = _folder(facility)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{key}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _held(facility: Facility, key: str) -> bool:
    """Whether a worker is computing the figures of ``key`` right now."""
    lock_file = _folder(facility) / f"{key}.lock"
    if not lock_file.exists():
        return False
    with lock_file.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False


def _stale(kept: Kept) -> FacilityFigures:
    """Figures of an earlier generation, with the notice saying so."""
    figures = kept[1]
    return replace(figures, notices=[*figures.notices, STALE_NOTICE])


def _fresh(
    facility: Facility, quarter: Quarter | None, today: date, what_if: WhatIf
) -> FacilityFigures:
    """The figures of the store as it is now; call under the store's shared lock.

    While another worker computes them, the figures kept from before are shown.
    """
    key = _key(facility, quarter, today, what_if)
    now = generation(facility)
    found = _current(facility, key, now)
    if found is not None:
        return found
    before = _latest(facility, key)
    if quarter is not None:
        # The latest quarter by name is the default page, which an upload computes
        # as it finishes: take it, or the figures from before while it is computed.
        default = _key(facility, None, today, what_if)
        latest = _current(facility, default, now)
        if latest is not None and latest.quarter == quarter and not latest.notices:
            return latest
        if before is not None and _held(facility, default):
            return _stale(before)
    with _computing(facility, key, wait=before is None) as mine:
        if not mine and before is not None:
            return _stale(before)
        found = _current(facility, key, now)
        if found is not None:
            return found
        with reading_store(facility) as con:
            figures = compute_figures(
                con, facility, quarter, store=store_path(facility), today=today, what_if=what_if
            )
        figures.cache_key = hashlib.sha256(f"{key}:{now}".encode()).hexdigest()[:32]
        _keep(facility, key, (now, figures))
    if quarter is None and figures.quarter is not None and not figures.notices:
        # The latest quarter asked for by name is the same page.
        _keep(facility, _key(facility, figures.quarter, today, what_if), (now, figures))
    return figures


def facility_figures(
    facility: Facility,
    quarter: Quarter | None,
    *,
    today: date,
    what_if: WhatIf | None = None,
) -> FacilityFigures:
    """The facility page's figures for ``quarter`` (None: the latest quarter with data).

    StoreBusyError when the store is being written, no figures were kept
    from before, and the writer did not finish within ``stores.STORE_WAIT_S``.
    """
    what_if = what_if or WhatIf()
    try:
        with shared_lock(facility, wait=0):
            return _fresh(facility, quarter, today, what_if)
    except StoreBusyError:
        kept = _latest(facility, _key(facility, quarter, today, what_if))
        if kept is not None:
            return _stale(kept)
    with shared_lock(facility):
        return _fresh(facility, quarter, today, what_if)


def refresh_figures(facility: Facility, today: date) -> None:
    """Compute the default page's figures now (after an upload), so no reader waits for them.

    Files of figures nobody asked for in ``KEEP_DAYS`` (other days, old
    what-ifs) are removed first, so the folder does not grow without end.
    """
    cutoff = time.time() - KEEP_DAYS * 86_400
    for old in _folder(facility).glob("*") if _folder(facility).is_dir() else []:
        with suppress(FileNotFoundError):
            if old.stat().st_mtime < cutoff:
                old.unlink()
    try:
        facility_figures(facility, None, today=today)
    except StoreBusyError:
        # Another upload started meanwhile; it refreshes them when it finishes.
        logger.info("figures of %s not refreshed: the store is busy", facility.ccn)
