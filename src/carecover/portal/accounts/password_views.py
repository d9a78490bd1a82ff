"""Passwords: users change their own; an MCO administrator issues a one-time reset link.

Every path that sets a password runs Django's validators (settings
``AUTH_PASSWORD_VALIDATORS``: at least 12 characters, not a common password,
not like the user's name or e-mail, not only digits): this page, the reset
page, the account form and the management commands.

A reset never shows or e-mails a password: the administrator gets a link
(``/accounts/reset/<uid>/<token>/``) to hand to the user, who chooses the new
password there. The link works once (its token is built from the password
hash, so setting a password ends it) and expires after
``PASSWORD_RESET_TIMEOUT``. Issuing and using it are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carecover.portal.accounts.access import mco_admin_only, portal_user, requiring
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record

__all__ = ["PortalResetConfirmView", "password_change", "password_reset_link"]

_signed_in = requiring(lambda user: True)


def _record_password_set(actor: User, user: User, how: str) -> None:
    # The event says that and how the password changed, never the password.
    record(
        actor,
        Action.CHANGE,
        object_type="user",
        object_id=str(user.pk),
        after={"password": how},
    )


@never_cache
@_signed_in
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """``/accounts/password/``: the old password, and the new one twice (validated)."""
    user = portal_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Keep this session signed in; the user's other sessions end.
        update_session_auth_hash(request, user)
        _record_password_set(user, user, "changed by the user")
        messages.success(request, "Your password was changed.")
        return redirect("accounts:password_change")
    status = 400 if form.errors else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@never_cache
@mco_admin_only
@require_POST
def password_reset_link(request: HttpRequest, user_id: int) -> HttpResponse:
    """An MCO administrator's one-time link for ``user_id`` to choose a new password."""
    admin = portal_user(request)
    user = get_object_or_404(User.objects.filter(is_service_account=False), pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    record(
        admin,
        Action.CHANGE,
        object_type="user",
        object_id=str(user.pk),
        after={"password_reset_link": "issued"},
    )
    context = {"target": user, "link": request.build_absolute_uri(path)}
    return render(request, "accounts/password_reset_link.html", context)


class PortalResetConfirmView(PasswordResetConfirmView):
    """``/accounts/reset/<uid>/<token>/``: the user chooses a new password (validated)."""

    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = False

    def get_success_url(self) -> str:
        """Back to the login page, with a message."""
        return reverse("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        """Set the password, record it, and send the user to sign in."""
        response = super().form_valid(form)
        user: User = form.user
        _record_password_set(user, user, "set with a reset link")
        messages.success(self.request, "Your password was set: sign in with it.")
        return response
