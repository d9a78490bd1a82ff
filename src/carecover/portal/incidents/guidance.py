""" "Is this reportable?": guided questions drive ``classify``; a service break is
logged for the member instead of reported, and the page says why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carecover.backup.classify import Backup, Cause, OutcomeKind, cause_info, causes, classify
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.incidents.access import files_reports, portal_user
from carecover.portal.incidents.members import visible_members
from carecover.portal.incidents.models import ServiceBreak

_BACKUP_CHOICES = [
    (Backup.PROVIDED.value, "Backup staff covered the shift"),
    (Backup.UNAVAILABLE.value, "No backup staff was available"),
    (Backup.DECLINED.value, "Backup staff was offered and declined"),
    (Backup.NOT_OFFERED.value, "Backup staff was not offered"),
]
#: Which report type a failure becomes, by what happened with backup staff.
_REPORT_TYPE = {Backup.DECLINED: "offered_declined"}


class ReportableForm(forms.Form):
    """The guided questions."""

    cause = forms.ChoiceField(label="Why did the scheduled service not happen?")
    backup = forms.ChoiceField(
        label="What happened with backup staff?", choices=_BACKUP_CHOICES, widget=forms.RadioSelect
    )
    late_notice = forms.BooleanField(required=False, label="We learned about it days later")
    harm = forms.BooleanField(required=False, label="The member was harmed or put at risk")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [  # type: ignore[attr-defined]
            (c.code.value, c.label) for c in causes()
        ]


class ServiceBreakForm(forms.Form):
    """A service break, logged in the member's record."""

    cause = forms.ChoiceField(choices=[(c.value, c.value) for c in Cause], widget=forms.HiddenInput)
    member_medicaid_id = forms.CharField(max_length=20, label="Member's Medicaid id")
    date = forms.DateField(label="Date of the missed service")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


@files_reports
@require_http_methods(["GET", "POST"])
def reportable(request: HttpRequest) -> HttpResponse:
    """Ask what happened; show what the rules say to do."""
    form = ReportableForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        backup = Backup(form.cleaned_data["backup"])
        outcome = classify(
            Cause(form.cleaned_data["cause"]),
            backup,
            late_notice=form.cleaned_data["late_notice"],
            harm=form.cleaned_data["harm"],
        )
        context["outcome"] = outcome
        if outcome.kind is OutcomeKind.FAILURE_TO_PROVIDE_BACKUP:
            context["report_type"] = _REPORT_TYPE.get(backup, "not_available")
        elif outcome.kind is OutcomeKind.SERVICE_BREAK:
            context["break_form"] = ServiceBreakForm(initial={"cause": form.cleaned_data["cause"]})
    return render(request, "incidents/reportable.html", context)


@files_reports
@require_http_methods(["POST"])
def service_break_new(request: HttpRequest) -> HttpResponse:
    """Log a service break for one of the organisation's members."""
    user = portal_user(request)
    form = ServiceBreakForm(request.POST)
    member = None
    if form.is_valid():
        # The classifier decides, not the hidden field: a staff-driven cause is a
        # failure to provide backup staffing (or no interruption), never a break.
        # What happened with backup does not change a break, so any answer will do.
        outcome = classify(Cause(form.cleaned_data["cause"]), Backup.UNAVAILABLE)
        if outcome.kind is not OutcomeKind.SERVICE_BREAK:
            form.add_error(
                "cause",
                f"{cause_info(Cause(form.cleaned_data['cause'])).label} is not a service break: "
                "a staff-driven cause needs a backup staffing report (use Is this reportable?)",
            )
    if form.is_valid():
        medicaid_id = form.cleaned_data["member_medicaid_id"].strip().upper()
        member = visible_members(user).filter(medicaid_id=medicaid_id).first()
        if member is None:
            form.add_error("member_medicaid_id", "none of your members has this Medicaid id")
        elif form.cleaned_data["date"] > timezone.localdate():
            form.add_error("date", "cannot be after today")
    if not form.is_valid() or member is None or user.organisation is None:
        return render(request, "incidents/reportable.html", {"break_form": form}, status=400)
    entry = ServiceBreak.objects.create(
        organisation=user.organisation,
        member=member,
        date=form.cleaned_data["date"],
        cause=form.cleaned_data["cause"],
        note=form.cleaned_data["note"],
        created_by=user,
    )
    record(
        user,
        Action.CREATE,
        object_type="service_break",
        object_id=str(entry.pk),
        after={"member": member.pk, "date": entry.date.isoformat(), "cause": entry.cause},
    )
    messages.success(request, "Service break logged in the member's record; no report is needed.")
    return redirect("incidents:member_service_breaks", member_id=member.pk)
