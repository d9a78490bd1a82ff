"""``/notifications/``: a user's notifications and their e-mail choices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecover.backup.reminders import AUDIENCE, LABELS, Audience, ReminderKind
from carecover.portal.accounts.access import portal_user
from carecover.portal.accounts.models import User
from carecover.portal.notifications.models import EmailChoice, Notification

PAGE_ROWS = 100


def _kinds_for(user: User) -> list[ReminderKind]:
    """The kinds a user can receive: the MCO's or the providers'."""
    audience = Audience.MCO if user.is_mco else Audience.PROVIDER
    return [k for k in ReminderKind if AUDIENCE[k] is audience]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first (their own only)."""
    user = portal_user(request)
    rows = Notification.objects.filter(user=user)[:PAGE_ROWS]
    return render(request, "notifications/list.html", {"notifications": rows})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and open its page."""
    user = portal_user(request)
    # Someone else's notification is not found: its existence is not revealed.
    note = get_object_or_404(Notification, pk=pk, user=user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.link if note.link.startswith("/") else "notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    user = portal_user(request)
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    """Which reminders the user gets by e-mail (all by default)."""
    user = portal_user(request)
    kinds = _kinds_for(user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for kind in kinds:
            EmailChoice.objects.update_or_create(
                user=user, kind=kind.value, defaults={"email": kind.value in chosen}
            )
        return redirect("notifications:settings")
    off = set(EmailChoice.objects.filter(user=user, email=False).values_list("kind", flat=True))
    rows = [(k.value, LABELS[k], k.value not in off) for k in kinds]
    return render(
        request, "notifications/settings.html", {"rows": rows, "has_email": bool(user.email)}
    )
