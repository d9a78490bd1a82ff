"""``/accounts/...``."""

from __future__ import annotations

from django.urls import path

import carecover.portal.converters  # noqa: F401  (registers <id:> and <ccn:>)
from carecover.portal.accounts.tokenviews import token_revoke, tokens
from carecover.portal.accounts.views import PortalLoginView, PortalLogoutView, accounts

app_name = "accounts"
urlpatterns = [
    path("login/", PortalLoginView.as_view(), name="login"),
    path("logout/", PortalLogoutView.as_view(), name="logout"),
    path("", accounts, name="accounts"),
    path("tokens/", tokens, name="tokens"),
    path("tokens/<id:token_id>/revoke/", token_revoke, name="token_revoke"),
]
