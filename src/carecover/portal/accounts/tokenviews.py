"""``/accounts/tokens/``: create (shown once) and revoke API tokens.

Every signed-in user with a role manages their own tokens; an MCO
administrator also sees everyone's and may create or revoke them for any
user. A new token is shown in the response to the POST that created it and
never again (the page is ``Cache-Control: no-store``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carecover.errors import RuleError
from carecover.portal.accounts.access import portal_user, requiring
from carecover.portal.accounts.models import ApiToken, Role, User
from carecover.portal.accounts.tokens import issue_token, may_manage, revoke

#: Signed in with any portal role (MCO, provider or EOR).
_with_role = requiring(lambda user: user.is_mco or user.files_reports)


class TokenForm(forms.Form):
    """A token's name and, for MCO administrators, whose it is."""

    name = forms.CharField(
        max_length=100, help_text="What uses it, e.g. the scheduling or EVV vendor."
    )
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if actor.role == Role.MCO_ADMIN:
            field = self.fields["user"]
            field.queryset = User.objects.exclude(role="").order_by("username")  # type: ignore[attr-defined]
            field.help_text = "Leave empty for your own token."
        else:
            del self.fields["user"]


def _visible_tokens(actor: User) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return tokens if actor.role == Role.MCO_ADMIN else tokens.filter(user=actor)


@never_cache
@_with_role
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens (an administrator: all), and a form to create one."""
    actor = portal_user(request)
    form = TokenForm(request.POST or None, actor=actor)
    created = None
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.get("user") or actor
        try:
            token, created = issue_token(owner, name=form.cleaned_data["name"], by=actor)
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm(actor=actor)
            messages.success(request, f"Token {token.prefix}… created for {owner.username}.")
    context = {"form": form, "tokens": _visible_tokens(actor), "created": created}
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
