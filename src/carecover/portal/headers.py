"""Security headers Django does not set itself: the Content-Security-Policy.

X-Frame-Options, X-Content-Type-Options and Referrer-Policy come from Django's
own middleware (settings ``X_FRAME_OPTIONS``, ``SECURE_CONTENT_TYPE_NOSNIFF``,
``SECURE_REFERRER_POLICY``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.CSP`` to every response (no inline scripts, no CDN)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CSP)
        return response
