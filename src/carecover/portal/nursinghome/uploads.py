"""Receiving a facility's upload: copy, identify, load under the store's lock, record.

``receive_upload`` is the whole job for the upload page:

1. the file is copied in chunks into a private temporary folder beside the
   facility's store, under a name made from its SHA-256: the name the user
   gave is shown back to them and never used as a path;
2. its first bytes are compared with the kind picked, so an MDS extract
   uploaded as a PBJ file is refused with a sentence saying which it looks like;
3. the kind's loader (``upload_loading``) judges and loads it while the
   store's lock is held; any ``CarecoverError`` becomes a rejected report
   that names file, line and field;
4. an ``Upload`` row keeps who, when, what and the report, accepted or not,
   and an audit event is written. A time-clock export's generated PBJ file is
   kept as ``<stores>/<CCN>/uploads/<id>.xml`` for the facility to submit.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import duckdb
from django.utils import timezone

from carecover.errors import CarecoverError, InputError
from carecover.pbj.calendar import Quarter
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
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

__all__ = ["UploadOptions", "clean_name", "generated_xml_path", "receive_upload"]

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
    file: UploadedFileLike,
    options: UploadOptions,
    folder: Path,
    today: date,
) -> tuple[Outcome, str, int, Path]:
    """Copy, identify and load ``file``: (outcome, sha256, size, the copy's path)."""
    original = clean_name(file.name)
    path, sha, size = _copy(file, folder, ".upload")
    names = {str(path): original, path.name: original}
    mapping = None
    try:
        if options.mapping is not None:
            mapping_name = clean_name(options.mapping.name)
            mapping, _, _ = _copy(options.mapping, folder, ".mapping.csv")
            names.update({str(mapping): mapping_name, mapping.name: mapping_name})
        suffix = _check_kind(kind, path, original)
        path = path.rename(path.with_suffix(suffix))
        names.update({str(path): original, path.name: original})
        rename = Renamer(names)
        outcome = _load(kind, facility, path, original, rename, options, mapping, today)
    except CarecoverError as exc:
        error = exc if isinstance(exc, InputError) else InputError(str(exc), file=original)
        outcome = Outcome(error_report(original, error, Renamer(names)))
    except (OSError, UnicodeError, zipfile.BadZipFile, ValueError, duckdb.Error) as exc:
        # The domain names every input problem it knows; this is one it did not foresee.
        # Only the exception's type is logged or shown: its text may quote the file.
        logger.warning("upload for %s could not be read: %s", facility.ccn, type(exc).__name__)
        error = InputError(f"the file could not be read ({type(exc).__name__})", file=original)
        outcome = Outcome(error_report(original, error, Renamer(names)))
    return outcome, sha, size, path


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
    """
    options = options or UploadOptions()
    incoming = stores_dir() / facility.ccn / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=incoming) as tmp:
        outcome, sha, size, _ = _judge(
            kind, facility, file, options, Path(tmp), today or timezone.localdate()
        )
        report = outcome.report
        upload = Upload.objects.create(
            facility=facility,
            kind=kind,
            original_name=clean_name(file.name),
            sha256=sha,
            size=size,
            uploaded_by=user,
            status=UploadStatus(report["status"]),
            quarters=outcome.quarters,
            summary=_summary(outcome),
            report=report,
        )
        if outcome.generated_xml is not None:
            target = generated_xml_path(upload)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(outcome.generated_xml, target)
    record(
        user,
        Action.CREATE,
        object_type="nursinghome.upload",
        object_id=str(upload.pk),
        after={
            "facility": facility.ccn,
            "kind": kind.value,
            "status": upload.status,
            "sha256": sha,
            "size": size,
            "quarters": outcome.quarters,
        },
    )
    logger.info("upload %s for %s: %s %s", upload.pk, facility.ccn, kind.value, upload.status)
    return upload


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
