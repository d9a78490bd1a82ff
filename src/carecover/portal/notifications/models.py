"""Notifications as delivered to each user, and each user's e-mail choices."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from carecover.backup.reminders import LABELS, ReminderKind
from carecover.portal.accounts.models import User


class Notification(models.Model):
    """One reminder for one user; ``key`` makes it be delivered once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    #: A ``ReminderKind`` (no choices here: labels are the domain's, not a migration's).
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    #: A path inside the portal (never a member's identity: see ``reminders``).
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    #: The user wanted an e-mail of this kind when it was delivered; sent when ``emailed_at``.
    email_due = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_fact")
        ]
        indexes: ClassVar = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"notification {self.pk}"

    @property
    def label(self) -> str:
        """The kind in plain words."""
        try:
            return LABELS[ReminderKind(self.kind)]
        except ValueError:
            return self.kind


class EmailChoice(models.Model):
    """Whether one user wants e-mails of one kind (no row: yes, the default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_choices")
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_email_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"email choice {self.pk}"
