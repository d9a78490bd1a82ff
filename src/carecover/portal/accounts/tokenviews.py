"""``/accounts/tokens/``: create (shown once) and revoke API tokens.

Every signed-in user with a role manages their own tokens, and a manager
also those of their organisation's service accounts (``service_accounts``);
an MCO administrator sees and may revoke everyone's, but creates tokens only
for themselves: a token acts as its owner. A new token is shown in the
response to the POST that created it and never again (the page is
``Cache-Control: no-store``).
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carecover.errors import RuleError
from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import ApiToken, Role, TokenScope, User
from carecover.portal.accounts.service_accounts import create_service_account
from carecover.portal.accounts.tokens import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME,
    SERVICE_ACCOUNT_MANAGERS,
    issue_token,
    may_manage,
    revoke,
)

#: Signed in with any portal role (MCO, provider or EOR).
_with_role = requiring(lambda user: user.is_mco or user.files_reports)


def service_accounts_of(actor: User) -> QuerySet[User]:
    """The service accounts whose tokens ``actor`` may create: a manager's organisation's."""
    if actor.role not in SERVICE_ACCOUNT_MANAGERS or actor.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_service_account=True, organisation_id=actor.organisation_id, is_active=True
    ).order_by("username")


class TokenForm(forms.Form):
    """A token's name, scope and lifetime, and, for a manager, which service account holds it."""

    name = forms.CharField(
        max_length=100, help_text="What uses it, e.g. the scheduling or EVV vendor."
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="Read: list and fetch only. Read and file: also create, change and submit.",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_LIFETIME.days,
        initial=DEFAULT_LIFETIME.days,
        label="Expires after (days)",
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Service account",
        help_text="Leave empty for your own token.",
    )

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        services = service_accounts_of(actor)
        if services.exists():
            self.fields["owner"].queryset = services  # type: ignore[attr-defined]
        else:
            del self.fields["owner"]


def _visible_tokens(actor: User) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    if actor.role == Role.MCO_ADMIN:
        return tokens
    return tokens.filter(Q(user=actor) | Q(user__in=service_accounts_of(actor)))


@never_cache
@_with_role
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens (a manager: also their service accounts'; an administrator: all)."""
    actor = portal_user(request)
    form = TokenForm(request.POST or None, actor=actor)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data.get("owner") or actor
        try:
            token, created = issue_token(
                owner,
                name=data["name"],
                by=actor,
                now=timezone.now(),
                scope=TokenScope(data["scope"]),
                lifetime=timedelta(days=data["days"]),
            )
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm(actor=actor)
            messages.success(request, f"Token {token.prefix}… created for {owner.username}.")
    context = {
        "form": form,
        "tokens": _visible_tokens(actor),
        "created": created,
        "now": timezone.now(),
        "manages_services": actor.role in SERVICE_ACCOUNT_MANAGERS,
        "service_accounts": service_accounts_of(actor),
    }
    return render(request, "accounts/tokens.html", context)


@_with_role
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke a token the user may manage (anyone else's is a 404)."""
    actor = portal_user(request)
    token = get_object_or_404(_visible_tokens(actor), pk=token_id)
    if not may_manage(actor, token.user):
        raise Http404
    revoke(token, by=actor, now=timezone.now())
    messages.success(request, f"Token {token.prefix}… revoked.")
    return redirect("accounts:tokens")


@_with_role
@require_POST
def service_account_new(request: HttpRequest) -> HttpResponse:
    """A manager creates a service account for an integration; then a token for it."""
    actor = portal_user(request)
    try:
        account = create_service_account(actor, request.POST.get("name", "")[:100])
    except RuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Service account {account.username} created: create its token below."
        )
    return redirect("accounts:tokens")
