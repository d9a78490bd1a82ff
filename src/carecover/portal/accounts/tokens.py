"""API tokens: issued once in clear, stored as a SHA-256 digest, revocable, expiring.

A token is ``cc_`` followed by 43 URL-safe characters (256 random bits), so
a plain SHA-256 digest is enough: nothing to brute-force, and the digest
does not depend on the secret key (rotating the key keeps tokens valid).
Issuing and revoking are audited.

A token belongs to its owner only: users create tokens for themselves, and
an organisation's manager for that organisation's service accounts
(``service_accounts``). Nobody, not even an MCO administrator, creates a token
that acts as another person: a token acts with its owner's rights, so that
would let one user file as another. MCO administrators still see and revoke
every token. Each token has a scope (``read``, or ``file``: read and file)
and expires (``DEFAULT_LIFETIME`` after creation, at most ``MAX_LIFETIME``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from carecover.errors import RuleError
from carecover.portal.accounts.models import ApiToken, Role, TokenScope, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record

__all__ = [
    "DEFAULT_LIFETIME",
    "MAX_LIFETIME",
    "TOKEN_PREFIX",
    "digest",
    "issue_token",
    "may_issue",
    "may_manage",
    "revoke",
    "user_for_token",
]

TOKEN_PREFIX = "cc_"  # noqa: S105 (a marker, not a secret)
#: ``last_used_at`` is written at most this often per token: one UPDATE per
#: minute instead of one per request under a vendor's batch load.
LAST_USED_RESOLUTION = timedelta(minutes=1)
#: How long a token lives unless its creator chooses less.
DEFAULT_LIFETIME = timedelta(days=90)
#: The longest a token may live: a forgotten token stops working within a year.
MAX_LIFETIME = timedelta(days=365)
#: Roles that create and manage their organisation's service accounts.
SERVICE_ACCOUNT_MANAGERS = frozenset({Role.MANAGER, Role.EOR, Role.MCO_ADMIN})


def digest(raw: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def may_issue(actor: User, owner: User) -> bool:
    """A token for ``owner`` may be created by ``owner`` themselves, or, for a service
    account, by a manager of the service account's organisation."""
    if actor.pk == owner.pk:
        return not owner.is_service_account
    return (
        owner.is_service_account
        and actor.role in SERVICE_ACCOUNT_MANAGERS
        and actor.organisation_id is not None
        and actor.organisation_id == owner.organisation_id
    )


def may_manage(actor: User, owner: User) -> bool:
    """Who may see and revoke ``owner``'s tokens: whoever may issue them, and MCO administrators."""
    return may_issue(actor, owner) or actor.role == Role.MCO_ADMIN


def issue_token(
    owner: User,
    *,
    name: str,
    by: User,
    now: datetime | None = None,
    scope: TokenScope = TokenScope.READ,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> tuple[ApiToken, str]:
    """A new token for ``owner``: the stored row and the clear token, shown once."""
    if not may_issue(by, owner):
        raise RuleError(
            "a token can only be created by its own user (or a service account's manager)"
        )
    if not (owner.is_mco or owner.files_reports) or not owner.is_active:
        raise RuleError("this account has no role that can use the API")
    name = name.strip()
    if not name:
        raise RuleError("give the token a name, e.g. the vendor that will use it")
    if not timedelta(days=1) <= lifetime <= MAX_LIFETIME:
        raise RuleError(f"a token lives from 1 to {MAX_LIFETIME.days} days")
    scope = TokenScope(scope)
    now = now or timezone.now()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            name=name[:100],
            prefix=raw[:10],
            digest=digest(raw),
            created_by=by,
            scope=scope,
            expires_at=now + lifetime,
        )
        record(
            by,
            Action.CREATE,
            object_type="api_token",
            object_id=str(token.pk),
            after={
                "user": owner.pk,
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "expires_at": token.expires_at.isoformat(),
            },
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
    """The active user a live (unrevoked, unexpired) token belongs to, noting its use; else None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(
            digest=digest(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
