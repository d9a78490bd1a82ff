"""Report pages: list, new draft, detail, edit, submit, and the MCO's review.

Every object is looked up inside ``visible_reports(user)``, so another
organisation's report is a 404, never data. URLs carry report ids only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from carecover.backup.catalogue import label_of
from carecover.backup.lifecycle import CORRECTABLE_STATUSES, EDITABLE_STATUSES
from carecover.backup.report import ReportStatus
from carecover.backup.validation import problems
from carecover.errors import CarecoverError, InputError, ValidationError
from carecover.portal import queryparams
from carecover.portal.audit.identity import members_shown
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance.models import AttestationWithdrawal
from carecover.portal.incidents import filing, incomplete
from carecover.portal.incidents.access import (
    any_role,
    files_reports,
    mco_only,
    portal_user,
    visible_reports,
)
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.corrections import CorrectionDecisionForm, CorrectionRequestForm
from carecover.portal.incidents.cross_provider import mark_probable_duplicates
from carecover.portal.incidents.filters import ReportFilterForm
from carecover.portal.incidents.forms import (
    ReportForm,
    ReviewForm,
    field_label,
    form_field,
    initial_from,
)
from carecover.portal.incidents.listing import apply_filters, keyset_page
from carecover.portal.incidents.models import IncompleteDraft

#: The button that keeps an unfinished report ("Save and finish later").
LATER = "later"


@any_role
@require_http_methods(["GET"])
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports the user may see, newest incident first, filtered, by keyset pages."""
    user = portal_user(request)
    reports = visible_reports(user)
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        reports = apply_filters(reports, filters.cleaned_data)
    page = keyset_page(
        reports,
        after=queryparams.cursor(request.GET, "after"),
        before=queryparams.cursor(request.GET, "before"),
    )
    if user.is_mco:
        # Same member, same date, another provider: the MCO reviews these.
        mark_probable_duplicates(page.reports)
    query = request.GET.copy()
    for cursor in ("after", "before", "page"):
        query.pop(cursor, None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        # Saved to finish later: the filer's own organisation's, never the MCO's.
        "incomplete": (
            IncompleteDraft.objects.filter(organisation=user.organisation)
            if user.files_reports
            else IncompleteDraft.objects.none()
        ),
    }
    # A filter that cannot be read is shown next to its field, with a 400.
    status = 400 if filters.is_bound and filters.errors else 200
    return render(request, "incidents/report_list.html", context, status=status)


@files_reports
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """A new draft: the BUS id is issued when it is first saved."""
    user = portal_user(request)
    assert user.organisation is not None
    today = timezone.localdate()
    # "File the report" from the reportable check preselects the report type.
    initial = {
        "backup_status": queryparams.text(request.GET, "backup_status", max_length=20),
        # ... and the harm answered there: the report carries the escalation.
        "harm": queryparams.text(request.GET, "harm", max_length=1) == "1",
    }
    form = ReportForm(
        request.POST or None, organisation=user.organisation, today=today, initial=initial
    )
    if request.method == "POST" and LATER in request.POST and not form.is_valid():
        return _keep_for_later(request, form, None)
    if request.method == "POST" and form.is_valid() and form.report is not None:
        correct = form.correct_member
        try:
            if form.range_end is not None:
                rows = filing.create_range(
                    user, form.report, form.range_end, today=today, correct_member=correct
                )
                ids = ", ".join(row.report_id for row in rows)
                messages.success(request, f"{len(rows)} drafts saved, one per date: {ids}.")
                return redirect("incidents:list")
            row = filing.create_draft(user, form.report, today=today, correct_member=correct)
        except CarecoverError as exc:
            _refused(form, exc)
            if LATER in request.POST:
                return _keep_for_later(request, form, None)
        else:
            messages.success(request, f"Draft {row.report_id} saved.")
            return redirect("incidents:detail", report_id=row.report_id)
    return render(request, "incidents/report_form.html", {"form": form, "report": None})


