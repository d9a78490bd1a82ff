"""Who sees which facility: its operator's users, and its chain's corporate users.

Facilities are looked up inside what the user may see, so another operator's
facility answers 404, never data (the same rule as the backup-staffing apps).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import OrganisationKind, User
from carecover.portal.nursinghome.models import Facility

__all__ = ["facility_for", "nursing_home_user", "portal_user", "visible_facilities"]


def visible_facilities(user: User) -> QuerySet[Facility]:
    """The facilities ``user`` may open; none for users outside the nursing-home workspace."""
    facilities = Facility.objects.select_related("organisation", "chain")
    if not user.works_in_nursing_homes or user.organisation is None:
        return facilities.none()
    if user.organisation.kind == OrganisationKind.CHAIN:
        return facilities.filter(Q(chain=user.organisation) | Q(organisation=user.organisation))
    return facilities.filter(organisation=user.organisation)


def facility_for(user: User, ccn: str) -> Facility:
    """The facility ``ccn`` if ``user`` may see it, else 404."""
    return get_object_or_404(visible_facilities(user), ccn=ccn.upper())


#: Signed in as a facility administrator, DON, MDS coordinator or chain user.
nursing_home_user = requiring(lambda user: user.works_in_nursing_homes)
