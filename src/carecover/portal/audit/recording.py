"""Write audit events from views: one call per action."""

from __future__ import annotations

from typing import Any

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action, AuditEvent


def record(
    actor: User,
    action: Action,
    *,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: ``actor`` did ``action`` to the object, from ``before`` to ``after``."""
    return AuditEvent.objects.create(
        actor_id=actor.pk,
        actor_username=actor.get_username(),
        organisation_id=actor.organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )
