"""``python -m carecover.portal create_mco_admin USERNAME``: the first MCO administrator.

Every other account is created by an MCO administrator in the portal; this
command bootstraps the first one (and the MCO organisation if missing). The
password comes from ``CARECOVER_ADMIN_PASSWORD`` or is asked for twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecover.portal.accounts.management.passwords import new_password
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User


class Command(BaseCommand):
    """Create the MCO organisation (if needed) and an MCO administrator in it."""

    help = "Create the first MCO administrator (password from CARECOVER_ADMIN_PASSWORD or asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        """USERNAME, --mco-name, --mco-code."""
        parser.add_argument("username")
        parser.add_argument("--mco-name", default="MCO", help="The MCO's name.")
        parser.add_argument("--mco-code", default="MCO", help="The MCO's organisation code.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the account, or fail with one line."""
        username: str = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"the user name {username!r} is taken")
        password = new_password("CARECOVER_ADMIN_PASSWORD", username)
        mco, _ = Organisation.objects.get_or_create(
            code=options["mco_code"],
            defaults={"name": options["mco_name"], "kind": OrganisationKind.MCO},
        )
        if mco.kind != OrganisationKind.MCO:
            raise CommandError(f"the organisation {mco.code} is not an MCO")
        User.objects.create_user(username, password=password, organisation=mco, role=Role.MCO_ADMIN)
        self.stdout.write(f"MCO administrator {username} created in {mco.name}.")
