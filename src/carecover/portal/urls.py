"""The portal's URLs: one include per app, plus the health check."""

from __future__ import annotations

from django.urls import include, path
from django.views.generic import RedirectView

from carecover.portal.api import api
from carecover.portal.health import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/reports/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("carecover.portal.accounts.urls")),
    path("reports/", include("carecover.portal.incidents.urls")),
    path("compliance/", include("carecover.portal.compliance.urls")),
    path("audit/", include("carecover.portal.audit.urls")),
    path("api/", api.urls),
]
