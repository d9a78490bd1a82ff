"""Bulk-load the portal benchmark database: 1,000,000 reports in PostgreSQL via COPY.

The world (providers, members, the shapes of reports) comes from
``carecover.backup.synth``; the million rows are that synthetic pool spread
over ``YEARS`` years of incident dates, written with PostgreSQL's COPY (the ORM
would take many minutes). Only current report rows are loaded, not their
version history: the list page and the roll-ups read ``incidents_report``.
Must run after ``django.setup()`` against the benchmark database.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from carecover.backup.report import BackupReport, ReporterKind
from carecover.backup.synth import synth_backup_data
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, Site, User
from carecover.portal.demo import provider_organisation
from carecover.portal.incidents.models import Member, ReportIdCounter

AGENCIES = 40
EORS = 40
MEMBERS = 20_000
#: Incident dates spread over this many years before ``today``.
YEARS = 5
#: Status mix of the loaded reports (most old reports are accepted).
STATUSES = (("accepted", 0.72), ("submitted", 0.14), ("returned", 0.04), ("draft", 0.10))

_COLUMNS = (
    "report_id organisation_id site_id member_id reporter_kind provider_id provider_name "
    "contact_name contact_phone contact_email incident_date service_code scheduled_start "
    "scheduled_end hours_without_staff backup_status reason reason_other declined_by "
    "declined_reason status submitted_at version mco_comment created_by_id created_at updated_at"
).split()


@dataclass(frozen=True)
class World:
    """What the load created that the measurements need."""

    mco_analyst: User
    submitter: User  # of PRV001, who files under load
    reports: int
    seconds: float


def _check_columns() -> None:
    """Fail clearly if the report table gained a required column this loader does not fill."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'incidents_report' AND is_nullable = 'NO' AND column_default IS NULL"
        )
        required = {name for (name,) in cursor.fetchall()} - {"id", *_COLUMNS}
    if required:
        raise RuntimeError(f"portal_data: incidents_report has new required columns {required}")


def _organisations(data: Any, hashed: str) -> tuple[dict[str, Organisation], dict[str, User]]:
    mco = Organisation.objects.create(name="Bench MCO", kind=OrganisationKind.MCO, code="MCO")
    User.objects.create(
        username="mco-analyst", password=hashed, organisation=mco, role="mco_analyst"
    )
    orgs: dict[str, Organisation] = {}
    filers: dict[str, User] = {}
    for provider in data.providers:
        agency = provider.reporter_kind is ReporterKind.PROVIDER
        org = provider_organisation(provider)
        role = Role.SUBMITTER if agency else Role.EOR
        filers[provider.provider_id] = User.objects.create(
            username=f"{provider.provider_id.lower()}-filer",
            password=hashed,
            organisation=org,
            role=role,
        )
        orgs[provider.provider_id] = org
    return orgs, filers


def _members(data: Any, orgs: dict[str, Organisation], pool: list[BackupReport]) -> dict[str, int]:
    """COPY the members; each is linked to the organisations that report on them."""
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY incidents_member (first_name, last_name, date_of_birth, medicaid_id, "
            "ssn_last4) FROM STDIN"
        ) as copy,
    ):
        for m in data.members:
            copy.write_row((m.first_name, m.last_name, m.date_of_birth, m.medicaid_id, m.ssn_last4))
    ids = dict(Member.objects.values_list("medicaid_id", "id"))
    links = {(ids[r.member.medicaid_id], orgs[r.provider_id].pk) for r in pool}
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY incidents_member_organisations (member_id, organisation_id) FROM STDIN"
        ) as copy,
    ):
        for link in sorted(links):
            copy.write_row(link)
    return ids


def _pick_status(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUSES:
        if roll < share:
            return status
        roll -= share
    return STATUSES[0][0]


def _rows(
    pool: list[BackupReport],
    count: int,
    today: date,
    orgs: dict[str, Organisation],
    filers: dict[str, User],
    members: dict[str, int],
    sites: dict[int, int],
    numbers: Counter[int],
) -> Any:
    """Yield ``count`` report rows: the synthetic pool, spread over ``YEARS`` years."""
    rng = random.Random(2026)
    span = YEARS * 365
    now = datetime.now(UTC)
    for i in range(count):
        shape = pool[i % len(pool)]
        day = today - timedelta(days=1 + rng.randrange(span))
        numbers[day.year] += 1
        status = _pick_status(rng) if day < today - timedelta(days=30) else "draft"
        filed = status != "draft"
        org = orgs[shape.provider_id]
        submitted = datetime.combine(day, shape.scheduled_start, UTC) + timedelta(days=2)
        yield (
            f"BUS-{day.year}-{numbers[day.year]:06d}",
            org.pk,
            sites.get(org.pk),
            members[shape.member.medicaid_id],
            shape.reporter_kind.value,
            shape.provider_id,
            shape.provider_name,
            shape.contact.name,
            shape.contact.phone,
            shape.contact.email,
            day,
            shape.service_code,
            shape.scheduled_start,
            shape.scheduled_end,
            shape.hours_without_staff,
            shape.backup_status.value,
            shape.reason,
            shape.reason_other,
            shape.declined_by.value if shape.declined_by else None,
            shape.declined_reason,
            status,
            submitted if filed else None,
            1 if status == "draft" else 2,
            "Please add the EVV times." if status == "returned" else None,
            filers[shape.provider_id].pk,
            now,
            now,
        )


def load(count: int, *, today: date) -> World:
    """Fill an empty, migrated benchmark database; return what the measurements need."""
    started = time.perf_counter()
    _check_columns()
    data = synth_backup_data(
        first=today - timedelta(days=60),
        last=today - timedelta(days=1),
        agencies=AGENCIES,
        eors=EORS,
        members=MEMBERS,
    )
    pool = [r for r in data.reports if r.provider_id]
    # Nobody signs in with a password: sessions are made directly.
    hashed = "!unusable"
    with transaction.atomic():
        orgs, filers = _organisations(data, hashed)
        members = _members(data, orgs, pool)
        sites = dict(Site.objects.values_list("organisation_id", "id"))
        numbers: Counter[int] = Counter()
        copy_sql = f"COPY incidents_report ({', '.join(_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in _rows(pool, count, today, orgs, filers, members, sites, numbers):
                copy.write_row(row)
        # Leave the id ledger after the loaded ids so new drafts get fresh ones.
        for year, last in numbers.items():
            ReportIdCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return World(
        mco_analyst=User.objects.get(username="mco-analyst"),
        submitter=filers["PRV001"],
        reports=count,
        seconds=time.perf_counter() - started,
    )


def existing_world() -> World:
    """The world of an earlier load (``--reuse``)."""
    from carecover.portal.incidents.models import Report

    return World(
        mco_analyst=User.objects.get(username="mco-analyst"),
        submitter=User.objects.get(username="prv001-filer"),
        reports=Report.objects.count(),
        seconds=0.0,
    )
