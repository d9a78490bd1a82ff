"""The portal's URLs: one include per app, plus the health check."""

from __future__ import annotations

from django.urls import include, path

from carecover.portal.api import api
from carecover.portal.health import healthz
from carecover.portal.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("carecover.portal.accounts.urls")),
    path("reports/", include("carecover.portal.incidents.urls")),
    path("compliance/", include("carecover.portal.compliance.urls")),
    path("audit/", include("carecover.portal.audit.urls")),
    path("nursing-homes/", include("carecover.portal.nursinghome.urls")),
    path("notifications/", include("carecover.portal.notifications.urls")),
    path("visits/", include("carecover.portal.visits.urls")),
    path("analysts/", include("carecover.portal.analysts.urls")),
    path("api/", api.urls),
]
