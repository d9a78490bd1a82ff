"""The nursing-home app."""

from __future__ import annotations

from django.apps import AppConfig


class NursingHomeConfig(AppConfig):
    """Facilities, their PBJ and MDS uploads, and the facility page."""

    name = "carecover.portal.nursinghome"
    label = "nursinghome"
    default_auto_field = "django.db.models.BigAutoField"
