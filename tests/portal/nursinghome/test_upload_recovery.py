"""Uploads a killed worker left behind are finished or rolled back, and no copy outlives them."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from carecover.portal.nursinghome.models import Upload, UploadKind, UploadStatus
from carecover.portal.nursinghome.upload_recovery import (
    FINISHED,
    INTERRUPTED,
    RECEIVING_MAX_AGE_S,
    sweep_uploads,
)
from carecover.portal.nursinghome.uploads import OWNER
from tests.portal.conftest import TEST_SECRET_KEY
from tests.portal.nursinghome.test_uploads import oakwood_pbj

#: In a child process over its own SQLite file and stores: ``kill`` uploads a PBJ
#: file and kills itself (SIGKILL) right after the store committed, before the
#: Upload is marked done; ``sweep`` runs the start-up sweep and prints what it left.
_CHILD = """
import json, os, signal, sys
from datetime import date
import django
django.setup()
from django.core.management import call_command
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.nursinghome import uploads
from carecover.portal.nursinghome.models import Facility, Upload, UploadKind
from carecover.portal.nursinghome.stores import facility_store
if sys.argv[1] == "kill":
    from django.core.files.uploadedfile import SimpleUploadedFile
    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(
        name="Oakwood Operating LLC", kind=OrganisationKind.FACILITY, code="NH100000"
    )
    facility = Facility.objects.create(
        ccn="100000", name="Oakwood", state="NC", pbj_facility_id="SYN000001", organisation=org
    )
    user = User.objects.create_user(
        "nadia", password=None, organisation=org, role=Role.NH_ADMINISTRATOR
    )
    content = open(sys.argv[2], "rb").read()
    folder = uploads.incoming_dir(facility) / "work-killed"
    with uploads.claimed(folder):
        upload = uploads.begin_upload(
            facility, user, UploadKind.PBJ_XML, SimpleUploadedFile("q3.xml", content),
            uploads.UploadOptions(), folder, date(2026, 10, 15),
        )
        outcome = uploads.load_upload(upload, folder)
        assert outcome.report["status"] == "accepted", outcome.report
        os.kill(os.getpid(), signal.SIGKILL)
from carecover.portal.nursinghome.upload_recovery import sweep_uploads
counts = sweep_uploads()
upload = Upload.objects.get()
facility = upload.facility
with facility_store(facility) as con:
    days = con.execute("SELECT count(*) FROM submission_daily_nurse_staffing").fetchone()[0]
incoming = uploads.incoming_dir(facility)
print(json.dumps({
    "counts": counts,
    "status": upload.status,
    "notes": upload.report.get("notes", []),
    "audit": AuditEvent.objects.filter(
        object_type="nursinghome.upload", object_id=str(upload.pk)
    ).count(),
    "left": sorted(str(p.relative_to(incoming)) for p in incoming.rglob("*")),
    "days": days,
}))
"""


def _child(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CHILD, *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_an_upload_killed_after_the_store_committed_is_finished_by_the_sweep_on_start(
    tmp_path: Path, synthetic_files: dict[str, Path]
) -> None:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("CARECOVER_", "DJANGO_"))}
    env = {
        **kept,
        "CARECOVER_SECRET_KEY": TEST_SECRET_KEY,
        "CARECOVER_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "CARECOVER_FACILITY_STORES": str(tmp_path / "stores"),
        "CARECOVER_HTTPS": "false",
        "DJANGO_SETTINGS_MODULE": "carecover.portal.settings",
    }
    xml = tmp_path / "q3.xml"
    xml.write_bytes(oakwood_pbj(synthetic_files["pbj_xml"]))
    killed = _child(env, "kill", str(xml))
    assert killed.returncode == -9, killed.stderr
    assert (tmp_path / "stores" / "100000" / "incoming" / "work-killed").is_dir()
    swept = _child(env, "sweep")
    assert swept.returncode == 0, swept.stderr
    after = json.loads(swept.stdout.strip().splitlines()[-1])
    assert after["counts"]["finished"] == 1
    assert after["status"] == "accepted"
    assert after["notes"][0] == FINISHED
    assert after["audit"] == 1
    assert after["left"] == []
    assert after["days"] == 92


def _processing(homes: dict[str, Any], folder: str) -> Upload:
    return Upload.objects.create(
        facility=homes["oakwood"],
        kind=UploadKind.PBJ_XML,
        original_name="q3.xml",
        sha256="0" * 64,
        size=10,
        uploaded_by=homes["users"]["administrator"],
        status=UploadStatus.PROCESSING,
        work={"folder": folder, "copy": "0000000000000000.upload", "today": "2026-10-15"},
    )


def test_an_upload_killed_before_its_file_was_received_is_rolled_back_and_asks_for_it_again(
    homes: dict[str, Any],
) -> None:
    upload = _processing(homes, "work-gone")
    counts = sweep_uploads()
    upload.refresh_from_db()
    assert counts["rolled back"] == 1
    assert upload.status == UploadStatus.REJECTED
    assert INTERRUPTED in upload.report["message"]


def test_an_upload_still_running_in_another_process_is_left_alone(
    homes: dict[str, Any], facility_stores: Path
) -> None:
    folder = facility_stores / "100000" / "incoming" / "work-live"
    folder.mkdir(parents=True)
    upload = _processing(homes, "work-live")
    with (folder / OWNER).open("a") as owner:
        fcntl.flock(owner, fcntl.LOCK_EX)
        counts = sweep_uploads()
    upload.refresh_from_db()
    assert counts["running"] == 1
    assert upload.status == UploadStatus.PROCESSING
    assert folder.is_dir()


def test_stray_copies_of_uploaded_files_are_removed_on_start(
    homes: dict[str, Any], facility_stores: Path, tmp_path: Path
) -> None:
    stray = facility_stores / "100000" / "incoming" / "tmpk2j4x9"
    stray.mkdir(parents=True)
    (stray / "a1b2c3.upload.csv").write_text("A0100B,SSN\n100000,123456789\n")
    received = Path(settings.FILE_UPLOAD_TEMP_DIR)
    old, fresh = received / "tmpold.upload.csv", received / "tmpnew.upload.csv"
    for file in (old, fresh):
        file.write_text("A0100B,SSN\n100000,123456789\n")
    # Both times by the clock the sweep reads (a file system's own clock may differ).
    now = time.time()
    an_hour_ago = now - RECEIVING_MAX_AGE_S - 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(fresh, (now, now))
    try:
        counts = sweep_uploads()
        assert counts["stray folders"] == 1
        assert not stray.exists()
        assert not old.exists()
        assert fresh.exists(), "a file still arriving is kept"
    finally:
        fresh.unlink(missing_ok=True)
        old.unlink(missing_ok=True)
