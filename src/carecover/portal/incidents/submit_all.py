""" "Submit all": a date range's drafts sent to the MCO together, each still checked.

``filing.submit_all`` submits each draft on its own: one that is not ready
stays a draft and is listed with why; the others go.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecover.errors import CarecoverError
from carecover.portal.incidents import filing
from carecover.portal.incidents.access import files_reports, portal_user
from carecover.portal.incidents.models import IncompleteDraft
from carecover.portal.queryparams import DayField

#: Most refusals listed one by one; the rest are counted.
SHOWN_REFUSALS = 20


class SubmitAllForm(forms.Form):
    """The date range whose drafts are submitted."""

    incident_from = DayField(label="Drafts from", widget=forms.DateInput(attrs={"type": "date"}))
    incident_to = DayField(label="to", widget=forms.DateInput(attrs={"type": "date"}))


@files_reports
@require_POST
def submit_all(request: HttpRequest) -> HttpResponse:
    """Submit the organisation's drafts of a date range, each checked on its own."""
    user = portal_user(request)
    form = SubmitAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the first and last incident dates of the drafts to submit.")
        return redirect("incidents:list")
    try:
        done, refused = filing.submit_all(
            user,
            form.cleaned_data["incident_from"],
            form.cleaned_data["incident_to"],
            now=timezone.now(),
            today=timezone.localdate(),
        )
    except CarecoverError as exc:
        messages.error(request, str(exc))
        return redirect("incidents:list")
    first, last = form.cleaned_data["incident_from"], form.cleaned_data["incident_to"]
    for draft in IncompleteDraft.objects.filter(organisation=user.organisation):
        # Kept as typed: a date that does not parse is not in any range.
        typed = str(draft.values.get("incident_date", ""))
        if first.isoformat() <= typed <= last.isoformat() and len(typed) == len("2026-01-01"):
            refused[draft.report_id] = "is not complete: open it to complete the missing fields"
    if done:
        messages.success(request, f"{len(done)} submitted to the MCO: {', '.join(done)}.")
    for report_id, why in list(refused.items())[:SHOWN_REFUSALS]:
        messages.error(request, f"{report_id} stays a draft: {why}")
    if len(refused) > SHOWN_REFUSALS:
        messages.error(request, f"... and {len(refused) - SHOWN_REFUSALS} more drafts not ready.")
    if not done and not refused:
        messages.info(request, "No drafts in that range.")
    return redirect("incidents:list")
