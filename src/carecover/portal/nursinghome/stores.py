"""Each facility's DuckDB store: where its PBJ hours and MDS assessments live.

One file per facility (``<CCN>.duckdb`` under ``CARECOVER_FACILITY_STORES``)
holds both the PBJ store tables (``carecover.pbj.store``) and the MDS tables
(``carecover.mds.store``), so the census and the hours meet without copying.
DuckDB lets one process write a file at a time, and the portal runs several
worker processes and threads: every use takes an exclusive ``flock`` on the
facility's lock file first, so requests for one facility queue (they take
milliseconds to a second) while other facilities go on in parallel.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from carecover.mds.census import daily_census
from carecover.mds.store import create_mds_schema
from carecover.pbj.calendar import Quarter
from carecover.pbj.store import connect
from carecover.pbj.submission_days import build_submission_days
from carecover.portal.nursinghome.models import Facility

__all__ = ["facility_store", "refresh_submission_days", "store_path", "stores_dir"]


def stores_dir() -> Path:
    """The folder of the facility stores (created when missing)."""
    folder = Path(settings.CARECOVER_FACILITY_STORES).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_path(facility: Facility) -> Path:
    """The facility's DuckDB file; named by CCN, which the model restricts to [0-9A-Z]{6}."""
    return stores_dir() / f"{facility.ccn}.duckdb"


@contextmanager
def facility_store(facility: Facility) -> Iterator[Any]:
    """An open DuckDB connection to the facility's store, under its lock; closed after."""
    path = store_path(facility)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            con = connect(path)
            try:
                create_mds_schema(con)
                yield con
            finally:
                con.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def refresh_submission_days(con: Any, facility: Facility, quarters: Iterable[Quarter]) -> int:
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
