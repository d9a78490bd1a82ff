"""The accounts app."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, sites and users."""

    name = "carecover.portal.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
