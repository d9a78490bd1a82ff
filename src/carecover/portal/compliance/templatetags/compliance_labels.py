"""Words for the compliance pages: period statuses as the issue names them."""

from __future__ import annotations

from django import template

register = template.Library()

#: ``ProviderPeriodStatus`` values in the providers' words (issue 3).
PERIOD_STATUS_LABELS = {
    "reported": "submitted",
    "attested_none": "attested no incidents",
    "late": "late",
    "missing": "missing",
    "due": "due",
}


@register.filter
def period_status(value: object) -> str:
    """``attested_none`` -> ``attested no incidents``."""
    return PERIOD_STATUS_LABELS.get(str(value), str(value))


@register.filter
def label(value: object) -> str:
    """A code as words: ``short_notice`` -> ``short notice``."""
    return str(value).replace("_", " ")
