"""Sign in, sign out, and account management by MCO administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from carecover.portal.accounts.access import mco_admin_only, portal_user
from carecover.portal.accounts.forms import AccountForm, LoginForm
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record


class PortalLoginView(LoginView):
    """``/accounts/login/``."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PortalLogoutView(LogoutView):
    """``/accounts/logout/`` (POST only, as Django requires)."""


@mco_admin_only
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> HttpResponse:
    """Every account, and a form to create one (passwords hashed with argon2)."""
    admin = portal_user(request)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.create_user(
            data["username"],
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=data["organisation"],
            role=data["role"],
        )
        record(
            admin,
            Action.CREATE,
            object_type="user",
            object_id=str(user.pk),
            after={
                "username": user.username,
                "organisation": user.organisation_id,
                "role": user.role,
            },
        )
        messages.success(request, f"Account {user.username} created.")
        return redirect("accounts:accounts")
    users = User.objects.select_related("organisation").order_by("organisation__name", "username")
    return render(request, "accounts/accounts.html", {"form": form, "users": users})
