"""API authentication (tokens, or the browser session with CSRF) and token routes.

A vendor sends ``Authorization: Bearer cc_...``; such requests need no CSRF
token (no cookie is involved). A signed-in browser may call the API with
its session cookie too, and then Django's CSRF check applies to every
unsafe method (ninja's ``SessionAuth``). Either way the ``User`` handed to
the endpoint is marked with the channel for the audit trail. A token's scope
is enforced here, for every endpoint at once: a ``read`` token may only GET.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from carecover.portal.accounts.models import ApiToken, TokenScope, User
from carecover.portal.accounts.tokens import revoke, user_for_token
from carecover.portal.apierrors import ERRORS
from carecover.portal.audit.recording import mark_via
from carecover.portal.converters import ROW_ID_MAX

__all__ = ["READ_METHODS", "PortalSessionAuth", "TokenAuth", "api_user", "router"]

#: What a ``read`` token may do.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a live token of an active user, within its scope."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """The token's user, marked ``api-token <prefix>``; ``None`` answers 401."""
        found = user_for_token(token.strip(), now=timezone.now())
        if found is None:
            return None
        user, api_token = found
        if api_token.scope != TokenScope.FILE and request.method not in READ_METHODS:
            # Every endpoint that changes anything is a POST or PUT: one check covers them all.
            raise HttpError(403, "this token may only read: filing needs a read-and-file token")
        return mark_via(user, f"api-token {api_token.prefix}")


class PortalSessionAuth(SessionAuth):
    """The browser session (CSRF-checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        """The signed-in user, marked ``api-session``."""
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            return mark_via(user, "api-session")
        return None


def api_user(request: HttpRequest) -> User:
    """The authenticated user of an API request, who must hold a portal role (else 403)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User) or not (user.is_mco or user.files_reports):
        raise HttpError(403, "this account has no role that can use the API")
    return user


class MeOut(Schema):
    """Who the token (or session) belongs to."""

    username: str
    role: str
    organisation_code: str | None
    organisation_name: str | None


class TokenOut(Schema):
    """A token's public facts; never the token itself."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    scope: str
    expires_at: datetime


router = Router(tags=["account"])


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    """The account the request is authenticated as."""
    user = api_user(request)
    org = user.organisation
    return MeOut(
        username=user.get_username(),
        role=user.role,
        organisation_code=org.code if org else None,
        organisation_name=org.name if org else None,
    )


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        scope=token.scope,
        expires_at=token.expires_at,
    )


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="My API tokens")
def my_tokens(request: HttpRequest) -> list[TokenOut]:
    """The caller's own tokens (create them on the ``/accounts/tokens/`` page)."""
    user = api_user(request)
    return [_token_out(t) for t in ApiToken.objects.filter(user=user)]


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERRORS},
    summary="Revoke one of my tokens",
)
def revoke_token(request: HttpRequest, token_id: int) -> TokenOut:
    """Revoke one of the caller's own tokens (another user's token is a 404)."""
    user = api_user(request)
    if not 1 <= token_id <= ROW_ID_MAX:
        raise Http404  # beyond a database integer: no such token (not an OverflowError)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id, user=user)
    return _token_out(revoke(token, by=user, now=timezone.now()))
