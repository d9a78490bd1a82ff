"""The analysts app."""

from __future__ import annotations

from django.apps import AppConfig


class AnalystsConfig(AppConfig):
    """Pages over the national history store for users with the ``analyst`` role."""

    name = "carecover.portal.analysts"
    label = "analysts"
    default_auto_field = "django.db.models.BigAutoField"
