"""Each step of a report's life, persisted: the domain decides, this module stores.

Every step runs in one transaction, appends a ``ReportVersion`` and writes an
audit event with the before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from django.db import transaction

from carecover.backup import lifecycle
from carecover.backup.ids import ReportIdIssuer
from carecover.backup.report import BackupReport
from carecover.backup.split import reports_for_range
from carecover.portal.accounts.models import Site, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.incidents.conversion import apply, snapshot, to_domain
from carecover.portal.incidents.ledger import DjangoIdLedger
from carecover.portal.incidents.models import Member, Report, ReportVersion

#: What a provider writes on a report; everything else is the life cycle's.
_CONTENT_FIELDS = (
    "contact",
    "member",
    "site_id",
    "incident_date",
    "service_code",
    "scheduled_start",
    "scheduled_end",
    "hours_without_staff",
    "backup_status",
    "reason",
    "reason_other",
    "declined_by",
    "declined_reason",
)


def _member_row(report: BackupReport, user: User) -> Member:
    """The member row for the report's member, created or updated, linked to the org."""
    member = report.member
    row, _ = Member.objects.get_or_create(
        medicaid_id=member.medicaid_id,
        defaults={
            "first_name": member.first_name,
            "last_name": member.last_name,
            "date_of_birth": member.date_of_birth,
        },
    )
    row.first_name = member.first_name
    row.last_name = member.last_name
    row.date_of_birth = member.date_of_birth
    if member.ssn_last4:
        row.ssn_hash = member.ssn_hash
        row.ssn_last4 = member.ssn_last4
    row.save()
    if user.organisation is not None:
        row.organisations.add(user.organisation)
    return row


def _site(user: User, code: str | None) -> Site | None:
    if not code or user.organisation is None:
        return None
    return user.organisation.sites.filter(code=code).first()


def _store(row: Report, report: BackupReport, user: User) -> None:
    apply(row, report)
    row.save()
    ReportVersion.objects.create(
        report=row,
        version=report.version,
        status=report.status.value,
        snapshot=snapshot(report),
        recorded_by=user,
    )


def create_draft(user: User, report: BackupReport, *, today: date) -> Report:
    """Save a new draft under a freshly issued BUS id (valid per ``validation``)."""
    with transaction.atomic():
        report = replace(report, report_id=ReportIdIssuer(DjangoIdLedger()).issue(today))
        return _create(user, report)


def _create(user: User, report: BackupReport) -> Report:
    assert user.organisation is not None
    with transaction.atomic():
        row = Report(
            organisation=user.organisation,
            member=_member_row(report, user),
            site=_site(user, report.site_id),
            created_by=user,
        )
        _store(row, report, user)
        record(
            user,
            Action.CREATE,
            object_type="report",
            object_id=row.report_id,
            after=snapshot(report),
        )
    return row


def create_range(user: User, template: BackupReport, last: date, *, today: date) -> list[Report]:
    """One draft per date from the template's incident date to ``last`` (``split``)."""
    with transaction.atomic():
        drafts = reports_for_range(
            template,
            template.incident_date,
            last,
            issuer=ReportIdIssuer(DjangoIdLedger()),
            today=today,
        )
        return [_create(user, draft) for draft in drafts]


def change_draft(user: User, row: Report, changed: BackupReport) -> Report:
    """Save the provider's corrections as the next version (``lifecycle.amend``)."""
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=row.pk)
        current = to_domain(row)
        amended = lifecycle.amend(current, **{f: getattr(changed, f) for f in _CONTENT_FIELDS})
        row.member = _member_row(amended, user)
        row.site = _site(user, amended.site_id)
        _store(row, amended, user)
        record(
            user,
            Action.CHANGE,
            object_type="report",
            object_id=row.report_id,
            before=snapshot(current),
            after=snapshot(amended),
        )
    return row


def _step(
    user: User, row: Report, action: Action, step: Callable[[BackupReport], BackupReport]
) -> Report:
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=row.pk)
        current = to_domain(row)
        following = step(current)
        _store(row, following, user)
        record(
            user,
            action,
            object_type="report",
            object_id=row.report_id,
            before=snapshot(current),
            after=snapshot(following),
        )
    return row


def submit(user: User, row: Report, *, now: datetime, today: date) -> Report:
    """Send a draft or returned report to the MCO (``lifecycle.submit`` validates it)."""
    return _step(user, row, Action.SUBMIT, lambda r: lifecycle.submit(r, now=now, today=today))


def accept(user: User, row: Report, *, now: datetime) -> Report:
    """The MCO accepts a submitted report."""
    return _step(user, row, Action.ACCEPT, lambda r: lifecycle.accept(r, now=now))


def return_to_provider(user: User, row: Report, *, comment: str, now: datetime) -> Report:
    """The MCO returns a submitted report with what to correct."""
    return _step(
        user,
        row,
        Action.RETURN,
        lambda r: lifecycle.return_to_provider(r, comment=comment, now=now),
    )
