"""``/api/reports``: file, correct, submit and read reports, as the pages do.

Every object is looked up inside ``visible_reports(user)`` (another
organisation's report is a 404, never data) and every payload goes through
the page's own ``ReportForm``, so the API applies exactly the rules of
``carecover.backup.validation`` and files through ``incidents.filing``
(which audits each step). Reports are named by BUS id, members by their
row id (``member_id``, which carries no member data); no name, SSN or date
of birth ever travels in a URL.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from carecover.backup.lifecycle import EDITABLE_STATUSES
from carecover.backup.report import CorrectionKind, DeclinedBy
from carecover.backup.validation import problems
from carecover.errors import FieldProblem, ValidationError
from carecover.portal.accounts.api import api_user
from carecover.portal.accounts.models import User
from carecover.portal.apierrors import ERRORS
from carecover.portal.audit.identity import members_shown
from carecover.portal.incidents import filing
from carecover.portal.incidents.access import visible_reports
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.forms import ReportForm
from carecover.portal.incidents.members import visible_members
from carecover.portal.incidents.models import Member, Report
from carecover.portal.incidents.schemas import (
    ContactIn,
    ContactOut,
    CorrectionIn,
    DecisionIn,
    MemberOut,
    MissingOut,
    ReportFilters,
    ReportIn,
    ReportOut,
    ReportPageOut,
    ReportSummaryOut,
    SubmitAllIn,
    SubmitAllOut,
)

__all__ = ["router"]


#: ``ReportForm`` field -> the API (and domain) field it reports problems on.
_API_FIELD = {
    "site": "site_id",
    "contact_name": "contact.name",
    "contact_phone": "contact.phone",
    "contact_email": "contact.email",
    "member_first_name": "member.first_name",
    "member_last_name": "member.last_name",
    "member_date_of_birth": "member.date_of_birth",
    "member_medicaid_id": "member.medicaid_id",
    "member_ssn": "member.ssn",
    "__all__": "report",
}


def _summary(row: Report) -> dict[str, Any]:
    return {
        "report_id": row.report_id,
        "status": row.status,
        "version": row.version,
        "provider_id": row.provider_id,
        "provider_name": row.provider_name,
        "member_id": row.member_id,
        "incident_date": row.incident_date,
        "service_code": row.service_code,
        "hours_without_staff": row.hours_without_staff,
        "backup_status": row.backup_status,
        "submitted_at": row.submitted_at,
        "first_submitted_at": row.first_submitted_at,
        "learned_on": row.learned_on,
        "updated_at": row.updated_at,
    }


def _still_missing(row: Report) -> list[MissingOut]:
    """What ``lifecycle.submit`` would refuse now, for a report its filer can still edit."""
    if row.status not in EDITABLE_STATUSES:
        return []
    found = problems(to_domain(row), today=timezone.localdate())
    return [
        MissingOut(field=p.field, message=p.message) for p in found if p.field != "submitted_at"
    ]


def _full(user: User, row: Report) -> ReportOut:
    """The whole report; it shows the member's identity, so reading it is audited."""
    members_shown(user, [row.member_id])
    return ReportOut(
        **_summary(row),
        site_id=row.site.code if row.site else None,
        contact=ContactOut(name=row.contact_name, phone=row.contact_phone, email=row.contact_email),
        # The member as filed: a later correction of the record does not rewrite it.
        member=MemberOut(
            id=row.member_id,
            first_name=row.member_first_name,
            last_name=row.member_last_name,
            date_of_birth=row.member_date_of_birth,
            medicaid_id=row.member_medicaid_id,
            ssn_last4=row.member_ssn_last4,
        ),
        scheduled_start=row.scheduled_start,
        scheduled_end=row.scheduled_end,
        reason=row.reason,
        reason_other=row.reason_other,
        declined_by=DeclinedBy(row.declined_by) if row.declined_by else None,
        declined_reason=row.declined_reason,
        mco_comment=row.mco_comment,
        harm=row.harm,
        correction_requested=(
            CorrectionKind(row.correction_requested) if row.correction_requested else None
        ),
        correction_reason=row.correction_reason,
        still_missing=_still_missing(row),
        created_at=row.created_at,
    )


