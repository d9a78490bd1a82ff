"""URLs of the nursing-home workspace (``/nursing-homes/``); CCNs are public, not PHI."""

from __future__ import annotations

from django.urls import path

from carecover.portal.nursinghome.views import facility_list

app_name = "nursinghome"

urlpatterns = [
    path("", facility_list, name="facilities"),
]
