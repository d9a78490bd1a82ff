"""URLs of the nursing-home workspace (``/nursing-homes/``); CCNs are public, not PHI."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:> and <ccn:>)
from carecover.portal.nursinghome.facility_views import (
    facility_download,
    facility_page,
    facility_settings,
)
from carecover.portal.nursinghome.upload_views import (
    upload_detail,
    upload_report,
    upload_xml,
    uploads,
)
from carecover.portal.nursinghome.views import facility_list

app_name = "nursinghome"

urlpatterns = [
    path("", facility_list, name="facilities"),
    path("<ccn:ccn>/", facility_page, name="facility"),
    path("<ccn:ccn>/settings/", facility_settings, name="facility_settings"),
    path("<ccn:ccn>/download/<slug:name>.<str:fmt>", facility_download, name="facility_download"),
    path("<ccn:ccn>/uploads/", uploads, name="uploads"),
    path("<ccn:ccn>/uploads/<id:upload_id>/", upload_detail, name="upload"),
    path("<ccn:ccn>/uploads/<id:upload_id>/report.<str:fmt>", upload_report, name="upload_report"),
    path("<ccn:ccn>/uploads/<id:upload_id>/pbj.xml", upload_xml, name="upload_xml"),
]
