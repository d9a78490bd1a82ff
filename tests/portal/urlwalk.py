"""Every URL of the portal's URL conf, filled in with a small world's ids, as every persona.

``routes()`` walks the resolver (pages, downloads and the API alike), so a
URL added later is walked too; ``paths(world)`` fills each route's
parameters from ``World`` and fails for a parameter it has no value for, so
a new kind of URL cannot slip past the walkers unnoticed.

``world`` builds the data: the backup-staffing personas and a report with
its member (Casey Dixon), a plan of correction, an API token, and the
nursing-home personas with Oakwood's loaded store and an upload.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from carecover.portal.accounts.models import Organisation, User
from carecover.portal.accounts.tokens import issue_token
from carecover.portal.compliance import services
from carecover.portal.compliance.models import PlanOfCorrection
from carecover.portal.incidents.models import Report
from carecover.portal.nursinghome.downloads import DOWNLOADS, FORMATS
from carecover.portal.nursinghome.models import Facility, Upload, UploadKind, UploadStatus
from tests.portal.conftest import report_form

__all__ = ["World", "body_text", "paths", "routes", "world"]

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes() -> list[str]:
    """Every route of the URL conf, as written (``reports/<str:report_id>/edit/``)."""

    def walk(patterns: Any, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "")))


@dataclass
class World:
    """The personas and the ids the walkers fill routes with."""

    personas: dict[str, User]
    values: dict[str, list[str]]
    #: Text that identifies a member or a resident: seen in a page, it must be audited.
    identities: list[str] = field(default_factory=list)

    def client(self, persona: str) -> Client:
        """A client signed in as ``persona`` (``anonymous``: signed out)."""
        client = Client()
        if persona != "anonymous":
            client.force_login(self.personas[persona])
        return client


def paths(world: World) -> list[str]:
    """Every route with each parameter filled in (every combination of the values)."""
    found = []
    for route in routes():
        names = [name for _, name in _PARAMETER.findall(route)]
        missing = [name for name in names if name not in world.values]
        assert not missing, f"no value to walk {route} with: add {missing} to urlwalk.world"
        for combination in itertools.product(*(world.values[name] for name in names)):
            filled = route
            for value in combination:
                filled = _PARAMETER.sub(value.replace("\\", r"\\"), filled, count=1)
            found.append("/" + filled)
    return found


def body_text(response: Any) -> str:
    """What a response shows, as text: HTML unescaped, XLSX workbooks unzipped."""
    if isinstance(response, StreamingHttpResponse):
        raw = b"".join(response.streaming_content)  # type: ignore[arg-type]
    else:
        raw = response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            raw = b" ".join(book.read(name) for name in book.namelist())
    return html.unescape(raw.decode("utf-8", errors="replace"))


def _resident_names(mds_csv: Path) -> list[str]:
    """The residents of a synthetic MDS extract as the facility page names them."""
    with mds_csv.open(encoding="utf-8", newline="") as handle:
        return sorted({f"{row['A0500C']}, {row['A0500A']}" for row in csv.DictReader(handle)})


@pytest.fixture
def world(
    personas: dict[str, User],
    orgs: dict[str, Organisation],
    homes: dict[str, Any],
    loaded_facility: Facility,
    synthetic_files: dict[str, Path],
) -> World:
    """The backup-staffing and nursing-home personas, and one of everything to open."""
    everyone = {**personas, **homes["users"]}
    filer = Client()
    filer.force_login(personas["submitter"])
    filer.post("/reports/new/", report_form())
    report = Report.objects.get()
    today = timezone.localdate()
    plan = PlanOfCorrection.objects.create(
        organisation=orgs["provider"],
        period_start=date(2026, 1, 5),
        period_end=date(2026, 1, 18),
        period_due=date(2026, 1, 23),
        period_status="missing",
        issued_on=today,
        due_on=today + timedelta(days=10),
        corrections_due_on=today + timedelta(days=30),
        area_out_of_compliance="",
        issued_by=personas["mco_admin"],
    )
    token, _ = issue_token(personas["submitter"], name="vendor", by=personas["submitter"])
    upload = Upload.objects.create(
        facility=loaded_facility,
        kind=UploadKind.MDS,
        original_name="oakwood-mds.csv",
        sha256="0" * 64,
        size=1,
        uploaded_by=homes["users"]["mds_coordinator"],
        status=UploadStatus.ACCEPTED,
        quarters=["2026Q3"],
    )
    values = {
        "report_id": [report.report_id],
        "member_id": [str(report.member_id)],
        "user_id": [str(personas["submitter"].pk)],
        "uidb64": ["MQ"],
        "token": ["set-password"],
        "token_id": [str(token.pk)],
        "token_id_api": [str(token.pk)],
        "pk": [str(plan.pk)],
        "kind": ["monthly", "quarterly-state", "quarterly-hrc"],
        "ccn": [loaded_facility.ccn],
        "name": list(DOWNLOADS),
        "fmt": sorted({*FORMATS, "json", "txt"}),
        "upload_id": [str(upload.pk)],
        "period_start": ["2026-01-05"],
        "code": ["NY"],  # a state of the analyst workspace
        # The reporting period of the report (a draft: nothing to download).
        "label": [services.scheme().period_for(report.incident_date).label],
        "extension": ["xlsx", "html", "csv"],
    }
    identities = [
        "Dixon",
        "900001234A",
        "1980-05-17",
        *_resident_names(synthetic_files["mds"]),
    ]
    return World(personas=everyone, values=values, identities=identities)
