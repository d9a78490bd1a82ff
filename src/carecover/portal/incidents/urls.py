"""``/reports/...``: report ids in paths, never member data."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:> and <ccn:>)
from carecover.portal.incidents import (
    corrections,
    guidance,
    lookup,
    service_breaks,
    submit_all,
    views,
)

app_name = "incidents"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("submit-all/", submit_all.submit_all, name="submit_all"),
    path("check/", guidance.reportable, name="reportable"),
    path("service-breaks/new/", guidance.service_break_new, name="service_break_new"),
    path("service-breaks/", service_breaks.service_break_log, name="service_breaks"),
    path(
        "members/<id:member_id>/service-breaks/",
        service_breaks.member_service_breaks,
        name="member_service_breaks",
    ),
    path("services/", lookup.service_options, name="services"),
    path("members/", lookup.member_search, name="members"),
    path("<str:report_id>/", views.report_detail, name="detail"),
    path("<str:report_id>/edit/", views.report_edit, name="edit"),
    path("<str:report_id>/submit/", views.report_submit, name="submit"),
    path("<str:report_id>/delete/", views.report_delete, name="delete"),
    path("<str:report_id>/review/", views.report_review, name="review"),
    path(
        "<str:report_id>/correction/",
        corrections.correction_request,
        name="correction_request",
    ),
    path(
        "<str:report_id>/correction/decision/",
        corrections.correction_decision,
        name="correction_decision",
    ),
]
