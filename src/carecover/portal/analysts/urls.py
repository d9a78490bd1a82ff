"""URLs of the analyst workspace (``/analysts/``); CCNs, states and chain names are public."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <ccn:>)
from carecover.portal.analysts import views

app_name = "analysts"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("facility/<ccn:ccn>/", views.facility, name="facility"),
    path(
        "facility/<ccn:ccn>/benchmark.<str:fmt>", views.facility_download, name="facility_download"
    ),
    path("state/<str:code>/", views.state, name="state"),
    path("state/<str:code>/view.<str:fmt>", views.state_download, name="state_download"),
    path("chain/", views.chain, name="chain"),
    path("chain/view.<str:fmt>", views.chain_download, name="chain_download"),
]
