"""``/audit/...``: MCO administrators only."""

from __future__ import annotations

from django.urls import path

from carecover.portal.audit.views import audit_export, audit_log

app_name = "audit"
urlpatterns = [
    path("", audit_log, name="log"),
    path("export.csv", audit_export, name="export"),
]
