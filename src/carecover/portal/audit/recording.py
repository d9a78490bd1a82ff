"""Write audit events from views and API endpoints: one call per action.

The channel (``via``) comes from the actor object itself: the API's
authentication marks the ``User`` it hands to the endpoint
(``mark_via``), so the domain-facing code (``incidents.filing``) records
API actions without knowing about the API, and nothing leaks between
requests the way a global or thread-local could.
"""

from __future__ import annotations

from typing import Any

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action, AuditEvent

__all__ = ["WEB", "mark_via", "record", "via_of"]

#: The channel of a signed-in page.
WEB = "web"
_ATTRIBUTE = "_audit_via"


def mark_via(user: User, channel: str) -> User:
    """Tag ``user`` (this request's object only) with the channel its actions come through."""
    setattr(user, _ATTRIBUTE, channel[:40])
    return user


def via_of(user: User) -> str:
    """The channel ``user`` acts through: ``web`` unless the API marked it."""
    channel: str = getattr(user, _ATTRIBUTE, WEB)
    return channel


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
        via=via_of(actor),
    )
