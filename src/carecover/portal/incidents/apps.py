"""The incidents app."""

from __future__ import annotations

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Members, reports and service breaks."""

    name = "carecover.portal.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"
