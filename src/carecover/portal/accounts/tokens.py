"""API tokens: issued once in clear, stored as a SHA-256 digest, revocable.

A token is ``cc_`` followed by 43 URL-safe characters (256 random bits), so
a plain SHA-256 digest is enough: nothing to brute-force, and the digest
does not depend on the secret key (rotating the key keeps tokens valid).
Issuing and revoking are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction

from carecover.errors import RuleError
from carecover.portal.accounts.models import ApiToken, Role, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record

__all__ = ["TOKEN_PREFIX", "digest", "issue_token", "may_manage", "revoke", "user_for_token"]

TOKEN_PREFIX = "cc_"  # noqa: S105 (a marker, not a secret)
#: ``last_used_at`` is written at most this often per token: one UPDATE per
#: minute instead of one per request under a vendor's batch load.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(raw: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def may_manage(actor: User, owner: User) -> bool:
    """Users manage their own tokens; MCO administrators manage everyone's."""
    return actor.pk == owner.pk or actor.role == Role.MCO_ADMIN


def issue_token(owner: User, *, name: str, by: User) -> tuple[ApiToken, str]:
    """A new token for ``owner``: the stored row and the clear token, shown once."""
    if not may_manage(by, owner):
        raise RuleError("only the user or an MCO administrator can create this user's tokens")
    if not (owner.is_mco or owner.files_reports) or not owner.is_active:
        raise RuleError("this account has no role that can use the API")
    name = name.strip()
    if not name:
        raise RuleError("give the token a name, e.g. the vendor that will use it")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner, name=name[:100], prefix=raw[:10], digest=digest(raw), created_by=by
        )
        record(
            by,
            Action.CREATE,
            object_type="api_token",
            object_id=str(token.pk),
            after={"user": owner.pk, "name": token.name, "prefix": token.prefix},
        )
    return token, raw


def revoke(token: ApiToken, *, by: User, now: datetime) -> ApiToken:
    """Make ``token`` unusable from now on (revoking twice changes nothing)."""
    if not may_manage(by, token.user):
        raise RuleError("only the user or an MCO administrator can revoke this token")
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        token.revoked_at = now
        record(
            by,
            Action.REVOKE,
            object_type="api_token",
            object_id=str(token.pk),
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat()},
        )
    return token


def user_for_token(raw: str, *, now: datetime) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, noting when it was used; else ``None``."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
