"""Audit events: written once, never changed or deleted.

Every create, change, submit, review, export and view of a member's
identifying data is recorded (issue 3, "Audit"). The model refuses updates
and deletes, one at a time and in bulk; the actor is kept by id and user name
so deleting a user cannot rewrite history.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from carecover.errors import RuleError


class Action(models.TextChoices):
    """What happened."""

    CREATE = "create"
    CHANGE = "change"
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    EXPORT = "export"
    VIEW_IDENTITY = "view_identity"
    REVOKE = "revoke"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk updates and deletes."""

    def update(self, **kwargs: Any) -> int:
        """Audit events are never changed."""
        raise RuleError("audit events are append-only: they cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Audit events are never deleted."""
        raise RuleError("audit events are append-only: they cannot be deleted")


class AuditEvent(models.Model):
    """One recorded action."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150)
    organisation_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    #: Through what: ``web`` (a page), ``api-session`` or ``api-token <prefix>``.
    #: Nullable so adding it kept the table (and its append-only triggers) as is.
    via = models.CharField(max_length=40, null=True)

    objects: ClassVar[models.Manager[AuditEvent]] = models.Manager.from_queryset(
        AppendOnlyQuerySet
    )()

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: saving an event that exists is refused."""
        if self.pk is not None:
            raise RuleError("audit events are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: audit events are never deleted."""
        raise RuleError("audit events are append-only: they cannot be deleted")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_id}"
