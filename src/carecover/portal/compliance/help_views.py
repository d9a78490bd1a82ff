"""The help page: who at the MCO answers questions, and how the compliance clock runs.

The seed's form ends "If you have questions, please contact: ..."; the name,
role and address come from the MCO profile (``carecover.backup.mco``), so
each MCO shows its own.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carecover.portal.compliance import services
from carecover.portal.compliance.access import any_role


@any_role
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """The MCO's contact for questions and the reporting clock in plain words."""
    profile = services.profile()
    context = {
        "profile": profile,
        "scheme": services.scheme(),
        "rules": services.rules(),
    }
    return render(request, "compliance/help.html", context)
