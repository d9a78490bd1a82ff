"""The portal's front door: each user to their own workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from carecover.portal.accounts.access import portal_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Nursing-home users to their facilities; backup-staffing users to their reports."""
    if portal_user(request).works_in_nursing_homes:
        return redirect("nursinghome:facilities")
    if portal_user(request).is_public_analyst:
        return redirect("analysts:workspace")
    return redirect("incidents:list")
