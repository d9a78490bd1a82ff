"""The facility's store under concurrent use: readers share it, writers and other programs do not.

Readers (the facility page) never wait on each other; while an upload holds
the store the page shows the figures from before it; a store another
program holds (an analyst's ``carecover pbj load --db``) is a 503 page that
asks to retry, and an upload then is refused without blaming the file.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils.html import escape

from carecover.facility.overview import FacilityFigures, WhatIf
from carecover.pbj.calendar import Quarter
from carecover.portal.nursinghome import figure_cache
from carecover.portal.nursinghome.busy import PAGE_BUSY, UPLOAD_BUSY
from carecover.portal.nursinghome.figure_cache import (
    STALE_NOTICE,
    facility_figures,
    refresh_figures,
)
from carecover.portal.nursinghome.models import Facility, Upload
from carecover.portal.nursinghome.stores import (
    facility_store,
    reading_store,
    shared_lock,
    store_path,
)
from tests.portal.nursinghome.test_facility_figures import set_rn_hours
from tests.portal.nursinghome.test_uploads import oakwood_pbj, upload_file

TODAY = date(2026, 11, 23)
PAGE = "/nursing-homes/100000/"
#: A call that waited on a lock instead of answering would take far longer.
ANSWER_WITHIN_S = 60

_HOLD = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


@contextmanager
def held_by_another_program(path: Path) -> Iterator[None]:
    """Another process has the DuckDB file open for writing (as ``pbj load --db`` would)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        yield
    finally:
        proc.communicate(input="", timeout=60)


def in_a_thread(call: Callable[[], FacilityFigures]) -> FacilityFigures:
    """``call()`` in another thread; fails (instead of hanging) when it waits on a lock."""
    answers: list[FacilityFigures] = []
    thread = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    thread.start()
    thread.join(ANSWER_WITHIN_S)
    assert not thread.is_alive(), "the reader waited for the store"
    return answers[0]


def test_readers_do_not_wait_for_a_reader_that_holds_the_store(loaded_facility: Facility) -> None:
    with shared_lock(loaded_facility), reading_store(loaded_facility):
        figures = in_a_thread(lambda: facility_figures(loaded_facility, None, today=TODAY))
    assert figures.quarter is not None
    assert STALE_NOTICE not in figures.notices


def test_while_an_upload_writes_the_store_the_page_shows_the_figures_from_before_it(
    loaded_facility: Facility,
) -> None:
    before = facility_figures(loaded_facility, None, today=TODAY)
    with facility_store(loaded_facility):
        during = in_a_thread(lambda: facility_figures(loaded_facility, None, today=TODAY))
    assert during.own_measures == before.own_measures
    assert STALE_NOTICE in during.notices
    assert STALE_NOTICE not in facility_figures(loaded_facility, None, today=TODAY).notices


def test_figures_are_computed_once_per_store_generation_and_again_after_a_write(
    loaded_facility: Facility, facility_stores: Path
) -> None:
    first = facility_figures(loaded_facility, None, today=TODAY)
    assert facility_figures(loaded_facility, None, today=TODAY) is first
    assert list((facility_stores / "100000" / "figures").glob("*.pickle"))
    set_rn_hours(loaded_facility, date(2026, 8, 4), 0)
    after = facility_figures(loaded_facility, None, today=TODAY)
    assert after is not first
    assert after.zero_rn_days == first.zero_rn_days + 1


def test_a_figures_file_without_the_portals_signature_is_never_unpickled(
    loaded_facility: Facility, facility_stores: Path
) -> None:
    first = facility_figures(loaded_facility, None, today=TODAY, what_if=WhatIf(extra_rn_hours=1))
    for kept in (facility_stores / "100000" / "figures").glob("*.pickle"):
        kept.write_bytes(b"\x00" * 32 + b"cos\nsystem\n(S'false'\ntR.")
    from carecover.portal.nursinghome import figure_cache

    figure_cache._MEMORY.clear()
    again = facility_figures(loaded_facility, None, today=TODAY, what_if=WhatIf(extra_rn_hours=1))
    assert again is not first
    assert again.own_measures == first.own_measures


