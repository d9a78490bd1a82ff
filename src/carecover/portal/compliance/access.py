"""Who may open which compliance page.

Filers (provider submitters and managers, EORs) see their own organisation's
periods and plans; MCO users see every organisation's, issue and close plans
and open the roll-ups. Objects are looked up inside what the user may see, so
another organisation's plan answers 404, never data.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from carecover.portal.accounts.models import User
from carecover.portal.compliance.models import PlanOfCorrection
from carecover.portal.compliance.services import visible_plans
from carecover.portal.incidents.access import any_role, files_reports, mco_only, portal_user

__all__ = ["any_role", "files_reports", "mco_only", "plan_for", "portal_user"]


def plan_for(user: User, pk: int) -> PlanOfCorrection:
    """The plan ``pk`` if ``user`` may see it, else 404."""
    return get_object_or_404(visible_plans(user), pk=pk)
