"""The unread count shown in every page's navigation."""

from __future__ import annotations

from django.http import HttpRequest

from carecover.portal.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """``unread_notifications``: how many of the user's notifications are unread."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()
    }