def _filer(request: HttpRequest) -> User:
    user = api_user(request)
    if not user.files_reports:
        raise HttpError(403, "only provider and Employer of Record accounts file reports")
    return user


def _member_fields(user: User, payload: ReportIn) -> dict[str, str]:
    """The form's member fields, from ``member_id`` or from ``member``."""
    if payload.member_id is not None:
        found: Member | None = visible_members(user).filter(pk=payload.member_id).first()
        if found is None:
            problem = FieldProblem("member_id", "none of your members has this id")
            raise ValidationError([problem])
        return {
            "member_first_name": found.first_name,
            "member_last_name": found.last_name,
            "member_date_of_birth": found.date_of_birth.isoformat(),
            "member_medicaid_id": found.medicaid_id,
            "member_ssn": "",
        }
    if payload.member is None:
        raise ValidationError([FieldProblem("member", "give member_id or the member's details")])
    member = payload.member
    return {
        "member_first_name": member.first_name,
        "member_last_name": member.last_name,
        "member_date_of_birth": member.date_of_birth.isoformat(),
        "member_medicaid_id": member.medicaid_id,
        "member_ssn": member.ssn or "",
    }


def _form_data(user: User, payload: ReportIn) -> dict[str, str]:
    org = user.organisation
    assert org is not None
    contact = payload.contact or ContactIn(
        name=org.contact_name, phone=org.contact_phone, email=org.contact_email
    )
    return {
        **_member_fields(user, payload),
        "site": payload.site_id or "",
        "contact_name": contact.name,
        "contact_phone": contact.phone,
        "contact_email": contact.email,
        "incident_date": payload.incident_date.isoformat(),
        "learned_on": payload.learned_on.isoformat() if payload.learned_on else "",
        "service_code": payload.service_code,
        "scheduled_start": payload.scheduled_start.strftime("%H:%M"),
        "scheduled_end": payload.scheduled_end.strftime("%H:%M"),
        "hours_without_staff": repr(payload.hours_without_staff),
        "backup_status": payload.backup_status.value,
        "reason": payload.reason or "",
        "reason_other": payload.reason_other or "",
        "declined_by": payload.declined_by.value if payload.declined_by else "",
        "declined_reason": payload.declined_reason or "",
        "correct_member_record": "on" if payload.correct_member_record else "",
        "harm": "on" if payload.harm else "",
    }


