"""Service accounts: one organisation's integration (scheduling or EVV vendor) as a user.

A vendor that files for an organisation uses a token of the organisation's
service account, never a person's: the audit log then names the integration
(user names start ``svc-``), and no person's rights leak to a vendor. The
organisation's own manager creates it (a provider manager, an EOR, or the
MCO's administrator for the MCO); it has the organisation's filing role (the
MCO's: analyst, read-only), no password, and cannot sign in.
"""

from __future__ import annotations

import re

from django.db import transaction

from carecover.errors import RuleError
from carecover.portal.accounts.models import OrganisationKind, Role, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record

__all__ = ["SERVICE_PREFIX", "create_service_account"]

#: Every service account's user name starts with this; people's never do.
SERVICE_PREFIX = "svc-"
#: The role a service account gets in each kind of organisation.
_ROLES = {
    OrganisationKind.PROVIDER: Role.SUBMITTER,
    OrganisationKind.EOR: Role.EOR,
    OrganisationKind.MCO: Role.MCO_ANALYST,
}
_MANAGERS = frozenset({Role.MANAGER, Role.EOR, Role.MCO_ADMIN})


def create_service_account(actor: User, name: str) -> User:
    """A service account ``svc-<organisation>-<name>`` in ``actor``'s organisation."""
    org = actor.organisation
    if actor.role not in _MANAGERS or org is None:
        raise RuleError("only an organisation's manager creates its service accounts")
    role = _ROLES.get(OrganisationKind(org.kind))
    if role is None:
        raise RuleError("this organisation has no use of the API")
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")[:40]
    if not slug:
        raise RuleError("give the service account a name, e.g. the vendor that will use it")
    username = f"{SERVICE_PREFIX}{org.code.lower()}-{slug}"[:150]
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise RuleError(f"the service account {username} exists already")
        user = User.objects.create_user(
            username, password=None, organisation=org, role=role, is_service_account=True
        )
        record(
            actor,
            Action.CREATE,
            object_type="user",
            object_id=str(user.pk),
            after={"username": username, "organisation": org.pk, "role": role, "service": True},
        )
    return user
