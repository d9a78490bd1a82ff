"""Interruptions become pre-filled drafts (failures) and service-break log entries (breaks).

Drafts are made by ``incidents.filing.create_draft``, so every filing rule
holds (one report per incident, 24 hours a day, the member record is the
organisation's own). Each row is created at most once: a row already drafted
or logged is skipped, so "create" may be pressed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from carecover.backup.classify import Backup, Cause, OutcomeKind
from carecover.backup.report import Contact, ReporterKind
from carecover.backup.report import Member as DomainMember
from carecover.backup.visit_drafts import draft_from
from carecover.backup.visits import Interruption
from carecover.errors import CarecoverError
from carecover.portal.accounts.models import OrganisationKind, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.incidents import filing
from carecover.portal.incidents.models import ServiceBreak
from carecover.portal.visits.models import DetectedInterruption, Outcome, VisitUpload

__all__ = ["Created", "create_all"]


@dataclass(frozen=True)
class Created:
    """What one "create" did."""

    drafts: int
    breaks: int
    refused: int


def _interruption(row: DetectedInterruption) -> Interruption:
    windows = tuple((datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in row.windows)
    return Interruption(
        provider_id=row.provider_id,
        member_medicaid_id=row.member_medicaid_id,
        incident_date=row.incident_date,
        service_code=row.service_code,
        hours_without_staff=row.hours_without_staff,
        kind=row.kind,
        report_required=row.report_required,
        rule=row.rule,
        explanation="",
        cause=Cause(row.cause) if row.cause else None,
        backup=Backup(row.backup) if row.backup else None,
        member_last_name="",
        member_first_name="",
        member_date_of_birth=None,
        scheduled=windows,
        delivered=(),
        gaps=(),
        worker_ids=(),
    )


def _draft(user: User, row: DetectedInterruption, today: date) -> None:
    organisation = user.organisation
    assert organisation is not None
    assert row.member is not None
    member = row.member
    report = draft_from(
        _interruption(row),
        reporter_kind=(
            ReporterKind.EOR if organisation.kind == OrganisationKind.EOR else ReporterKind.PROVIDER
        ),
        provider_name=organisation.name,
        contact=Contact(
            organisation.contact_name, organisation.contact_phone, organisation.contact_email
        ),
        member=DomainMember(
            first_name=member.first_name,
            last_name=member.last_name,
            date_of_birth=member.date_of_birth,
            medicaid_id=member.medicaid_id,
            ssn_hash=member.ssn_hash,
            ssn_last4=member.ssn_last4,
        ),
        today=today,
    )
    row.report = filing.create_draft(user, report, today=today)
    row.outcome = Outcome.DRAFTED
    row.problem = ""


def _log_break(user: User, row: DetectedInterruption) -> None:
    organisation = user.organisation
    assert organisation is not None
    assert row.member is not None
    entry = ServiceBreak.objects.filter(
        organisation=organisation, member=row.member, date=row.incident_date, cause=row.cause
    ).first()
    if entry is None:
        entry = ServiceBreak.objects.create(
            organisation=organisation,
            member=row.member,
            date=row.incident_date,
            cause=row.cause,
            note=f"From EVV visits (upload {row.upload_id}, line {row.lines}): {row.gaps}",
            created_by=user,
        )
        record(
            user,
            Action.CREATE,
            object_type="service_break",
            object_id=str(entry.pk),
            after={
                "date": row.incident_date.isoformat(),
                "cause": row.cause,
                "upload": row.upload_id,
            },
        )
    row.service_break = entry
    row.outcome = Outcome.LOGGED
    row.problem = ""


def create_all(user: User, upload: VisitUpload, *, today: date) -> Created:
    """Create every pending row's draft or log entry; refusals are kept with their reason."""
    assert user.organisation_id == upload.organisation_id
    drafts = breaks = refused = 0
    for row in upload.rows.select_related("member").filter(outcome=Outcome.PENDING):
        try:
            with transaction.atomic():
                if row.kind == str(OutcomeKind.FAILURE_TO_PROVIDE_BACKUP):
                    _draft(user, row, today)
                    drafts += 1
                else:
                    _log_break(user, row)
                    breaks += 1
                row.save()
        except CarecoverError as exc:
            row.outcome = Outcome.REFUSED
            row.problem = str(exc)[:1000]
            row.save(update_fields=["outcome", "problem"])
            refused += 1
    return Created(drafts, breaks, refused)
