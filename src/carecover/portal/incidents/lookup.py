"""Typeahead fragments for the report form (htmx): service codes and members.

Member search shows date of birth and last four SSN digits, so every search
that returns members is audited as a view of identifying data.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from carecover.backup.catalogue import search_services
from carecover.portal import queryparams
from carecover.portal.audit.identity import members_shown
from carecover.portal.incidents.access import any_role, files_reports, portal_user
from carecover.portal.incidents.members import visible_members
from carecover.portal.incidents.models import Member

#: At most this many members per search: enough to pick from, too few to browse.
MEMBER_LIMIT = 10


@any_role
@require_GET
def service_options(request: HttpRequest) -> HttpResponse:
    """``<option>`` elements for the service codes matching what was typed, only those in
    effect on ``incident_date`` when the form has one (a half-typed date is ignored)."""
    text = queryparams.text(request.GET, "service_code", max_length=queryparams.MAX_TEXT)[:40]
    typed = queryparams.text(request.GET, "incident_date", max_length=queryparams.MAX_TEXT)
    try:
        on: date | None = date.fromisoformat(typed.strip()) if typed.strip() else None
    except ValueError:
        on = None
    services = search_services(text, limit=10, on=on) if text.strip() else []
    return render(request, "incidents/service_options.html", {"services": services})


def _birth_date(typed: str) -> date | None:
    """A whole ISO date, or None (a half-typed date searches nothing)."""
    try:
        return date.fromisoformat(typed.strip()) if len(typed.strip()) == 10 else None
    except ValueError:
        return None


@files_reports
@require_POST
def member_search(request: HttpRequest) -> HttpResponse:
    """The organisation's members matching what was typed: the start of the last (and
    first) name, the birth date, the SSN's last four digits; all that is given must match.

    A search needs two letters of the last name, a whole birth date or four digits.
    """
    user = portal_user(request)
    # POST, not GET: names must not appear in URLs or access logs.
    last = request.POST.get("member_last_name", "").strip()[:100]
    first = request.POST.get("member_first_name", "").strip()[:100]
    born = _birth_date(request.POST.get("member_date_of_birth", "")[:20])
    ssn4 = request.POST.get("member_search_ssn4", "").strip()[:4]
    ssn4 = ssn4 if len(ssn4) == 4 and ssn4.isascii() and ssn4.isdigit() else ""
    members: list[Member] = []
    searched = len(last) >= 2 or born is not None or bool(ssn4)
    if searched:
        found = visible_members(user)
        if len(last) >= 2:
            found = found.filter(last_name__istartswith=last)
            if first:
                found = found.filter(first_name__istartswith=first)
        if born is not None:
            found = found.filter(date_of_birth=born)
        if ssn4:
            found = found.filter(ssn_last4=ssn4)
        members = list(found.order_by("last_name", "first_name", "date_of_birth")[:MEMBER_LIMIT])
    members_shown(user, [member.pk for member in members])
    context = {"members": members, "searched": searched}
    return render(request, "incidents/member_results.html", context)
