"""``/compliance/...``: workspaces, reporting periods, plans of correction and roll-ups."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:>, <ccn:>, <period:>)
from carecover.portal.compliance import help_views, plan_views, report_views, views

app_name = "compliance"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("help/", help_views.help_page, name="help"),
    path("periods/", views.periods, name="periods"),
    path("periods/attest/", views.attest, name="attest"),
    path(
        "periods/<period:label>/download.<str:extension>",
        views.period_download,
        name="period_download",
    ),
    path("providers/", views.providers, name="providers"),
    path("providers/download.csv", views.providers_csv, name="providers_csv"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/issue/", plan_views.plan_issue, name="plan_issue"),
    path("plans/<id:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<id:pk>/answer/", plan_views.plan_answer, name="plan_answer"),
    path("plans/<id:pk>/close/", plan_views.plan_close, name="plan_close"),
    path("reports/<str:kind>/", report_views.rollup_page, name="rollup"),
    path("reports/<str:kind>/print/", report_views.rollup_print, name="rollup_print"),
    path("reports/<str:kind>/download.csv", report_views.rollup_csv, name="rollup_csv"),
    path("reports/<str:kind>/download.xlsx", report_views.rollup_xlsx, name="rollup_xlsx"),
]
