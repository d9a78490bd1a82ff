"""Fill a portal database with the synthetic demo world of ``carecover.backup.synth``.

One organisation per synthetic provider (agencies get a site), the MCO, users
for every role, about 200 members and six months of reports (drafts,
submissions, returns with the MCO's comment, late filings and missing periods)
with their current version, the attestations of no incidents, service breaks
in members' records, and plans of correction (requested, answered, closed).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from carecover.backup.classify import CauseCategory, causes
from carecover.backup.correction import Correction
from carecover.backup.ids import ReportIdIssuer, parse_report_id
from carecover.backup.report import BackupReport, ReporterKind, ReportStatus
from carecover.backup.synth import SynthProvider, synth_backup_data
from carecover.backup.validation import EOR_REASON_PREFIX
from carecover.errors import InputError, RuleError
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, Site, User
from carecover.portal.compliance import services
from carecover.portal.compliance.models import Attestation
from carecover.portal.incidents.conversion import apply, snapshot
from carecover.portal.incidents.ledger import DjangoIdLedger
from carecover.portal.incidents.models import (
    IncompleteDraft,
    Member,
    Report,
    ReportIdCounter,
    ReportVersion,
    ServiceBreak,
)
from carecover.portal.nursinghome.demo import load_nursing_home_demo

__all__ = ["DemoLogin", "load_demo"]

#: How far back the demo's incidents go (about six months).
DEMO_DAYS = 183
#: Members in the demo world.
DEMO_MEMBERS = 200
#: Service breaks logged per organisation.
BREAKS_PER_ORGANISATION = 8
#: Plans of correction requested per organisation (its oldest late or missing periods).
PLANS_PER_ORGANISATION = 2


@dataclass(frozen=True)
class DemoLogin:
    """A user the demo created, with the password to show on start-up."""

    username: str
    password: str
    role: str
    organisation: str


def provider_organisation(
    provider: SynthProvider, *, reporting_since: date | None = None
) -> Organisation:
    """Create a synthetic provider's organisation (and an agency's main site)."""
    agency = provider.reporter_kind is ReporterKind.PROVIDER
    org = Organisation.objects.create(
        name=provider.provider_name,
        kind=OrganisationKind.PROVIDER if agency else OrganisationKind.EOR,
        code=provider.provider_id,
        contact_name="Jordan Reyes",
        contact_phone="919-555-0142",
        contact_email=f"quality@{provider.provider_id.lower()}.example",
        reporting_since=reporting_since,
    )
    if agency:
        Site.objects.create(organisation=org, code="MAIN", name="Main office")
    return org


def _org_users(org: Organisation, roles: list[Role], hashed: str) -> list[User]:
    users = []
    for role in roles:
        name = f"{org.code.lower()}-{role.value.replace('_', '-')}"
        if role in (Role.MCO_ANALYST, Role.MCO_ADMIN):
            name = role.value.replace("_", "-")
        users.append(User(username=name, password=hashed, organisation=org, role=role))
    return User.objects.bulk_create(users)


def _service_breaks(
    orgs: dict[str, Organisation], filer: dict[str, User], today: date, rng: random.Random
) -> None:
    """A few service breaks per organisation, for members it serves (member-driven causes)."""
    kinds = [c.code for c in causes() if c.category is not CauseCategory.STAFF]
    breaks = []
    for code, org in orgs.items():
        members = list(org.members.order_by("pk")[:40])
        for _ in range(BREAKS_PER_ORGANISATION if members else 0):
            cause = rng.choice(kinds)
            breaks.append(
                ServiceBreak(
                    organisation=org,
                    member=rng.choice(members),
                    date=today - timedelta(days=rng.randint(1, DEMO_DAYS)),
                    cause=cause.value,
                    note=_BREAK_NOTES.get(cause.value, ""),
                    created_by=filer[code],
                )
            )
    ServiceBreak.objects.bulk_create(breaks)


_BREAK_NOTES = {
    "member_vacation": "Family trip to the coast; services resume Monday.",
    "member_hospitalized": "Admitted overnight; the care plan is unchanged.",
    "member_weather": "Family asked staff not to drive in the ice storm.",
    "member_holiday": "No services over the holiday at the family's request.",
}


def _plans(orgs: list[Organisation], mco: User, filer: dict[str, User], today: date) -> None:
    """Plans for the oldest late or missing periods: requested, answered, some closed."""
    first = today - timedelta(days=DEMO_DAYS)
    rows = services.non_compliant(services.compliance_rows(orgs, first, today, as_of=today))
    by_org = {org.code: org for org in orgs}
    for n, code in enumerate(sorted({row.provider_id for row in rows})):
        mine = sorted((r for r in rows if r.provider_id == code), key=lambda r: r.period.start)
        for k, row in enumerate(mine[:PLANS_PER_ORGANISATION]):
            # Issued a week after the due date, as the MCO would have found out then.
            issued = min(row.period.due + timedelta(days=7), today)
            try:
                plan = services.issue_plan(mco, by_org[code], row.period.start, today=issued)
            except RuleError:
                continue  # compliant as known on that day (filed late after it)
            answered_on = issued + timedelta(days=5)
            if (n + k) % 3 == 2 or answered_on >= today:
                continue  # still waiting for the provider's answer
            answered = timezone.make_aware(datetime.combine(answered_on, time(10)))
            services.answer_plan(
                filer[code],
                plan,
                area_out_of_compliance=plan.area_out_of_compliance,
                corrections=[
                    Correction(
                        "A second coordinator checks the backup staffing log every Friday.",
                        min(issued + timedelta(days=30), plan.corrections_due_on),
                        "Quality manager",
                    )
                ],
                now=answered,
            )
            if (n + k) % 3 == 0 and answered_on + timedelta(days=3) < today:
                services.close_plan(mco, plan, now=answered + timedelta(days=3))


def _cutoff(today: date) -> datetime:
    """The demo's "now": the current time on ``today``, else the end of ``today``."""
    end = timezone.make_aware(datetime.combine(today, time(23, 59, 59)))
    return min(timezone.now(), end)


