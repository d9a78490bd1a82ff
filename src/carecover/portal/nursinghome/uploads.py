"""Receiving a facility's upload: copy, record, load under the store's lock, mark done.

``receive_upload`` is the whole job for the upload page, in three recoverable
phases (a worker killed between them leaves work ``upload_recovery`` finishes):

1. ``begin_upload``: the file is copied in chunks into a private working
   folder beside the facility's store (``<stores>/<CCN>/incoming/work-*``,
   locked by its owner while the upload runs), under a name made from its
   SHA-256 (the name the user gave is shown back to them and never used as a
   path), and an ``Upload`` row is recorded as ``processing``;
2. ``load_upload``: its first bytes are compared with the kind picked (an MDS
   extract uploaded as a PBJ file is refused with a sentence saying which it
   looks like), then the kind's loader (``upload_loading``) judges and loads
   it while the store's lock is held; any ``CarecoverError`` becomes a
   rejected report that names file, line and field. A store held by someone
   else is ``StoreBusyError``: nothing is recorded and the user is asked to
   upload again, without blaming the file;
3. ``finish_upload``: the row gets its report, accepted or not, in the same
   transaction as its audit event. A time-clock export's generated PBJ file is
   kept as ``<stores>/<CCN>/uploads/<id>.xml`` for the facility to submit.

The working folder is removed on every path out, so copies (an MDS file
holds SSNs) do not outlive the upload.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import shutil
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import duckdb
from django.db import transaction
from django.utils import timezone

from carecover.errors import CarecoverError, InputError, StoreBusyError
from carecover.pbj.calendar import Quarter
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.nursinghome.figure_cache import refresh_figures
from carecover.portal.nursinghome.models import Facility, Upload, UploadKind, UploadStatus
from carecover.portal.nursinghome.stores import facility_store, stores_dir
from carecover.portal.nursinghome.upload_loading import (
    Outcome,
    TimeclockOptions,
    load_mds,
    load_pbj,
    load_public,
    load_timeclock,
)
from carecover.portal.nursinghome.upload_reports import Renamer, error_report

__all__ = [
    "OWNER",
    "UploadOptions",
    "begin_upload",
    "claimed",
    "clean_name",
    "finish_upload",
    "generated_xml_path",
    "incoming_dir",
    "load_upload",
    "receive_upload",
]

logger = logging.getLogger(__name__)

#: What a CSV header says about the file (columns that only that kind has).
_CSV_SIGNS = (
    ("A0100B", UploadKind.MDS),
    ("PROVNUM", UploadKind.PUBLIC_FILE),
    ("EMPLOYEE_ID", UploadKind.TIMECLOCK),
)
#: The kinds each kind of content may be.
_CONTENT = {
    UploadKind.PBJ_XML: {"xml", "zip"},
    UploadKind.TIMECLOCK: {"csv"},
    UploadKind.MDS: {"xml", "zip", "csv"},
    UploadKind.PUBLIC_FILE: {"csv"},
}
_HEAD_BYTES = 4096
#: The lock file a load holds in its working folder while it runs.
OWNER = ".owner"


class UploadedFileLike(Protocol):
    """What Django's ``UploadedFile`` offers that the service uses."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Any:
        """The file's bytes in pieces."""


@dataclass(frozen=True)
class UploadOptions:
    """Settings of a time-clock upload: the quarter, merge or replace, a job-title mapping."""

    quarter: Quarter | None = None
    process_type: str = "merge"
    mapping: UploadedFileLike | None = None


def clean_name(name: str | None) -> str:
    """The user's file name for display: last path part, printable, at most 255 characters."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(c for c in last if c.isprintable()).strip()
    return printable[:255] or "upload"


def generated_xml_path(upload: Upload) -> Path:
    """Where a time-clock upload's generated PBJ file is kept (by CCN and id, never by name)."""
    return stores_dir() / upload.facility.ccn / "uploads" / f"{upload.pk}.xml"