def _keep_for_later(
    request: HttpRequest, form: ReportForm, draft: IncompleteDraft | None
) -> HttpResponse:
    """Keep what the form holds as an incomplete draft and list what it still needs."""
    user = portal_user(request)
    try:
        values = incomplete.kept_values(request.POST)
    except InputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        context = {"form": form, "report": None, "incomplete": draft}
        return render(request, "incidents/report_form.html", context)
    draft = incomplete.keep(user, values, today=timezone.localdate(), draft=draft)
    count = len(form.errors)
    messages.success(
        request,
        f"Draft {draft.report_id} saved. {count} field{'s' if count != 1 else ''} still to "
        "complete before it can be submitted.",
    )
    return redirect("incidents:edit", report_id=draft.report_id)


def _edit_incomplete(request: HttpRequest, draft: IncompleteDraft) -> HttpResponse:
    """The incomplete draft in the form: what is typed, and what is still missing."""
    user = portal_user(request)
    today = timezone.localdate()
    if request.method == "GET":
        form = incomplete.still_missing(draft, today=today)
    else:
        form = ReportForm(request.POST, organisation=draft.organisation, today=today)
        if LATER in request.POST and not form.is_valid():
            return _keep_for_later(request, form, draft)
        if form.is_valid() and form.report is not None:
            try:
                rows = incomplete.complete(user, draft, form, today=today)
            except CarecoverError as exc:
                _refused(form, exc)
                if LATER in request.POST:
                    return _keep_for_later(request, form, draft)
            else:
                messages.success(request, f"Draft {rows[0].report_id} is complete and saved.")
                if len(rows) > 1:
                    ids = ", ".join(row.report_id for row in rows)
                    messages.success(request, f"{len(rows)} drafts saved, one per date: {ids}.")
                    return redirect("incidents:list")
                return redirect("incidents:detail", report_id=rows[0].report_id)
    # The form shows the member's identity as typed: a view of identity, audited.
    record(user, Action.VIEW_IDENTITY, object_type="report", object_id=draft.report_id)
    context = {"form": form, "report": None, "incomplete": draft}
    return render(request, "incidents/report_form.html", context)


def _incomplete_or_404(request: HttpRequest, report_id: str) -> IncompleteDraft:
    draft = incomplete.find(portal_user(request), report_id)
    if draft is None:
        raise Http404("No such report.")
    return draft


def _refused(form: ReportForm, exc: CarecoverError) -> None:
    """Show why filing refused (a duplicate, a member mismatch) on the form itself."""
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            name = form_field(problem.field)
            form.add_error(name if name in form.fields else None, problem.message)
    else:
        form.add_error(None, str(exc))


@any_role
@require_http_methods(["GET"])
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    """One report; showing it shows the member's identity, so the view is audited."""
    user = portal_user(request)
    row = visible_reports(user).filter(report_id=report_id).first()
    if row is None:
        # Saved to finish later: it opens in the form, where what is missing shows.
        _incomplete_or_404(request, report_id)
        return redirect("incidents:edit", report_id=report_id)
    members_shown(user, [row.member_id])
    editable = row.status in EDITABLE_STATUSES
    context = {
        # What still stops a draft or returned report from being submitted, by field.
        "still_missing": (
            [
                (field_label(problem.field), problem.message)
                for problem in problems(to_domain(row), today=timezone.localdate())
                if problem.field != "submitted_at"
            ]
            if editable and user.files_reports
            else []
        ),
        "report": row,
        "versions": row.versions.order_by("version"),
        "can_edit": user.files_reports and row.status in EDITABLE_STATUSES,
        "can_review": (
            user.is_mco and row.status == ReportStatus.SUBMITTED and not row.correction_requested
        ),
        "review_form": ReviewForm(),
        "can_request_correction": (
            user.files_reports
            and row.status in CORRECTABLE_STATUSES
            and not row.correction_requested
        ),
        "request_form": CorrectionRequestForm(),
        "can_decide_correction": user.is_mco and bool(row.correction_requested),
        "decision_form": CorrectionDecisionForm(),
        # Words, not codes: the reason list's and the status's labels.
        "reason_label": label_of("reason", row.reason),
        "status_label": label_of("status", row.status),
        "service_label": label_of("service_code", row.service_code),
    }
    return render(request, "incidents/report_detail.html", context)