def test_a_store_another_program_holds_gives_a_busy_page_not_a_server_error(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    with held_by_another_program(store_path(loaded_facility)):
        response = as_home_user("don").get(PAGE)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert escape(PAGE_BUSY) in response.content.decode()
    assert str(store_path(loaded_facility)) not in response.content.decode()


def test_an_upload_while_another_program_holds_the_store_is_not_blamed_on_the_file(
    homes: dict[str, Any],
    as_home_user: Callable[[str], Client],
    synthetic_files: dict[str, Path],
    facility_stores: Path,
) -> None:
    oakwood = homes["oakwood"]
    with facility_store(oakwood):
        pass
    with held_by_another_program(store_path(oakwood)):
        response = as_home_user("administrator").post(
            "/nursing-homes/100000/uploads/",
            {
                "kind": "pbj_xml",
                "file": upload_file("q3.xml", oakwood_pbj(synthetic_files["pbj_xml"])),
            },
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert escape(UPLOAD_BUSY) in page
    assert "was rejected" not in page
    assert "could not be read" not in page
    assert not Upload.objects.exists()
    assert list((facility_stores / "100000" / "incoming").iterdir()) == []


def test_while_another_worker_computes_new_figures_a_reader_shows_the_ones_from_before(
    loaded_facility: Facility, facility_stores: Path
) -> None:
    before = facility_figures(loaded_facility, None, today=TODAY)
    set_rn_hours(loaded_facility, date(2026, 8, 4), 0)
    locks = [path.open("a") for path in (facility_stores / "100000" / "figures").glob("*.lock")]
    try:
        for lock in locks:  # as a worker computing the new figures holds them
            fcntl.flock(lock, fcntl.LOCK_EX)
        during = in_a_thread(lambda: facility_figures(loaded_facility, None, today=TODAY))
    finally:
        for lock in locks:
            lock.close()
    assert during.zero_rn_days == before.zero_rn_days
    assert STALE_NOTICE in during.notices
    after = facility_figures(loaded_facility, None, today=TODAY)
    assert after.zero_rn_days == before.zero_rn_days + 1
    assert STALE_NOTICE not in after.notices


def test_figures_nobody_asked_for_in_days_are_removed_when_an_upload_refreshes_them(
    loaded_facility: Facility, facility_stores: Path
) -> None:
    facility_figures(loaded_facility, None, today=date(2026, 11, 1))
    folder = facility_stores / "100000" / "figures"
    old = sorted(folder.glob("*.pickle"))
    three_days_ago = time.time() - 3 * 86_400
    for path in old:
        os.utime(path, (three_days_ago, three_days_ago))
    refresh_figures(loaded_facility, TODAY)
    assert old
    assert not any(path.exists() for path in old)
    assert list(folder.glob("*.pickle"))


def test_a_named_quarter_shows_the_figures_from_before_while_the_default_page_is_computed(
    loaded_facility: Facility, facility_stores: Path
) -> None:
    quarter = Quarter(2026, 3)
    before = facility_figures(loaded_facility, quarter, today=TODAY)
    set_rn_hours(loaded_facility, date(2026, 8, 4), 0)
    default = figure_cache._key(loaded_facility, None, TODAY, WhatIf())
    lock_file = facility_stores / "100000" / "figures" / f"{default}.lock"
    with lock_file.open("a") as lock:  # as the upload computing the default page does
        fcntl.flock(lock, fcntl.LOCK_EX)
        during = in_a_thread(lambda: facility_figures(loaded_facility, quarter, today=TODAY))
    assert STALE_NOTICE in during.notices
    assert during.zero_rn_days == before.zero_rn_days
    latest = facility_figures(loaded_facility, None, today=TODAY)
    assert facility_figures(loaded_facility, quarter, today=TODAY) is latest
