"""Words for the compliance pages: period statuses as the issue names them."""

from __future__ import annotations

from django import template

from carecover.backup.export import PERIOD_STATUS_LABELS

register = template.Library()


@register.filter
def period_status(value: object) -> str:
    """``attested_none`` -> ``attested no incidents`` (``export.PERIOD_STATUS_LABELS``, in
    lower case: the pages use it inside sentences and status badges)."""
    words = {str(k): v for k, v in PERIOD_STATUS_LABELS.items()}
    return words.get(str(value), str(value)).lower()