@files_reports
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, report_id: str) -> HttpResponse:
    """Correct a draft or a returned report; each save is a new version."""
    user = portal_user(request)
    assert user.organisation is not None
    row = visible_reports(user).filter(report_id=report_id).first()
    if row is None:
        return _edit_incomplete(request, _incomplete_or_404(request, report_id))
    current = to_domain(row)
    if current.status not in EDITABLE_STATUSES:
        messages.error(request, f"{row.report_id} is {row.status}: it cannot be edited.")
        return redirect("incidents:detail", report_id=row.report_id)
    form = ReportForm(
        request.POST or None,
        organisation=user.organisation,
        today=timezone.localdate(),
        base=current,
        initial=initial_from(current),
    )
    if request.method == "POST" and form.is_valid() and form.report is not None:
        try:
            filing.change_draft(user, row, form.report, correct_member=form.correct_member)
        except CarecoverError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{row.report_id} saved.")
            return redirect("incidents:detail", report_id=row.report_id)
    # The form is filled in with the member's name, birth date and Medicaid id.
    members_shown(user, [row.member_id])
    return render(request, "incidents/report_form.html", {"form": form, "report": row})


@files_reports
@require_POST
def report_submit(request: HttpRequest, report_id: str) -> HttpResponse:
    """Send the report to the MCO; the domain's problems are shown if it is not ready."""
    user = portal_user(request)
    row = visible_reports(user).filter(report_id=report_id).first()
    if row is None:
        _incomplete_or_404(request, report_id)
        messages.error(
            request,
            f"{report_id} is not complete yet: complete the fields listed, save it, then submit.",
        )
        return redirect("incidents:edit", report_id=report_id)
    try:
        filing.submit(user, row, now=timezone.now(), today=timezone.localdate())
    except ValidationError as exc:
        for problem in exc.problems:
            messages.error(request, f"{form_field(problem.field)}: {problem.message}")
    except CarecoverError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{row.report_id} submitted to the MCO.")
        if AttestationWithdrawal.objects.filter(report_id=row.report_id).exists():
            messages.warning(
                request,
                "Your attestation of no incidents for this period was withdrawn: "
                "the period now has a report. The MCO has been told.",
            )
    return redirect("incidents:detail", report_id=row.report_id)


@files_reports
@require_POST
def report_delete(request: HttpRequest, report_id: str) -> HttpResponse:
    """Delete one of the organisation's drafts (a filed report cannot be deleted)."""
    user = portal_user(request)
    row = visible_reports(user).filter(report_id=report_id).first()
    if row is None:
        incomplete.delete(user, _incomplete_or_404(request, report_id))
        messages.success(request, f"Draft {report_id} deleted.")
        return redirect("incidents:list")
    try:
        filing.delete_draft(user, row)
    except CarecoverError as exc:
        messages.error(request, str(exc))
        return redirect("incidents:detail", report_id=row.report_id)
    messages.success(request, f"Draft {report_id} deleted.")
    return redirect("incidents:list")


@mco_only
@require_POST
def report_review(request: HttpRequest, report_id: str) -> HttpResponse:
    """The MCO accepts a submitted report or returns it with a comment."""
    user = portal_user(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or return.")
        return redirect("incidents:detail", report_id=row.report_id)
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == "accept":
            filing.accept(user, row, now=now)
        else:
            filing.return_to_provider(user, row, comment=form.cleaned_data["comment"], now=now)
    except InputError as exc:
        messages.error(request, exc.reason)
    except CarecoverError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{row.report_id}: {form.cleaned_data['decision']}ed.")
    return redirect("incidents:detail", report_id=row.report_id)
