"""``/accounts/...``."""

from __future__ import annotations

from django.urls import path

from carecover.portal.accounts.views import PortalLoginView, PortalLogoutView, accounts

app_name = "accounts"
urlpatterns = [
    path("login/", PortalLoginView.as_view(), name="login"),
    path("logout/", PortalLogoutView.as_view(), name="logout"),
    path("", accounts, name="accounts"),
]
