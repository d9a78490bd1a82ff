"""``python -m carecover.portal add_analyst USERNAME``: a staffing analyst (public files only).

The analyst workspace shows CMS's public files, no organisation's data, so
an analyst belongs to no organisation. The password comes from
``CARECOVER_USER_PASSWORD`` or is asked for twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecover.portal.accounts.management.passwords import new_password
from carecover.portal.accounts.models import Role, User


class Command(BaseCommand):
    """Create a user with the ``analyst`` role."""

    help = "Create a staffing analyst (password from CARECOVER_USER_PASSWORD or asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        """USERNAME."""
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the account, or fail with one line."""
        username: str = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"the user name {username!r} is taken")
        password = new_password("CARECOVER_USER_PASSWORD", username)
        User.objects.create_user(username, password=password, role=Role.ANALYST)
        self.stdout.write(f"{Role.ANALYST.label} {username} created.")
