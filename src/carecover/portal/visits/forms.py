"""The visit upload form."""

from __future__ import annotations

from django import forms

from carecover.portal.visits.detection import portal_mappings


class VisitUploadForm(forms.Form):
    """A visit file and its layout."""

    file = forms.FileField(
        label="Visit file (CSV)",
        help_text="One row per scheduled visit, exported from your EVV system.",
    )
    mapping = forms.ChoiceField(
        label="Layout",
        help_text="'generic' is carecover's layout (docs/backup-visits.md); vendor layouts"
        " have UNCONFIRMED parts: check the first results.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["mapping"].choices = [(n, n) for n in portal_mappings()]  # type: ignore[attr-defined]
