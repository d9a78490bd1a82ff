"""The notifications app."""

from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Reminders in the portal and by e-mail."""

    name = "carecover.portal.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
