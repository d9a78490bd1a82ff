"""Who sees which reports: provider and EOR users their own organisation's, MCO users all."""

from __future__ import annotations

from django.db.models import QuerySet

from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import User
from carecover.portal.incidents.models import Report

__all__ = ["any_role", "files_reports", "mco_only", "portal_user", "visible_reports"]


def visible_reports(user: User) -> QuerySet[Report]:
    """The reports ``user`` may see; anything else answers 404."""
    reports = Report.objects.select_related("member", "organisation", "site")
    if user.is_mco:
        return reports
    if user.files_reports:
        return reports.filter(organisation=user.organisation)
    return reports.none()


#: Signed in with a provider, EOR or MCO role.
any_role = requiring(lambda user: user.is_mco or user.files_reports)
#: Signed in as a provider submitter or manager, or an EOR.
files_reports = requiring(lambda user: user.files_reports)
#: Signed in as an MCO analyst or administrator.
mco_only = requiring(lambda user: user.is_mco)