def _checked_form(user: User, payload: ReportIn, row: Report | None = None) -> ReportForm:
    """The page's form over the payload; its problems raise ``ValidationError`` (422)."""
    assert user.organisation is not None
    form = ReportForm(
        _form_data(user, payload),
        organisation=user.organisation,
        today=timezone.localdate(),
        base=to_domain(row) if row is not None else None,
    )
    if not form.is_valid() or form.report is None:
        raise ValidationError(
            [
                FieldProblem(_API_FIELD.get(name, name), str(message))
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form


router = Router(tags=["reports"])


@router.get("/reports", response={200: ReportPageOut, **ERRORS}, summary="List reports")
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> ReportPageOut:
    """The reports the caller may see (their organisation's; the MCO: all), filtered."""
    user = api_user(request)
    reports: QuerySet[Report] = visible_reports(user)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.incident_from:
        reports = reports.filter(incident_date__gte=filters.incident_from)
    if filters.incident_to:
        reports = reports.filter(incident_date__lte=filters.incident_to)
    if filters.provider_id:
        reports = reports.filter(provider_id__iexact=filters.provider_id.strip())
    if filters.member_id is not None:
        reports = reports.filter(member_id=filters.member_id)
    paginator = Paginator(reports, filters.page_size)
    page = paginator.get_page(filters.page)
    return ReportPageOut(
        count=paginator.count,
        page=page.number,
        page_size=filters.page_size,
        pages=paginator.num_pages,
        items=[ReportSummaryOut(**_summary(row)) for row in page],
    )


@router.post("/reports", response={201: ReportOut, **ERRORS}, summary="Create a draft report")
def create_report(request: HttpRequest, payload: ReportIn) -> Status[ReportOut]:
    """Save a new draft under a freshly issued BUS id (the page's rules apply)."""
    user = _filer(request)
    form = _checked_form(user, payload)
    assert form.report is not None
    row = filing.create_draft(
        user, form.report, today=timezone.localdate(), correct_member=form.correct_member
    )
    return Status(201, _full(user, row))


# Declared before /reports/{report_id}: the first path that matches answers.
@router.post(
    "/reports/submit-all",
    response={200: SubmitAllOut, **ERRORS},
    summary="Submit a date range's drafts, each checked",
)
def submit_all(request: HttpRequest, payload: SubmitAllIn) -> SubmitAllOut:
    """Submit your organisation's drafts of the range; one not ready stays a draft."""
    user = _filer(request)
    done, refused = filing.submit_all(
        user,
        payload.incident_from,
        payload.incident_to,
        now=timezone.now(),
        today=timezone.localdate(),
    )
    return SubmitAllOut(submitted=done, refused=refused)


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="Get one report")
def get_report(request: HttpRequest, report_id: str) -> ReportOut:
    """One report by BUS id (another organisation's is a 404); reading it is audited."""
    user = api_user(request)
    return _full(user, get_object_or_404(visible_reports(user), report_id=report_id))


@router.put(
    "/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="Update a draft report"
)
def update_report(request: HttpRequest, report_id: str, payload: ReportIn) -> ReportOut:
    """Replace a draft's or returned report's content: the next version (409 once submitted)."""
    user = _filer(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    form = _checked_form(user, payload, row)
    assert form.report is not None
    changed = filing.change_draft(user, row, form.report, correct_member=form.correct_member)
    return _full(user, changed)


@router.delete(
    "/reports/{report_id}", response={204: None, **ERRORS}, summary="Delete a draft report"
)
def delete_report(request: HttpRequest, report_id: str) -> Status[None]:
    """Delete one of your organisation's drafts (409 once it was submitted)."""
    user = _filer(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    filing.delete_draft(user, row)
    return Status(204, None)


@router.post(
    "/reports/{report_id}/submit", response={200: ReportOut, **ERRORS}, summary="Submit a report"
)
def submit_report(request: HttpRequest, report_id: str) -> ReportOut:
    """Send a draft or returned report to the MCO (422 with its problems if not ready)."""
    user = _filer(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    row = filing.submit(user, row, now=timezone.now(), today=timezone.localdate())
    return _full(user, row)


@router.post(
    "/reports/{report_id}/correction",
    response={200: ReportOut, **ERRORS},
    summary="Ask to withdraw or amend a filed report",
)
def request_correction(request: HttpRequest, report_id: str, payload: CorrectionIn) -> ReportOut:
    """Ask the MCO to withdraw (filed in error) or amend a submitted or accepted report."""
    user = _filer(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    row = filing.request_correction(
        user, row, payload.kind, reason=payload.reason, now=timezone.now()
    )
    return _full(user, row)


@router.post(
    "/reports/{report_id}/correction/decision",
    response={200: ReportOut, **ERRORS},
    summary="Approve or decline a request to withdraw or amend (MCO)",
)
def decide_correction(request: HttpRequest, report_id: str, payload: DecisionIn) -> ReportOut:
    """The MCO approves (withdrawn, or returned to amend) or declines (with a comment)."""
    user = api_user(request)
    if not user.is_mco:
        raise HttpError(403, "only the MCO decides on requests to withdraw or amend")
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    row = filing.decide_correction(
        user, row, approve=payload.approve, comment=payload.comment, now=timezone.now()
    )
    return _full(user, row)