def _plausible(report: BackupReport) -> BackupReport:
    """The synthetic report as the form would take it: Employer-of-Record reasons only
    on an Employer of Record's reports (``validation.EOR_REASON_PREFIX``)."""
    if (
        report.reason is not None
        and report.reason.startswith(EOR_REASON_PREFIX)
        and report.reporter_kind is not ReporterKind.EOR
    ):
        return replace(report, reason="backup_staff_unavailable")
    return report


def _as_of(report: BackupReport, cutoff: datetime) -> BackupReport:
    """The report as it stands at ``cutoff``: a submission after it has not happened yet,
    so the report is still a draft (nothing in the demo is dated in the future)."""
    if report.submitted_at is None:
        return report
    # The synthetic times are wall-clock times at the MCO.
    submitted = timezone.make_aware(report.submitted_at)
    if submitted > cutoff:
        return replace(
            report,
            status=ReportStatus.DRAFT,
            submitted_at=None,
            first_submitted_at=None,
            mco_comment=None,
        )
    first = report.first_submitted_at
    return replace(
        report,
        submitted_at=submitted,
        first_submitted_at=timezone.make_aware(first) if first is not None else None,
    )


def _incomplete_draft(
    org: Organisation, filer: dict[str, User], members: dict[tuple[str, str], Member], today: date
) -> None:
    """One report saved to finish later: the hours and the reason not typed yet."""
    member = next(m for (code, _), m in members.items() if code == org.code)
    IncompleteDraft.objects.create(
        report_id=ReportIdIssuer(DjangoIdLedger()).issue(today),
        organisation=org,
        values={
            "contact_name": org.contact_name,
            "contact_phone": org.contact_phone,
            "contact_email": org.contact_email,
            "member_last_name": member.last_name,
            "member_first_name": member.first_name,
            "member_date_of_birth": member.date_of_birth.isoformat(),
            "member_medicaid_id": member.medicaid_id,
            "incident_date": (today - timedelta(days=1)).isoformat(),
            "service_code": "T2013TF",
            "scheduled_start": "08:00",
            "scheduled_end": "12:00",
            "backup_status": "not_available",
        },
        created_by=filer[org.code],
    )


