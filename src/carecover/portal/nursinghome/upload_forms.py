"""The upload form: what kind of file, the file, and a time-clock export's quarter and mapping.

The form checks only what needs no reading of the file (present, not empty,
not over ``CARECOVER_UPLOAD_MAX_BYTES``, a quarter for a time-clock export);
``uploads.receive_upload`` judges the content.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from carecover.pbj.calendar import Quarter
from carecover.portal.nursinghome.models import UploadKind
from carecover.portal.nursinghome.uploads import UploadOptions, clean_name

__all__ = ["UploadForm", "recent_quarters"]

PROCESS_TYPES = [
    ("merge", "merge: add to the hours already submitted for the quarter"),
    ("replace", "replace: delete the quarter's submitted hours first"),
]


def recent_quarters(today: date, count: int = 6) -> list[Quarter]:
    """The quarter of ``today`` and the ``count - 1`` before it, newest first."""
    quarters = [Quarter.containing(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def _quarter_label(quarter: Quarter) -> str:
    """``2026Q3 (FY2026 Q4, due 14 Nov 2026)``: calendar and PBJ names with the deadline."""
    due = quarter.deadline
    return (
        f"{quarter} (FY{quarter.fiscal_year} Q{quarter.report_quarter}, due {due.day} {due:%b %Y})"
    )


def _checked_size(file: UploadedFile[Any] | None) -> UploadedFile[Any] | None:
    """``file`` unless it is empty or over the upload limit (the message names it)."""
    if file is None:
        return None
    name = clean_name(file.name)
    limit = int(settings.CARECOVER_UPLOAD_MAX_BYTES)
    if not file.size:
        raise forms.ValidationError(f"{name}: the file is empty")
    if file.size > limit:
        raise forms.ValidationError(
            f"{name}: the file is {file.size:,} bytes, over the upload limit of {limit:,} bytes"
        )
    return file


class UploadForm(forms.Form):
    """One file of one kind for one facility."""

    kind = forms.ChoiceField(
        label="What are you uploading?", choices=UploadKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label="File", allow_empty_file=True)
    quarter = forms.ChoiceField(
        label="Quarter of the time-clock export",
        required=False,
        help_text="Time-clock exports only: the calendar quarter the PBJ file is for.",
    )
    process_type = forms.ChoiceField(
        label="PBJ processType",
        choices=PROCESS_TYPES,
        initial="merge",
        required=False,
        help_text="Time-clock exports only.",
    )
    mapping = forms.FileField(
        label="Job-title mapping (optional)",
        required=False,
        allow_empty_file=True,
        help_text="Time-clock exports only: a CSV job_title,job_title_code; without it the"
        " shipped mapping of common titles is used.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarters = recent_quarters(today)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------")] + [(str(q), _quarter_label(q)) for q in quarters]
        # The last finished quarter is the one a facility most likely exports.
        self.initial.setdefault("quarter", str(Quarter.containing(today).previous()))

    def clean_file(self) -> UploadedFile[Any] | None:
        """The file, if it is neither empty nor too large."""
        return _checked_size(self.cleaned_data.get("file"))

    def clean_mapping(self) -> UploadedFile[Any] | None:
        """The mapping file, if given and neither empty nor too large."""
        return _checked_size(self.cleaned_data.get("mapping"))

    def clean(self) -> dict[str, Any]:
        """A time-clock export needs its quarter."""
        data = super().clean() or {}
        if data.get("kind") == UploadKind.TIMECLOCK and not data.get("quarter"):
            self.add_error("quarter", "pick the quarter the time-clock export is for")
        return data

    def options(self) -> UploadOptions:
        """The time-clock settings the service needs (ignored for other kinds)."""
        data = self.cleaned_data
        quarter = Quarter.parse(data["quarter"]) if data.get("quarter") else None
        return UploadOptions(quarter, data.get("process_type") or "merge", data.get("mapping"))