def _copy(file: UploadedFileLike, folder: Path, suffix: str) -> tuple[Path, str, int]:
    """Copy ``file`` into ``folder``; its path (named by SHA-256), SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    partial = folder / "receiving"
    with partial.open("wb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    sha = digest.hexdigest()
    path = folder / f"{sha[:16]}{suffix}"
    partial.rename(path)
    return path, sha, size


def _content(path: Path) -> tuple[str, UploadKind | None]:
    """("zip" | "xml" | "csv" | "empty", the kind a CSV header points to)."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        return "empty", None
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        return "zip", None
    text = head.decode("utf-8-sig", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "xml", None
    columns = {c.strip().strip('"').upper() for c in text.splitlines()[0].split(",")}
    return "csv", next((kind for column, kind in _CSV_SIGNS if column in columns), None)


def _check_kind(kind: UploadKind, path: Path, original: str) -> str:
    """The file's suffix for the domain loaders; ``InputError`` if it is not what was picked."""
    content, looks_like = _content(path)
    if content == "empty":
        raise InputError("the file is empty", file=original)
    if looks_like is not None and looks_like != kind:
        raise InputError(
            f"this looks like a {looks_like.label} (its header has the columns of one),"
            f" not a {kind.label}: pick the right kind and upload it again",
            file=original,
            line=1,
        )
    if content not in _CONTENT[kind]:
        wanted = " or ".join(sorted(_CONTENT[kind])).upper()
        raise InputError(
            f"a {kind.label} must be {wanted}; this file is {content.upper()}", file=original
        )
    return f".{content}"


def _load(
    kind: UploadKind,
    facility: Facility,
    path: Path,
    original: str,
    rename: Renamer,
    options: UploadOptions,
    mapping: Path | None,
    today: date,
) -> Outcome:
    with facility_store(facility) as con:
        if kind == UploadKind.PBJ_XML:
            return load_pbj(con, facility, path, original, rename, today)
        if kind == UploadKind.TIMECLOCK:
            if options.quarter is None:
                raise InputError("pick the quarter of the export", field="quarter")
            clock = TimeclockOptions(options.quarter, options.process_type, mapping)
            return load_timeclock(con, facility, path, original, rename, today, clock)
        if kind == UploadKind.MDS:
            return load_mds(con, facility, path, original, rename)
        return load_public(con, facility, path, original, rename)


def _judge(
    kind: UploadKind,
    facility: Facility,
    path: Path,
    original: str,
    options: UploadOptions,
    mapping: tuple[Path, str] | None,
    today: date,
) -> tuple[Outcome, Path]:
    """Identify and load the copy at ``path``: the outcome and the copy's path (renamed)."""
    names = {str(path): original, path.name: original}
    if mapping is not None:
        names.update({str(mapping[0]): mapping[1], mapping[0].name: mapping[1]})
    try:
        suffix = _check_kind(kind, path, original)
        if path.suffix != suffix:
            path = path.rename(path.with_suffix(suffix))
        names.update({str(path): original, path.name: original})
        rename = Renamer(names)
        mapped = mapping[0] if mapping is not None else None
        outcome = _load(kind, facility, path, original, rename, options, mapped, today)
    except StoreBusyError:
        # Nothing is wrong with the file: the caller asks the user to try again.
        raise
    except CarecoverError as exc:
        error = exc if isinstance(exc, InputError) else InputError(str(exc), file=original)
        outcome = Outcome(error_report(original, error, Renamer(names)))
    except (OSError, UnicodeError, zipfile.BadZipFile, ValueError, duckdb.Error) as exc:
        # The domain names every input problem it knows; this is one it did not foresee.
        # Only the exception's type is logged or shown: its text may quote the file.
        logger.warning("upload for %s could not be read: %s", facility.ccn, type(exc).__name__)
        error = InputError(f"the file could not be read ({type(exc).__name__})", file=original)
        outcome = Outcome(error_report(original, error, Renamer(names)))
    return outcome, path


def incoming_dir(facility: Facility) -> Path:
    """The facility's folder of working copies (``<stores>/<CCN>/incoming``), created."""
    folder = stores_dir() / facility.ccn / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def claimed(folder: Path) -> Iterator[Path]:
    """Create ``folder`` and hold its owner lock until the block ends; the folder is removed after.

    The lock dies with the process, so a sweep knows a folder whose lock it
    can take belongs to a load that was killed (``upload_recovery``).
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with (folder / OWNER).open("a") as owner:
            fcntl.flock(owner, fcntl.LOCK_EX)
            yield folder
    finally:
        # The copies (an MDS file holds SSNs) never outlive the upload, whatever happened.
        shutil.rmtree(folder, ignore_errors=True)


def begin_upload(
    facility: Facility,
    user: User,
    kind: UploadKind,
    file: UploadedFileLike,
    options: UploadOptions,
    folder: Path,
    today: date,
) -> Upload:
    """Phase 1: copy the file into ``folder`` (claimed) and record the ``processing`` Upload."""
    path, sha, size = _copy(file, folder, ".upload")
    work: dict[str, Any] = {
        "folder": folder.name,
        "copy": path.name,
        "today": today.isoformat(),
        "quarter": str(options.quarter) if options.quarter else None,
        "process_type": options.process_type,
    }
    if options.mapping is not None:
        mapping, _, _ = _copy(options.mapping, folder, ".mapping.csv")
        work["mapping"] = [mapping.name, clean_name(options.mapping.name)]
    return Upload.objects.create(
        facility=facility,
        kind=kind,
        original_name=clean_name(file.name),
        sha256=sha,
        size=size,
        uploaded_by=user,
        status=UploadStatus.PROCESSING,
        work=work,
    )


def load_upload(upload: Upload, folder: Path) -> Outcome:
    """Phase 2: judge and (when accepted) load the upload's copy in ``folder`` into the store."""
    work = upload.work
    copy = folder / work["copy"]
    if not copy.exists():
        # Renamed after its content (``.xml``, ``.zip``, ``.csv``) before the load was killed.
        copy = next(iter(sorted(folder.glob(f"{copy.stem}.*"))), copy)
    quarter = Quarter.parse(work["quarter"]) if work.get("quarter") else None
    options = UploadOptions(quarter=quarter, process_type=work.get("process_type") or "merge")
    mapping = None
    if work.get("mapping"):
        mapping = (folder / work["mapping"][0], work["mapping"][1])
    outcome, _ = _judge(
        UploadKind(upload.kind),
        upload.facility,
        copy,
        upload.original_name,
        options,
        mapping,
        date.fromisoformat(work["today"]),
    )
    return outcome


def finish_upload(upload: Upload, outcome: Outcome, *, note: str | None = None) -> Upload:
    """Phase 3: record the report and the audit event in one transaction; keep a generated file."""
    report = outcome.report
    if note:
        report.setdefault("notes", []).insert(0, note)
    if outcome.generated_xml is not None:
        target = generated_xml_path(upload)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(outcome.generated_xml, target)
    with transaction.atomic():
        upload.status = UploadStatus(report["status"])
        upload.quarters = outcome.quarters
        upload.summary = _summary(outcome)
        upload.report = report
        upload.work = {}
        upload.save(update_fields=["status", "quarters", "summary", "report", "work"])
        record(
            upload.uploaded_by,
            Action.CREATE,
            object_type="nursinghome.upload",
            object_id=str(upload.pk),
            after={
                "facility": upload.facility.ccn,
                "kind": upload.kind,
                "status": upload.status,
                "sha256": upload.sha256,
                "size": upload.size,
                "quarters": outcome.quarters,
            },
        )
    logger.info(
        "upload %s for %s: %s %s", upload.pk, upload.facility.ccn, upload.kind, upload.status
    )
    return upload


def receive_upload(
    facility: Facility,
    user: User,
    kind: UploadKind,
    file: UploadedFileLike,
    options: UploadOptions | None = None,
    *,
    today: date | None = None,
) -> Upload:
    """Judge and (when accepted) load ``file`` into ``facility``'s store; the recorded ``Upload``.

    ``today`` is the submission date the PBJ edits assume (default today).
    Three steps, each recoverable: the ``processing`` row and the working copy
    are recorded first, then the store is loaded, then the row is marked done;
    a load killed in between is finished by ``upload_recovery.sweep_uploads``.
    StoreBusyError (nothing recorded) when the store is held by someone else.
    """
    options = options or UploadOptions()
    folder = incoming_dir(facility) / f"work-{uuid.uuid4().hex}"
    with claimed(folder):
        upload = begin_upload(
            facility, user, kind, file, options, folder, today or timezone.localdate()
        )
        _discard_received(file)
        try:
            outcome = load_upload(upload, folder)
        except StoreBusyError:
            upload.delete()
            raise
        upload = finish_upload(upload, outcome)
    if upload.status == UploadStatus.ACCEPTED:
        refresh_figures(facility, timezone.localdate())
    return upload


def _discard_received(file: UploadedFileLike) -> None:
    """Remove the web server's temporary copy of a large file as soon as ours is made."""
    close = getattr(file, "close", None)
    if callable(close):
        with suppress(OSError):
            close()


def _summary(outcome: Outcome) -> dict[str, Any]:
    """The counts the upload history shows."""
    report = outcome.report
    return {
        "records_processed": report["records_processed"],
        "records_accepted": report["records_accepted"],
        "records_rejected": report["records_rejected"],
        "warnings": sum(e["count"] for e in report["edits"] if e["severity"] == "warning"),
        "already_loaded": outcome.already_loaded,
        "generated_xml": outcome.generated_xml is not None,
    }