def load_demo(*, today: date, password: str | None = None, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo organisations, users, members and reports; return the logins.

    All demo users share one password (random unless given), hashed once.
    """
    password = password or secrets.token_urlsafe(12)
    try:
        # Demo accounts sign in like any other: the same validators apply.
        password_validation.validate_password(password)
    except DjangoValidationError as exc:
        raise InputError("; ".join(exc.messages), field="password") from None
    hashed = make_password(password)
    # The configured MCO's periods: attestations name a period of its scheme.
    data = synth_backup_data(
        first=today - timedelta(days=DEMO_DAYS),
        last=today,
        members=DEMO_MEMBERS,
        seed=seed,
        scheme=services.scheme(),
    )
    with transaction.atomic():
        mco = Organisation.objects.create(name="Demo MCO", kind=OrganisationKind.MCO, code="MCO")
        users = _org_users(mco, [Role.MCO_ANALYST, Role.MCO_ADMIN], hashed)
        orgs: dict[str, Organisation] = {}
        filer: dict[str, User] = {}
        for provider in data.providers:
            agency = provider.reporter_kind is ReporterKind.PROVIDER
            # The demo's organisations report from its first day: the months
            # before it are not shown as missing.
            org = provider_organisation(provider, reporting_since=today - timedelta(days=DEMO_DAYS))
            roles = [Role.SUBMITTER, Role.MANAGER] if agency else [Role.EOR]
            made = _org_users(org, roles, hashed)
            orgs[provider.provider_id], filer[provider.provider_id] = org, made[0]
            users.extend(made)
        people = {m.medicaid_id: m for m in data.members}
        # Each organisation keeps its own record of each member it serves.
        members: dict[tuple[str, str], Member] = {}
        for report in data.reports:
            key = (report.provider_id, report.member.medicaid_id)
            if key not in members:
                m = people[report.member.medicaid_id]
                members[key] = Member.objects.create(
                    organisation=orgs[report.provider_id],
                    first_name=m.first_name,
                    last_name=m.last_name,
                    date_of_birth=m.date_of_birth,
                    medicaid_id=m.medicaid_id,
                    ssn_last4=m.ssn_last4,
                )
        last_numbers: dict[int, int] = {}
        cutoff = _cutoff(today)
        for report in data.reports:
            report = _as_of(_plausible(report), cutoff)
            row = Report(
                organisation=orgs[report.provider_id],
                member=members[(report.provider_id, report.member.medicaid_id)],
                created_by=filer[report.provider_id],
            )
            apply(row, report)
            row.save()
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
        Attestation.objects.bulk_create(
            Attestation(
                organisation=orgs[item.provider_id],
                period_start=item.period_start,
                attested_at=timezone.make_aware(item.attested_at),
                attested_by=filer[item.provider_id],
            )
            for item in data.attestations
            # Nothing dated after today: a period is attested once it is over, not before.
            if timezone.make_aware(item.attested_at) <= cutoff
        )
        _service_breaks(orgs, filer, today, random.Random(seed))
        _plans(list(orgs.values()), users[1], filer, today)
        _incomplete_draft(next(iter(orgs.values())), filer, members, today)
    # Outside the backup-staffing transaction: the facilities' stores are DuckDB files.
    users.extend(load_nursing_home_demo(today=today, hashed_password=hashed, seed=seed))
    names = {org.pk: org.name for org in Organisation.objects.all()}
    return [
        DemoLogin(u.username, password, u.get_role_display(), names[u.organisation_id or 0])
        for u in users
    ]
