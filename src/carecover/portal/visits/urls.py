"""``/visits/...``."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:>)
from carecover.portal.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/create/", views.create, name="create"),
]
