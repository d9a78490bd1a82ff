"""The facility list: the landing page of the nursing-home workspace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carecover.pbj.calendar import Quarter
from carecover.portal.nursinghome.access import nursing_home_user, portal_user, visible_facilities


@nursing_home_user
@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    """Every facility the user may see, with the next PBJ deadline and the latest upload."""
    user = portal_user(request)
    today = timezone.localdate()
    due = Quarter.next_due(today)
    facilities = list(visible_facilities(user).prefetch_related("uploads"))
    rows = [{"facility": f, "latest": next(iter(f.uploads.all()), None)} for f in facilities]
    return render(
        request,
        "nursinghome/facility_list.html",
        {"rows": rows, "due": due, "days_left": due.countdown(today)},
    )
