"""The password of an account created from the command line."""

from __future__ import annotations

import os
from getpass import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from carecover.portal.accounts.models import User


def new_password(variable: str, username: str) -> str:
    """The password in ``variable``, else asked twice; CommandError if weak or mistyped."""
    password = os.environ.get(variable) or getpass("Password: ")
    if not os.environ.get(variable) and getpass("Again: ") != password:
        raise CommandError("the passwords differ")
    try:
        password_validation.validate_password(password, User(username=username))
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None
    return password
