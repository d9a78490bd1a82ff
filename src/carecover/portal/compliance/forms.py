"""Forms of the compliance pages: they parse input; ``services`` applies the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from carecover.backup.correction import Correction

#: Rows offered for corrections on the plan answer form (blank rows are ignored).
CORRECTION_ROWS = 3


class PeriodForm(forms.Form):
    """Names one reporting period by its first day (attest, request a plan)."""

    period_start = forms.DateField(widget=forms.HiddenInput)


class IssuePlanForm(PeriodForm):
    """The MCO requests a plan of correction from one organisation for one period."""

    organisation = forms.CharField(max_length=40, widget=forms.HiddenInput)


class RollupPeriodForm(forms.Form):
    """Which month or quarter a roll-up covers."""

    period = forms.CharField(
        max_length=10,
        label="Period",
        help_text="A month like 2026-10, or a quarter like 2026Q3 (a month means its quarter).",
    )


class AnswerPlanForm(forms.Form):
    """The provider's plan: the area out of compliance, and how, by when and who corrects it."""

    area_out_of_compliance = forms.CharField(
        label="Area out of compliance", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, CORRECTION_ROWS + 1):
            self.fields[f"how_{n}"] = forms.CharField(
                required=False,
                label=f"Correction {n}: how it will be made",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"by_when_{n}"] = forms.DateField(
                required=False,
                label=f"Correction {n}: by when",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"responsible_{n}"] = forms.CharField(
                required=False, max_length=200, label=f"Correction {n}: responsible person"
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        """The correction fields, grouped by row, for the template."""
        return [
            (self[f"how_{n}"], self[f"by_when_{n}"], self[f"responsible_{n}"])
            for n in range(1, CORRECTION_ROWS + 1)
        ]

    def corrections(self) -> list[Correction]:
        """The filled-in rows as domain corrections (a row with any value counts)."""
        data = self.cleaned_data
        out = []
        for n in range(1, CORRECTION_ROWS + 1):
            how, when, who = (
                data.get(f"how_{n}"),
                data.get(f"by_when_{n}"),
                data.get(f"responsible_{n}"),
            )
            if how or when or who:
                out.append(Correction(how or "", when, who or ""))
        return out

    def field_for(self, problem_field: str) -> str | None:
        """The form field of a ``validate_plan_response`` problem (``corrections[2].how``)."""
        if problem_field == "area_out_of_compliance":
            return problem_field
        if problem_field.startswith("corrections["):
            index, _, part = problem_field.removeprefix("corrections[").partition("].")
            rows = [n for n in range(1, CORRECTION_ROWS + 1) if self._filled(n)]
            position = int(index)
            if part and 0 < position <= len(rows):
                return f"{part}_{rows[position - 1]}"
            return "how_1"
        return None

    def _filled(self, n: int) -> bool:
        data = self.cleaned_data
        return any(data.get(f"{part}_{n}") for part in ("how", "by_when", "responsible"))
