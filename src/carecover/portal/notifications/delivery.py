"""Reminders become notifications (once per user and fact) and, by choice, e-mails.

An e-mail says what needs doing and links to the page: it never holds a
member's identity (a mailbox is not a place for PHI), only periods, dates,
report ids and provider codes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from carecover.backup.reminders import Audience, Reminder, ReminderKind
from carecover.portal.accounts.models import FILING_ROLES, MCO_ROLES, User
from carecover.portal.notifications.models import EmailChoice, Notification

log = logging.getLogger(__name__)

__all__ = ["Delivery", "deliver", "link_for", "recipients", "wants_email"]


@dataclass(frozen=True)
class Delivery:
    """What one run delivered: new notifications and e-mails sent."""

    notifications: int
    emails: int
    failed_emails: int


def link_for(reminder: Reminder) -> str:
    """The page where the user acts on ``reminder`` (a path, no identity in it)."""
    kind = reminder.kind
    if kind in (ReminderKind.PERIOD_DUE_SOON, ReminderKind.PERIOD_OVERDUE):
        return reverse("compliance:periods")
    if kind is ReminderKind.REPORT_RETURNED:
        return reverse("incidents:detail", args=[reminder.key.split(":")[1]])
    if kind is ReminderKind.PROVIDERS_LATE_OR_MISSING:
        return reverse("compliance:providers")
    if kind in (ReminderKind.PLAN_DUE_SOON, ReminderKind.PLAN_OVERDUE, ReminderKind.PLAN_ACCEPTED):
        return reverse("compliance:plan", args=[int(reminder.key.split(":")[1])])
    return reverse("compliance:plans")


def recipients(reminder: Reminder) -> QuerySet[User]:
    """Active users who must hear of ``reminder``: the provider's filers, or the MCO's staff."""
    users = User.objects.filter(is_active=True)
    if reminder.audience is Audience.MCO:
        return users.filter(role__in=MCO_ROLES)
    return users.filter(role__in=FILING_ROLES, organisation__code=reminder.provider_id)


def wants_email(user: User, kind: ReminderKind) -> bool:
    """Whether ``user`` chose e-mails of ``kind`` (yes unless they turned it off)."""
    choice = EmailChoice.objects.filter(user=user, kind=kind.value).first()
    return bool(user.email) and (choice is None or choice.email)


def _absolute(path: str) -> str:
    return settings.CARECOVER_SITE_URL.rstrip("/") + path


def _email(connection: BaseEmailBackend, user: User, reminder: Reminder, link: str) -> None:
    body = (
        f"{reminder.subject}.\n\n{reminder.detail}\n\n"
        f"Open it in carecover: {_absolute(link)}\n\n"
        "You get this e-mail because you file or review backup staffing reports. Choose which"
        f" e-mails you get: {_absolute(reverse('notifications:settings'))}\n"
    )
    message = EmailMessage(f"carecover: {reminder.subject}", body, None, [user.email])
    connection.send_messages([message])


def deliver(reminders: Iterable[Reminder], *, now: datetime) -> Delivery:
    """Store each reminder for each recipient once; e-mail those who want it.

    Idempotent: a (user, key) pair already delivered is skipped, so the
    scheduler may run as often as it likes. An e-mail that fails is logged
    (without its text) and the notification stays, unsent, to retry next run.
    """
    created = sent = failed = 0
    # One SMTP connection for the whole run, opened on the first e-mail.
    connection = get_connection(fail_silently=False)
    try:
        for reminder in reminders:
            c, s, f = _deliver_one(reminder, now, connection)
            created, sent, failed = created + c, sent + s, failed + f
    finally:
        connection.close()
    return Delivery(created, sent, failed)


def _deliver_one(
    reminder: Reminder, now: datetime, connection: BaseEmailBackend
) -> tuple[int, int, int]:
    created = sent = failed = 0
    link = link_for(reminder)
    for user in recipients(reminder):
        try:
            with transaction.atomic():
                note, new = Notification.objects.get_or_create(
                    user=user,
                    key=reminder.key,
                    defaults={
                        "kind": reminder.kind.value,
                        "subject": reminder.subject[:200],
                        "detail": reminder.detail,
                        "link": link,
                        "created_at": now,
                        "email_due": wants_email(user, reminder.kind),
                    },
                )
        except IntegrityError:  # another worker delivered it at the same moment
            continue
        created += int(new)
        if not note.email_due or note.emailed_at is not None:
            continue  # no e-mail wanted, or sent already (a failed one is retried)
        try:
            _email(connection, user, reminder, link)
        except OSError as exc:
            failed += 1
            log.warning("e-mail of notification %s failed: %s", note.pk, type(exc).__name__)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=now)
        sent += 1
    return created, sent, failed
