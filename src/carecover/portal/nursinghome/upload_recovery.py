"""Finishing uploads a killed worker left behind, and removing stray copies of files.

``receive_upload`` records a ``processing`` Upload and a working folder
(locked by its owner) before it loads the store, and marks the row done
after. A worker killed in between leaves a ``processing`` row whose folder's
lock anyone can take. ``sweep_uploads`` (run by ``carecover serve`` on
start) finishes each such upload:

- its copy is there: the load runs again. The domain loaders skip bytes
  they have stored before (by SHA-256), so a load that had committed is not
  repeated and one that had not is done now; the facility's public-file days
  are rebuilt either way, and the row gets its report and audit event;
- no copy (killed while the file was still being received): nothing was
  stored, and the row is marked rejected, asking for the file again.

It then removes working folders no live upload owns (and the older
``incoming/tmp*`` folders), and the web server's temporary copies of large
uploads (``FILE_UPLOAD_TEMP_DIR``) older than ``RECEIVING_MAX_AGE_S``.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from carecover.errors import InputError, StoreBusyError
from carecover.portal.nursinghome.figure_cache import refresh_figures
from carecover.portal.nursinghome.models import Facility, Upload, UploadStatus
from carecover.portal.nursinghome.stores import (
    facility_store,
    refresh_submission_days,
    stores_dir,
)
from carecover.portal.nursinghome.upload_loading import Outcome, quarters_with_hours
from carecover.portal.nursinghome.upload_reports import Renamer, error_report
from carecover.portal.nursinghome.uploads import (
    OWNER,
    claimed,
    finish_upload,
    incoming_dir,
    load_upload,
)

__all__ = ["RECEIVING_MAX_AGE_S", "SweepResult", "sweep_uploads"]

logger = logging.getLogger(__name__)

#: A temporary upload file untouched this long belongs to no request in progress.
RECEIVING_MAX_AGE_S = 15 * 60
FINISHED = (
    "This upload was interrupted (the portal stopped while loading it) and was finished"
    " when the portal started again."
)
INTERRUPTED = (
    "the upload was interrupted before the file was received in full; nothing was stored:"
    " upload it again"
)

SweepResult = dict[str, int]


def _orphaned(folder: Path) -> bool:
    """Whether no live process owns ``folder`` (its owner lock can be taken)."""
    try:
        with (folder / OWNER).open("a") as owner:
            try:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(owner, fcntl.LOCK_UN)
            return True
    except FileNotFoundError:
        return True


def _finish(upload: Upload) -> str:
    """Finish or roll back one interrupted upload; what was done."""
    folder = incoming_dir(upload.facility) / str(upload.work.get("folder") or "missing")
    if not folder.is_dir() or not _orphaned(folder):
        if folder.is_dir():
            return "running"
        error = InputError(INTERRUPTED, file=upload.original_name)
        finish_upload(upload, Outcome(error_report(upload.original_name, error, Renamer({}))))
        return "rolled back"
    with claimed(folder):
        outcome = load_upload(upload, folder)
        if outcome.report["status"] == "accepted":
            _rebuild_days(upload.facility)
        finish_upload(upload, outcome, note=FINISHED)
    return "finished"


def _rebuild_days(facility: Facility) -> None:
    """The public-file days of every quarter with hours, in case the kill came before them."""
    with facility_store(facility) as con:
        refresh_submission_days(con, facility, quarters_with_hours(con, facility))


def _remove_strays(facility_dirs: list[Path]) -> int:
    """Working folders no live upload owns; the number removed."""
    live = {str(u.work.get("folder")) for u in Upload.objects.filter(status="processing")}
    removed = 0
    for incoming in facility_dirs:
        for folder in incoming.iterdir() if incoming.is_dir() else []:
            if folder.is_dir() and folder.name not in live and _orphaned(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def _remove_old_received(now: float) -> int:
    """The web server's temporary upload files left by killed requests; the number removed."""
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder or not Path(folder).is_dir():
        return 0
    removed = 0
    for file in Path(folder).glob("tmp*.upload*"):
        try:
            if now - file.stat().st_mtime > RECEIVING_MAX_AGE_S:
                file.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def sweep_uploads(*, now: float | None = None) -> SweepResult:
    """Finish or roll back interrupted uploads, then remove stray copies; counts of each."""
    counts: SweepResult = {"finished": 0, "rolled back": 0, "running": 0, "busy": 0}
    touched: set[int] = set()
    pending = Upload.objects.filter(status=UploadStatus.PROCESSING).select_related(
        "facility", "uploaded_by"
    )
    for upload in pending:
        try:
            done = _finish(upload)
        except StoreBusyError:
            done = "busy"
        counts[done] += 1
        if done == "finished":
            touched.add(upload.facility_id)
    for facility in Facility.objects.filter(pk__in=touched):
        refresh_figures(facility, timezone.localdate())
    dirs = [
        stores_dir() / ccn / "incoming" for ccn in Facility.objects.values_list("ccn", flat=True)
    ]
    counts["stray folders"] = _remove_strays(dirs)
    counts["stray received files"] = _remove_old_received(now or time.time())
    if any(counts.values()):
        logger.warning("upload sweep: %s", ", ".join(f"{v} {k}" for k, v in counts.items() if v))
    return counts
