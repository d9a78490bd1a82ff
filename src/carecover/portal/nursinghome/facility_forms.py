"""Forms of the facility page: the what-if (GET) and the facility's rating settings (POST)."""

from __future__ import annotations

from django import forms

from carecover.facility.overview import WhatIf
from carecover.portal.nursinghome.models import Facility
from carecover.portal.queryparams import DayField


class WhatIfForm(forms.Form):
    """What-if inputs of the projection; every field is optional."""

    submitted_on = DayField(
        required=False,
        label="PBJ submitted on",
        help_text="After the deadline, the staffing rating is one star.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    audit_failed = forms.BooleanField(required=False, label="A PBJ audit found inaccuracies")
    extra_rn_hours = forms.FloatField(
        required=False,
        min_value=0,
        max_value=24,
        label="Extra RN hours per day",
        help_text="Added to every day of the quarter, the days so far and the days ahead.",
    )
    cmi_ratio = forms.FloatField(
        required=False, min_value=0.1, max_value=5.0, label="Case-mix ratio"
    )

    def what_if(self) -> WhatIf:
        """The validated inputs (call after ``is_valid``)."""
        data = self.cleaned_data
        return WhatIf(
            submitted_on=data.get("submitted_on"),
            audit_failed=bool(data.get("audit_failed")),
            extra_rn_hours=data.get("extra_rn_hours") or 0.0,
            cmi_ratio=data.get("cmi_ratio"),
        )


class FacilitySettingsForm(forms.Form):
    """The rating inputs the store cannot give: inspection and QM stars, audit, case-mix ratio."""

    health_inspection_stars = forms.IntegerField(
        required=False, min_value=1, max_value=5, label="Health-inspection stars (1-5)"
    )
    quality_measure_stars = forms.IntegerField(
        required=False, min_value=1, max_value=5, label="Quality-measure stars (1-5)"
    )
    audit_failed = forms.BooleanField(
        required=False, label="A CMS PBJ audit found our data inaccurate"
    )
    cmi_ratio = forms.FloatField(
        required=False,
        min_value=0.1,
        max_value=5.0,
        label="CMS-published nursing case-mix ratio",
        help_text="Leave blank to use the ratio computed from your MDS assessments.",
    )

    @staticmethod
    def initial_for(facility: Facility) -> dict[str, object]:
        """The facility's current settings as the form's initial values."""
        return {name: getattr(facility, name) for name in SETTINGS}

    def apply(self, facility: Facility) -> dict[str, object]:
        """Copy the validated values onto ``facility`` (unsaved); return them."""
        values = {name: self.cleaned_data.get(name) for name in SETTINGS}
        values["audit_failed"] = bool(values["audit_failed"])
        for name, value in values.items():
            setattr(facility, name, value)
        return values


SETTINGS = ("health_inspection_stars", "quality_measure_stars", "audit_failed", "cmi_ratio")
