"""``/notifications/...``."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:>)
from carecover.portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.email_settings, name="settings"),
    path("<id:pk>/read/", views.mark_read, name="read"),
]
