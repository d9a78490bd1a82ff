"""Filters of the audit log page and its CSV export."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.queryparams import DayField


class AuditFilterForm(forms.Form):
    """Who, what, which object, through what, and when (local dates, inclusive)."""

    actor = forms.CharField(required=False, max_length=150, label="User name")
    action = forms.ChoiceField(required=False, choices=[("", "any"), *Action.choices])
    object_type = forms.CharField(required=False, max_length=40, label="Object type")
    object_id = forms.CharField(required=False, max_length=40, label="Object id")
    via = forms.CharField(required=False, max_length=40, label="Via")
    date_from = DayField(required=False, label="From")
    date_to = DayField(required=False, label="To")

    def events(self) -> QuerySet[AuditEvent]:
        """The events matching the (valid) filters, newest first."""
        events = AuditEvent.objects.order_by("-at", "-id")
        if not self.is_valid():
            return events
        data = self.cleaned_data
        for name, lookup in (
            ("actor", "actor_username__iexact"),
            ("action", "action"),
            ("object_type", "object_type"),
            ("object_id", "object_id"),
            ("via", "via__istartswith"),
        ):
            if data[name]:
                events = events.filter(**{lookup: data[name].strip()})
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.combine(data["date_from"], time.min, tzinfo=zone)
            events = events.filter(at__gte=start)
        if data["date_to"]:
            end = datetime.combine(data["date_to"], time.max, tzinfo=zone)
            events = events.filter(at__lte=end)
        return events

    def applied(self) -> dict[str, str]:
        """The filters in use, as text (recorded with each export)."""
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
