"""``/api/visits``: EVV integrations post visit files; drafts are created on request.

The same steps as the upload page (``detection.detect``, ``creation.create_all``):
only the caller's own members are matched, the same file twice is one upload,
and creating twice creates nothing twice. Writing needs a token with the
``file`` scope.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from carecover.portal.accounts.api import api_user
from carecover.portal.accounts.models import User
from carecover.portal.apierrors import ERRORS
from carecover.portal.audit.identity import members_shown
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.visits.creation import create_all
from carecover.portal.visits.detection import MAX_UPLOAD_BYTES, detect
from carecover.portal.visits.models import VisitUpload

__all__ = ["router"]

router = Router(tags=["visits"])


class InterruptionOut(Schema):
    """One interruption found, and what became of it."""

    incident_date: date
    member_medicaid_id: str
    member_id: int | None
    service_code: str
    hours_without_staff: float
    kind: str
    report_required: bool | None
    rule: str
    gaps: str
    outcome: str
    problem: str
    report_id: str | None


class UploadOut(Schema):
    """A visit upload with its interruptions."""

    id: int
    mapping: str
    visits: int
    interruptions: list[InterruptionOut]


class CreatedOut(Schema):
    """What one "create" did, and the upload as it now stands."""

    drafts: int
    breaks: int
    refused: int
    upload: UploadOut


def _filer(request: HttpRequest) -> User:
    user = api_user(request)
    if not user.files_reports:
        raise HttpError(403, "only provider and Employer of Record accounts upload visits")
    return user


def _out(user: User, upload: VisitUpload) -> UploadOut:
    rows = list(upload.rows.select_related("report"))
    record(user, Action.VIEW_IDENTITY, object_type="visit_upload", object_id=str(upload.pk))
    members_shown(user, [r.member_id for r in rows if r.member_id is not None])
    return UploadOut(
        id=upload.pk,
        mapping=upload.mapping,
        visits=upload.visits,
        interruptions=[
            InterruptionOut(
                incident_date=r.incident_date,
                member_medicaid_id=r.member_medicaid_id,
                member_id=r.member_id,
                service_code=r.service_code,
                hours_without_staff=r.hours_without_staff,
                kind=r.kind,
                report_required=r.report_required,
                rule=r.rule,
                gaps=r.gaps,
                outcome=r.outcome,
                problem=r.problem,
                report_id=r.report.report_id if r.report else None,
            )
            for r in rows
        ],
    )


def _own(user: User, upload_id: int) -> VisitUpload:
    # Another organisation's upload is not found: its existence is not revealed.
    return get_object_or_404(VisitUpload, pk=upload_id, organisation=user.organisation_id)


@router.post("/visits", response={201: UploadOut, 200: UploadOut, **ERRORS}, summary="Post visits")
def post_visits(
    request: HttpRequest, file: File[UploadedFile], mapping: Form[str] = "generic"
) -> Status[UploadOut]:
    """Read a visit file (multipart ``file``, ``mapping``); 200 when it was posted before."""
    user = _filer(request)
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise HttpError(413, f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    before = VisitUpload.objects.filter(organisation=user.organisation_id).count()
    upload = detect(user, file.read(), mapping, now=timezone.now())
    after = VisitUpload.objects.filter(organisation=user.organisation_id).count()
    return Status(201 if after > before else 200, _out(user, upload))


@router.get("/visits/{upload_id}", response={200: UploadOut, **ERRORS}, summary="Get an upload")
def get_visits(request: HttpRequest, upload_id: int) -> UploadOut:
    """One of the organisation's visit uploads with its interruptions."""
    user = _filer(request)
    return _out(user, _own(user, upload_id))


@router.post(
    "/visits/{upload_id}/drafts", response={200: CreatedOut, **ERRORS}, summary="Create drafts"
)
def create_drafts(request: HttpRequest, upload_id: int) -> CreatedOut:
    """Create the pending drafts and service-break entries of an upload (idempotent)."""
    user = _filer(request)
    upload = _own(user, upload_id)
    result = create_all(user, upload, today=timezone.localdate())
    return CreatedOut(
        drafts=result.drafts,
        breaks=result.breaks,
        refused=result.refused,
        upload=_out(user, upload),
    )
