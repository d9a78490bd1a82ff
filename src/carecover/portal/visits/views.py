"""``/visits/``: upload EVV visits, review the interruptions found, create drafts and breaks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecover.errors import InputError
from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import User
from carecover.portal.audit.identity import members_shown
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.visits.creation import create_all
from carecover.portal.visits.detection import detect
from carecover.portal.visits.forms import VisitUploadForm
from carecover.portal.visits.models import Outcome, VisitUpload

UPLOADS_SHOWN = 20


def _files(user: User) -> bool:
    return user.files_reports


@requiring(_files)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a visit file; list the organisation's earlier uploads."""
    user = portal_user(request)
    form = VisitUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(20 * 1024 * 1024 + 1)
        try:
            found = detect(user, data, form.cleaned_data["mapping"], now=timezone.now())
        except InputError as exc:
            form.add_error("mapping" if exc.field == "mapping" else "file", exc.reason)
        else:
            return redirect("visits:detail", pk=found.pk)
    uploads = VisitUpload.objects.filter(organisation=user.organisation_id)[:UPLOADS_SHOWN]
    return render(request, "visits/upload.html", {"form": form, "uploads": uploads})


@requiring(_files)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The interruptions found in one of the organisation's uploads (viewing is audited)."""
    user = portal_user(request)
    found = get_object_or_404(VisitUpload, pk=pk, organisation=user.organisation_id)
    rows = list(found.rows.select_related("member", "report"))
    # The page shows members' names and Medicaid ids: an identity view.
    record(user, Action.VIEW_IDENTITY, object_type="visit_upload", object_id=str(found.pk))
    members_shown(user, [r.member_id for r in rows if r.member_id is not None])
    counts = {o.value: sum(1 for r in rows if r.outcome == o.value) for o in Outcome}
    context = {"upload": found, "rows": rows, "counts": counts, "pending": counts["pending"]}
    return render(request, "visits/detail.html", context)


@requiring(_files)
@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the drafts and service-break entries of an upload's pending rows."""
    user = portal_user(request)
    found = get_object_or_404(VisitUpload, pk=pk, organisation=user.organisation_id)
    result = create_all(user, found, today=timezone.localdate())
    messages.success(
        request,
        f"{result.drafts} draft report(s) created, {result.breaks} service break(s) logged"
        + (f", {result.refused} refused (see why below)" if result.refused else "")
        + ". Complete each draft (why backup staff was not provided) and submit it.",
    )
    return redirect("visits:detail", pk=found.pk)
