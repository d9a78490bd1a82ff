"""Who uses the portal: organisations, their sites, and users with one role each.

Provider and EOR users see only their own organisation's members and reports;
MCO users see all (issue 3, "Who can do what").
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrganisationKind(models.TextChoices):
    """Provider agency, Employer of Record, or the MCO."""

    PROVIDER = "provider", "Provider agency"
    EOR = "eor", "Employer of Record"
    MCO = "mco", "MCO"
    #: A nursing-home operator: one or more facilities (issue 6, §5).
    FACILITY = "facility", "Nursing home"
    #: A nursing-home chain: its corporate users see every facility of the chain.
    CHAIN = "chain", "Nursing-home chain"


class Role(models.TextChoices):
    """What a user may do."""

    SUBMITTER = "submitter", "Provider submitter"
    MANAGER = "manager", "Provider manager"
    EOR = "eor", "Employer of Record"
    MCO_ANALYST = "mco_analyst", "MCO analyst"
    MCO_ADMIN = "mco_admin", "MCO administrator"
    NH_ADMINISTRATOR = "nh_administrator", "Nursing-home administrator"
    DON = "don", "Director of nursing"
    MDS_COORDINATOR = "mds_coordinator", "MDS coordinator"
    CORPORATE = "corporate", "Chain (corporate) user"
    #: The analyst workspace over CMS's public files (issue 16 §3): no organisation's data.
    ANALYST = "analyst", "Staffing analyst (public files)"


#: Roles that file reports for their own organisation.
FILING_ROLES = frozenset({Role.SUBMITTER, Role.MANAGER, Role.EOR})
#: Roles that see every organisation and review reports.
MCO_ROLES = frozenset({Role.MCO_ANALYST, Role.MCO_ADMIN})
#: Roles of the nursing-home workspace: facility staff and chain (corporate) users.
NURSING_HOME_ROLES = frozenset(
    {Role.NH_ADMINISTRATOR, Role.DON, Role.MDS_COORDINATOR, Role.CORPORATE}
)


class Organisation(models.Model):
    """A provider agency, an Employer of Record or the MCO."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices)
    #: The provider (or EOR) number with the MCO: ``provider_id`` on reports.
    code = models.CharField(max_length=40, unique=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    #: The first day it reports to the MCO (its contract start): periods ending
    #: before it are not due from it. Empty: due from the requirement's start.
    reporting_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Site(models.Model):
    """An office of a provider agency."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_site_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A person who signs in; belongs to one organisation with one role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    #: A service account: an integration (scheduling or EVV vendor) of one
    #: organisation, created by its manager; it never signs in, it only holds
    #: tokens. Its user name starts with ``svc-`` so the audit log names it.
    is_service_account = models.BooleanField(default=False)

    @property
    def is_mco(self) -> bool:
        """An MCO analyst or administrator: sees every organisation."""
        return self.role in MCO_ROLES

    @property
    def files_reports(self) -> bool:
        """A provider submitter or manager, or an Employer of Record."""
        return self.role in FILING_ROLES and self.organisation_id is not None

    @property
    def works_in_nursing_homes(self) -> bool:
        """A facility administrator, DON, MDS coordinator or chain user."""
        return self.role in NURSING_HOME_ROLES and self.organisation_id is not None

    @property
    def is_public_analyst(self) -> bool:
        """A staffing analyst: the analyst workspace over the public files, nothing else."""
        return self.role == Role.ANALYST


class TokenScope(models.TextChoices):
    """What a token may do: read only, or read and file (create, change, submit, attest)."""

    READ = "read", "Read"
    FILE = "file", "Read and file"


class ApiToken(models.Model):
    """A per-user API token for scheduling and EVV vendors.

    Only a SHA-256 digest is stored: the token itself is shown once, when it
    is created (``accounts.tokens``). A revoked or expired token stays listed,
    unusable. A ``read`` token may only read (GET); filing needs ``file``.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    #: The token's first characters, shown to tell tokens apart; not a secret.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    #: After this the token no longer authenticates (default: 90 days after creation).
    expires_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        """Not revoked (it may still have expired: ``is_live``)."""
        return self.revoked_at is None

    def is_live(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at
