"""The report form's widgets: the browser's date and time pickers, the member search."""

from __future__ import annotations

from django import forms

#: What the member search sends (``lookup.member_search``): name, birth date, SSN ending.
MEMBER_SEARCH_FIELDS = (
    "[name=member_last_name],[name=member_first_name],"
    "[name=member_date_of_birth],[name=member_search_ssn4]"
)
#: Typing a member's name or birth date searches the organisation's members (htmx).
SEARCH_ATTRS = {
    "autocomplete": "off",
    "hx-post": "/reports/members/",
    "hx-trigger": "input changed delay:300ms",
    "hx-target": "#member-results",
    "hx-include": MEMBER_SEARCH_FIELDS,
}
MEMBER_SEARCH = forms.TextInput(attrs=SEARCH_ATTRS)


def date_picker(**attrs: str) -> forms.DateInput:
    """The browser's date picker; the value as ISO, the only format it reads."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def time_picker() -> forms.TimeInput:
    """The browser's time picker, HH:MM."""
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
