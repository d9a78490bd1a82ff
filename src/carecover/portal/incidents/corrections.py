"""Corrections after submission: the provider asks to withdraw or amend, the MCO decides.

Both steps go through ``filing`` (a version and an audit event each) and the
domain's ``lifecycle`` rules; reports are looked up inside
``visible_reports(user)``, so another organisation's report is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecover.backup.report import CorrectionKind
from carecover.errors import CarecoverError, InputError
from carecover.portal.incidents import filing
from carecover.portal.incidents.access import files_reports, mco_only, portal_user, visible_reports

#: The longest reason or comment the forms take (``lifecycle`` refuses longer too).
MAX_REASON = 2000


class CorrectionRequestForm(forms.Form):
    """The provider's request about a filed report."""

    kind = forms.ChoiceField(
        label="Ask the MCO to",
        choices=[
            (CorrectionKind.WITHDRAW.value, "Withdraw it: it was filed in error"),
            (CorrectionKind.AMEND.value, "Send it back so we can amend it"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, in 10 to 2,000 characters (e.g. it was a service break: the member "
        "was in hospital).",
    )


class CorrectionDecisionForm(forms.Form):
    """The MCO's decision on the provider's request."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to decline.",
    )


def _say_refused(request: HttpRequest, exc: CarecoverError) -> None:
    messages.error(request, exc.reason if isinstance(exc, InputError) else str(exc))


@files_reports
@require_POST
def correction_request(request: HttpRequest, report_id: str) -> HttpResponse:
    """Ask the MCO to withdraw or amend one of the organisation's filed reports."""
    user = portal_user(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    form = CorrectionRequestForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[name].label or name}: {' '.join(map(str, errors))}"
            )
        return redirect("incidents:detail", report_id=row.report_id)
    kind = CorrectionKind(form.cleaned_data["kind"])
    try:
        filing.request_correction(
            user, row, kind, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    except CarecoverError as exc:
        _say_refused(request, exc)
    else:
        messages.success(request, f"{row.report_id}: your request to {kind} it went to the MCO.")
    return redirect("incidents:detail", report_id=row.report_id)


@mco_only
@require_POST
def correction_decision(request: HttpRequest, report_id: str) -> HttpResponse:
    """The MCO approves or declines a provider's request to withdraw or amend."""
    user = portal_user(request)
    row = get_object_or_404(visible_reports(user), report_id=report_id)
    form = CorrectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose approve or decline (a comment of at most 2,000 characters)."
        )
        return redirect("incidents:detail", report_id=row.report_id)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        filing.decide_correction(
            user, row, approve=approve, comment=form.cleaned_data["comment"], now=timezone.now()
        )
    except CarecoverError as exc:
        _say_refused(request, exc)
    else:
        messages.success(request, f"{row.report_id}: request {form.cleaned_data['decision']}d.")
    return redirect("incidents:detail", report_id=row.report_id)
