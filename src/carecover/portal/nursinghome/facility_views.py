"""The facility page, its downloads and its rating settings.

Every view looks the facility up inside what the user may see
(``access.facility_for``: another operator's facility is a 404). The figures
come from ``figure_cache.facility_figures`` (computed once per store change);
the views parse the query string and lay the results out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carecover.errors import InputError, StoreBusyError
from carecover.facility.overview import FacilityFigures, WhatIf
from carecover.pbj.calendar import Quarter
from carecover.pbj.measures.staffing import QUARTERLY_COLUMNS, QUARTERLY_LABELS
from carecover.portal import queryparams
from carecover.portal.accounts.models import Role, User
from carecover.portal.analysts.standing import public_standing
from carecover.portal.audit.identity import residents_shown
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.nursinghome.access import facility_for, nursing_home_user, portal_user
from carecover.portal.nursinghome.busy import store_busy
from carecover.portal.nursinghome.downloads import (
    DOWNLOADS,
    FORMATS,
    as_csv,
    as_xlsx,
    download_table,
)
from carecover.portal.nursinghome.facility_forms import FacilitySettingsForm, WhatIfForm
from carecover.portal.nursinghome.figure_cache import facility_figures
from carecover.portal.nursinghome.hprd_chart import hprd_chart
from carecover.portal.nursinghome.models import Facility, UploadKind, UploadStatus

#: The columns of ``carecover pbj measures``, less the CCN the page already shows.
MEASURE_COLUMNS = QUARTERLY_COLUMNS[1:]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Roles that may change a facility's rating settings.
SETTINGS_ROLES = frozenset({Role.NH_ADMINISTRATOR, Role.CORPORATE})


def _quarter(request: HttpRequest) -> tuple[Quarter | None, str]:
    """The ``?quarter=`` asked for (None: the latest) and a message when it is not a quarter."""
    try:
        return queryparams.quarter(request.GET, "quarter"), ""
    except InputError as exc:
        return None, f"{exc}: showing the latest quarter."


def _uploads(facility: Facility, quarter: Quarter | None) -> dict[str, Any]:
    """The latest accepted upload, and the latest PBJ upload touching ``quarter``."""
    accepted = [u for u in facility.uploads.all() if u.status == UploadStatus.ACCEPTED]
    pbj = [
        u
        for u in accepted
        if u.kind in (UploadKind.PBJ_XML, UploadKind.TIMECLOCK) and str(quarter) in u.quarters
    ]
    return {
        "latest_upload": accepted[0] if accepted else None,
        "pbj_upload": pbj[0] if pbj else None,
    }


def _shown(column: str, value: Any) -> str:
    """A quarterly-measures cell as the page shows it (HPRD to 3 places, hours to 2)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        places = 3 if column.endswith(("hprd", "share")) else 2
        return f"{value:.{places}f}"
    return str(value)


def _measure_rows(figures: FacilityFigures) -> list[tuple[str, list[str]]]:
    """The quarterly measures of both sources, as the table's rows."""
    return [
        (source, [_shown(c, row[c]) for c in MEASURE_COLUMNS])
        for source, rows in (
            ("your PBJ", figures.own_measures),
            ("CMS file", figures.public_measures),
        )
        for row in rows
    ]


def may_change_settings(user: User) -> bool:
    """Facility administrators and chain users set a facility's rating inputs."""
    return user.role in SETTINGS_ROLES


@nursing_home_user
@require_GET
def facility_page(request: HttpRequest, ccn: str) -> HttpResponse:
    """HPRD, RN coverage, census, star card, projection and MDS lists of one quarter."""
    user = portal_user(request)
    facility = facility_for(user, ccn)
    today = timezone.localdate()
    quarter, problem = _quarter(request)
    form = WhatIfForm(request.GET if "whatif" in request.GET else None)
    what_if = form.what_if() if form.is_bound and form.is_valid() else WhatIf()
    try:
        figures = facility_figures(facility, quarter, today=today, what_if=what_if)
    except StoreBusyError:
        return store_busy(request, facility)
    residents_shown(
        user,
        facility.ccn,
        {
            "census_risk": [r.resident_key for r in figures.census_risk],
            "missing_assessments": [r.resident_key for r in figures.missing],
        },
    )
    notices = [problem] if problem else []
    notices += figures.notices
    shown = figures.quarter
    context = {
        "facility": facility,
        "figures": figures,
        "notices": notices,
        "form": form,
        "chart": hprd_chart(figures.own_measures, figures.public_measures),
        # Words in the header, the column name kept for those who know it.
        "measure_columns": [(c, QUARTERLY_LABELS[c]) for c in MEASURE_COLUMNS],
        "measure_rows": _measure_rows(figures),
        "downloads": [(name, label) for name, (label, _) in DOWNLOADS.items()],
        "may_change_settings": may_change_settings(user),
        "today": today,
        "days_left": shown.countdown(today) if shown else None,
        "days_late": -shown.countdown(today) if shown else None,
        "zero_rn_allowed": max(0, figures.zero_rn_one_star_at - 1),
        **_uploads(facility, shown),
        "public_standing": public_standing(facility.ccn, shown),
    }
    return render(request, "nursinghome/facility.html", context, status=400 if problem else 200)


@nursing_home_user
@require_GET
def facility_download(request: HttpRequest, ccn: str, name: str, fmt: str) -> HttpResponse:
    """One of the page's tables as CSV or XLSX, for the quarter in ``?quarter=``."""
    user = portal_user(request)
    facility = facility_for(user, ccn)
    if name not in DOWNLOADS or fmt not in FORMATS:
        raise Http404
    quarter, problem = _quarter(request)
    if problem:
        raise Http404
    try:
        figures = facility_figures(facility, quarter, today=timezone.localdate())
    except StoreBusyError:
        return store_busy(request, facility)
    if figures.quarter is None:
        raise Http404
    table = download_table(name, figures)
    record(
        user,
        Action.EXPORT,
        object_type="facility",
        object_id=f"{facility.ccn}:{name}"[:40],
        after={"format": fmt, "quarter": str(figures.quarter), "rows": len(table.rows)},
    )
    filename = f"{facility.ccn}-{figures.quarter}-{name}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@nursing_home_user
@require_http_methods(["GET", "POST"])
def facility_settings(request: HttpRequest, ccn: str) -> HttpResponse:
    """The rating inputs the store cannot give; administrators and chain users only."""
    user = portal_user(request)
    facility = facility_for(user, ccn)
    if not may_change_settings(user):
        raise PermissionDenied
    if request.method == "POST":
        form = FacilitySettingsForm(request.POST)
        if form.is_valid():
            before = FacilitySettingsForm.initial_for(facility)
            after = form.apply(facility)
            facility.save(update_fields=list(after))
            record(
                user,
                Action.CHANGE,
                object_type="facility",
                object_id=facility.ccn,
                before=before,
                after=after,
            )
            messages.success(request, "Rating settings saved.")
            return redirect(reverse("nursinghome:facility", args=[facility.ccn]))
    else:
        form = FacilitySettingsForm(initial=FacilitySettingsForm.initial_for(facility))
    return render(
        request,
        "nursinghome/facility_settings.html",
        {"facility": facility, "form": form},
        status=400 if form.errors else 200,
    )
