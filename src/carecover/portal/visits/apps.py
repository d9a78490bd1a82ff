"""The visits app."""

from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """EVV visit uploads and the interruptions found in them."""

    name = "carecover.portal.visits"
    label = "visits"
    default_auto_field = "django.db.models.BigAutoField"
