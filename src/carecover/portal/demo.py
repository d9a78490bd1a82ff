"""Fill a portal database with the synthetic demo world of ``carecover.backup.synth``.

One organisation per synthetic provider (agencies get a site), the MCO, users
for every role, the members and all reports with their current version.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from carecover.backup.ids import parse_report_id
from carecover.backup.report import ReporterKind
from carecover.backup.synth import synth_backup_data
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, Site, User
from carecover.portal.incidents.conversion import apply, snapshot
from carecover.portal.incidents.models import Member, Report, ReportIdCounter, ReportVersion

__all__ = ["DemoLogin", "load_demo"]

#: How far back the demo's incidents go.
DEMO_DAYS = 90


@dataclass(frozen=True)
class DemoLogin:
    """A user the demo created, with the password to show on start-up."""

    username: str
    password: str
    role: str
    organisation: str


def _org_users(org: Organisation, roles: list[Role], hashed: str) -> list[User]:
    users = []
    for role in roles:
        name = f"{org.code.lower()}-{role.value.replace('_', '-')}"
        if role in (Role.MCO_ANALYST, Role.MCO_ADMIN):
            name = role.value.replace("_", "-")
        users.append(User(username=name, password=hashed, organisation=org, role=role))
    return User.objects.bulk_create(users)


def load_demo(*, today: date, password: str | None = None, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo organisations, users, members and reports; return the logins.

    All demo users share one password (random unless given), hashed once.
    """
    password = password or secrets.token_urlsafe(12)
    hashed = make_password(password)
    data = synth_backup_data(
        first=today - timedelta(days=DEMO_DAYS), last=today, members=80, seed=seed
    )
    with transaction.atomic():
        mco = Organisation.objects.create(name="Demo MCO", kind=OrganisationKind.MCO, code="MCO")
        users = _org_users(mco, [Role.MCO_ANALYST, Role.MCO_ADMIN], hashed)
        orgs: dict[str, Organisation] = {}
        filer: dict[str, User] = {}
        for provider in data.providers:
            agency = provider.reporter_kind is ReporterKind.PROVIDER
            org = Organisation.objects.create(
                name=provider.provider_name,
                kind=OrganisationKind.PROVIDER if agency else OrganisationKind.EOR,
                code=provider.provider_id,
                contact_name="Jordan Reyes",
                contact_phone="919-555-0142",
                contact_email=f"quality@{provider.provider_id.lower()}.example",
            )
            if agency:
                Site.objects.create(organisation=org, code="MAIN", name="Main office")
            roles = [Role.SUBMITTER, Role.MANAGER] if agency else [Role.EOR]
            made = _org_users(org, roles, hashed)
            orgs[provider.provider_id], filer[provider.provider_id] = org, made[0]
            users.extend(made)
        members = {
            m.medicaid_id: Member.objects.create(
                first_name=m.first_name,
                last_name=m.last_name,
                date_of_birth=m.date_of_birth,
                medicaid_id=m.medicaid_id,
                ssn_last4=m.ssn_last4,
            )
            for m in data.members
        }
        last_numbers: dict[int, int] = {}
        for report in data.reports:
            if report.submitted_at is not None:
                # The synthetic times are wall-clock times at the MCO.
                report = replace(report, submitted_at=timezone.make_aware(report.submitted_at))
            row = Report(
                organisation=orgs[report.provider_id],
                member=members[report.member.medicaid_id],
                created_by=filer[report.provider_id],
            )
            apply(row, report)
            row.save()
            row.member.organisations.add(row.organisation)
            ReportVersion.objects.create(
                report=row,
                version=report.version,
                status=report.status.value,
                snapshot=snapshot(report),
                recorded_by=row.created_by,
            )
            year, number = parse_report_id(report.report_id)
            last_numbers[year] = max(number, last_numbers.get(year, 0))
        for year, number in last_numbers.items():
            # New drafts continue after the demo's ids: an id is never reused.
            ReportIdCounter.objects.update_or_create(year=year, defaults={"last_number": number})
    names = {org.pk: org.name for org in Organisation.objects.all()}
    return [
        DemoLogin(u.username, password, u.get_role_display(), names[u.organisation_id or 0])
        for u in users
    ]
