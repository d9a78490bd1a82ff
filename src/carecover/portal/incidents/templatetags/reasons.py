"""``reason_label``: a reason code as the reason list (``catalogue.load_reasons``) names it."""

from __future__ import annotations

from functools import cache

from django import template

from carecover.backup.catalogue import load_reasons

register = template.Library()


@cache
def _labels() -> dict[str, str]:
    # A code may have several dated rows: the one that started last names it.
    rows = sorted(load_reasons(), key=lambda r: r.effective_from)
    return {r.code: r.label for r in rows}


@register.filter
def reason_label(code: str | None) -> str:
    """The label of reason ``code``; an unknown code is shown as it is."""
    if not code:
        return ""
    return _labels().get(code, code)
