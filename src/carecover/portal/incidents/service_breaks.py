"""The per-member service-break log: the member's record of breaks that need no report.

"Is this reportable?" (``guidance``) logs a service break here when
``classify`` says so. Filers see the breaks their own organisation logged, for
members it serves; MCO users see every organisation's. Another organisation's
member answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from carecover.backup.classify import causes
from carecover.portal.accounts.models import User
from carecover.portal.audit.identity import members_shown
from carecover.portal.incidents.access import any_role, portal_user
from carecover.portal.incidents.members import visible_members
from carecover.portal.incidents.models import Member, ServiceBreak

#: Most recent breaks on the organisation-wide log.
RECENT_BREAKS = 100


def visible_breaks(user: User) -> QuerySet[ServiceBreak]:
    """Service breaks ``user`` may see: MCO all, filers their organisation's."""
    breaks = ServiceBreak.objects.select_related("member", "created_by", "organisation")
    if user.is_mco:
        return breaks
    if user.files_reports:
        return breaks.filter(organisation=user.organisation)
    return breaks.none()


def _labelled(breaks: QuerySet[ServiceBreak]) -> list[ServiceBreak]:
    """The breaks, each with ``cause_label``: the cause in ``classify``'s words."""
    labels = {cause.code.value: cause.label for cause in causes()}
    rows = list(breaks)
    for entry in rows:
        entry.cause_label = labels.get(entry.cause, entry.cause)  # type: ignore[attr-defined]
    return rows


@any_role
@require_GET
def service_break_log(request: HttpRequest) -> HttpResponse:
    """The latest service breaks the user may see, across members."""
    user = portal_user(request)
    breaks = _labelled(visible_breaks(user)[:RECENT_BREAKS])
    members_shown(user, [entry.member_id for entry in breaks])
    return render(request, "incidents/service_breaks.html", {"breaks": breaks, "member": None})


@any_role
@require_GET
def member_service_breaks(request: HttpRequest, member_id: int) -> HttpResponse:
    """One member's record: the service breaks logged for them (404 if not one's member)."""
    user = portal_user(request)
    member = get_object_or_404(visible_members(user), pk=member_id)
    # The MCO sees every organisation's record of the same Medicaid id (members
    # are kept per organisation); a filer sees only their own.
    others = (
        list(
            Member.objects.select_related("organisation")
            .filter(medicaid_id=member.medicaid_id)
            .exclude(pk=member.pk)
            .order_by("organisation__code")
        )
        if user.is_mco
        else []
    )
    members_shown(user, [member.pk, *(other.pk for other in others)])
    breaks = _labelled(visible_breaks(user).filter(member=member))
    context = {"breaks": breaks, "member": member, "other_records": others}
    return render(request, "incidents/service_breaks.html", context)
