"""The audit app."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Audit events."""

    name = "carecover.portal.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
