"""The compliance app."""

from __future__ import annotations

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Attestations, plans of correction, reporting periods and roll-ups."""

    name = "carecover.portal.compliance"
    label = "compliance"
    default_auto_field = "django.db.models.BigAutoField"
