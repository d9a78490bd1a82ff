"""``/accounts/...``."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:> and <ccn:>)
from carecover.portal.accounts.password_views import (
    PortalResetConfirmView,
    password_change,
    password_reset_link,
)
from carecover.portal.accounts.tokenviews import service_account_new, token_revoke, tokens
from carecover.portal.accounts.views import PortalLoginView, PortalLogoutView, accounts

app_name = "accounts"
urlpatterns = [
    path("login/", PortalLoginView.as_view(), name="login"),
    path("logout/", PortalLogoutView.as_view(), name="logout"),
    path("", accounts, name="accounts"),
    path("password/", password_change, name="password_change"),
    path("<id:user_id>/reset-link/", password_reset_link, name="password_reset_link"),
    path(
        "reset/<uidb64>/<token>/",
        PortalResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("tokens/", tokens, name="tokens"),
    path("tokens/<id:token_id>/revoke/", token_revoke, name="token_revoke"),
    path("service-accounts/", service_account_new, name="service_account_new"),
]
