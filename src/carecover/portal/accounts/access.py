"""Role checks for views: signed in, then the right role, else 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from carecover.portal.accounts.models import Role, User

View = Callable[..., HttpResponse]


def portal_user(request: HttpRequest) -> User:
    """The signed-in user (views are wrapped in ``login_required`` first)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def requiring(test: Callable[[User], bool]) -> Callable[[View], View]:
    """A decorator: anonymous users go to the login page, users failing ``test`` get 403."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not test(portal_user(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


#: Signed in as an MCO administrator: manages accounts.
mco_admin_only = requiring(lambda user: user.role == Role.MCO_ADMIN)
