"""The report list's filter form: every filter optional, read by ``listing.apply_filters``."""

from __future__ import annotations

from typing import Any

from django import forms

from carecover.backup.catalogue import label_of, load_reasons
from carecover.backup.report import BackupStatus, ReportStatus
from carecover.portal.queryparams import DayField, RowIdField


def _blank_first(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "---------"), *pairs]


class ReportFilterForm(forms.Form):
    """Filters of the report list; every one is optional (``listing.apply_filters``)."""

    provider = forms.CharField(required=False, max_length=40, label="Provider number")
    member = RowIdField(
        required=False,
        label="Member record no.",
        help_text="The member's record number (ids only: no names in web addresses).",
    )
    service = forms.CharField(required=False, max_length=20, label="Service code")
    reason = forms.ChoiceField(required=False, label="Reason")
    report_type = forms.ChoiceField(
        required=False,
        label="Type",
        choices=_blank_first(
            [
                (BackupStatus.NOT_AVAILABLE.value, "Backup not available"),
                (BackupStatus.OFFERED_DECLINED.value, "Backup offered but declined"),
            ]
        ),
    )
    status = forms.ChoiceField(
        required=False,
        choices=_blank_first([(s.value, label_of("status", s.value)) for s in ReportStatus]),
    )
    incident_from = DayField(
        required=False, label="Incident from", widget=forms.DateInput(attrs={"type": "date"})
    )
    incident_to = DayField(
        required=False, label="Incident to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _blank_first(  # type: ignore[attr-defined]
            [(r.code, r.label) for r in load_reasons()]
        )
