"""``python -m carecover.portal add_nursing_home_user USERNAME --organisation CODE --role ROLE``.

An administrator, DON or MDS coordinator of an operator (sees its
facilities), or a corporate user of a chain (sees the chain's facilities).
The password comes from ``CARECOVER_USER_PASSWORD`` or is asked for twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecover.portal.accounts.forms import ROLES_BY_KIND
from carecover.portal.accounts.management.passwords import new_password
from carecover.portal.accounts.models import (
    NURSING_HOME_ROLES,
    Organisation,
    OrganisationKind,
    Role,
    User,
)


class Command(BaseCommand):
    """Create a nursing-home user in an operator or chain organisation."""

    help = "Create a nursing-home user (password from CARECOVER_USER_PASSWORD or asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        """USERNAME, --organisation, --role."""
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Operator or chain code.")
        parser.add_argument(
            "--role", required=True, choices=sorted(r.value for r in NURSING_HOME_ROLES)
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the account, or fail with one line."""
        username: str = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"the user name {username!r} is taken")
        org = Organisation.objects.filter(code=options["organisation"]).first()
        if org is None:
            raise CommandError(f"no organisation with code {options['organisation']!r}")
        role = Role(options["role"])
        if role not in ROLES_BY_KIND[OrganisationKind(org.kind)]:
            raise CommandError(f"a {org.get_kind_display()} has no {role.label} role")
        password = new_password("CARECOVER_USER_PASSWORD", username)
        User.objects.create_user(username, password=password, organisation=org, role=role)
        self.stdout.write(f"{role.label} {username} created in {org.name}.")
