"""Each step of a report's life, persisted: the domain decides, this module stores.

Every step runs in one transaction, appends a ``ReportVersion`` and writes an
audit event with the before and after.

Members: a filing reads and writes only the member record of the filer's own
organisation (``members.record_for``). One report per incident: creating,
changing and submitting a report each run ``duplicates.check_not_duplicate``
and ``duplicates.check_day_hours`` against the organisation's reports of that
member and date; ``Report.filed_incident`` (unique) stops two concurrent
submissions of one incident. Submitting into an attested period withdraws the
attestation (``compliance.withdrawals``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from carecover.backup import lifecycle
from carecover.backup.compliance import FILED_STATUSES
from carecover.backup.duplicates import check_day_hours, check_not_duplicate, incident_key
from carecover.backup.ids import ReportIdIssuer
from carecover.backup.report import BackupReport, CorrectionKind, ReportStatus
from carecover.backup.split import reports_for_range
from carecover.errors import CarecoverError, InputError, RuleError
from carecover.portal.accounts.models import Organisation, Site, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance.withdrawals import withdraw_attestation
from carecover.portal.incidents.conversion import apply, snapshot, to_domain
from carecover.portal.incidents.ledger import DjangoIdLedger
from carecover.portal.incidents.members import record_for
from carecover.portal.incidents.models import Report, ReportVersion

#: What a provider writes on a report; everything else is the life cycle's.
_CONTENT_FIELDS = (
    "contact",
    "member",
    "site_id",
    "incident_date",
    "learned_on",
    "service_code",
    "scheduled_start",
    "scheduled_end",
    "hours_without_staff",
    "backup_status",
    "reason",
    "reason_other",
    "declined_by",
    "declined_reason",
    "harm",
)


def same_day_reports(organisation: Organisation, report: BackupReport) -> list[BackupReport]:
    """The organisation's other reports of the report's member and incident date."""
    rows = (
        Report.objects.select_related("site")
        .filter(
            organisation=organisation,
            member_medicaid_id__iexact=report.member.medicaid_id.strip(),
            incident_date=report.incident_date,
        )
        .exclude(report_id=report.report_id)
        .order_by("id")
    )
    return [to_domain(row) for row in rows]


def _guard(organisation: Organisation, report: BackupReport, *, filed_only: bool = False) -> None:
    """One report per incident, and at most 24 hours without staff per member and date.

    On submission only filed reports count: a forgotten draft of the same
    incident must not block the one being sent (it is refused in its turn).
    """
    existing = same_day_reports(organisation, report)
    if filed_only:
        existing = [other for other in existing if other.status in FILED_STATUSES]
    check_not_duplicate(report, existing)
    check_day_hours(report, existing)


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


def create_draft(
    user: User,
    report: BackupReport,
    *,
    today: date,
    correct_member: bool = False,
    report_id: str | None = None,
) -> Report:
    """Save a new draft under a freshly issued BUS id (valid per ``validation``).

    ``report_id``: the id an incomplete draft was given on its first save
    (``incomplete``), kept when it is completed; otherwise one is issued.
    Refused (``DuplicateReportError``, ``DayHoursError``) when it would be a
    second report of one incident or take the member's date over 24 hours;
    ``ValidationError`` when the member differs from the organisation's record
    and ``correct_member`` is not set (then the record is corrected, audited).
    """
    with transaction.atomic():
        issued = report_id or ReportIdIssuer(DjangoIdLedger()).issue(today)
        return _create(user, replace(report, report_id=issued), correct_member=correct_member)


def _create(user: User, report: BackupReport, *, correct_member: bool) -> Report:
    assert user.organisation is not None
    with transaction.atomic():
        _guard(user.organisation, report)
        row = Report(
            organisation=user.organisation,
            member=record_for(user, report.member, correct=correct_member),
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


def create_range(
    user: User,
    template: BackupReport,
    last: date,
    *,
    today: date,
    correct_member: bool = False,
    first_id: str | None = None,
) -> list[Report]:
    """One draft per date from the template's incident date to ``last`` (``split``).

    All or none: a duplicate on any date refuses the whole range. ``first_id``:
    the first date's report keeps the id of the incomplete draft it completes.
    """
    with transaction.atomic():
        drafts = reports_for_range(
            template,
            template.incident_date,
            last,
            issuer=ReportIdIssuer(DjangoIdLedger()),
            today=today,
        )
        if first_id is not None:
            # The first date's number issued here is skipped: ids are never reused.
            drafts[0] = replace(drafts[0], report_id=first_id)
        return [_create(user, draft, correct_member=correct_member) for draft in drafts]


def change_draft(
    user: User, row: Report, changed: BackupReport, *, correct_member: bool = False
) -> Report:
    """Save the provider's corrections as the next version (``lifecycle.amend``).

    The same guards as ``create_draft``.
    """
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=row.pk)
        current = to_domain(row)
        amended = lifecycle.amend(current, **{f: getattr(changed, f) for f in _CONTENT_FIELDS})
        _guard(row.organisation, amended)
        row.member = record_for(user, amended.member, correct=correct_member)
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


def _submitted(user: User, row: Report, *, now: datetime, today: date) -> Report:
    with transaction.atomic():
        _guard(row.organisation, to_domain(row), filed_only=True)
        row = _step(user, row, Action.SUBMIT, lambda r: lifecycle.submit(r, now=now, today=today))
        withdraw_attestation(user, row.organisation, row.incident_date, row.report_id, now=now)
    return row


def submit(user: User, row: Report, *, now: datetime, today: date) -> Report:
    """Send a draft or returned report to the MCO (``lifecycle.submit`` validates it).

    Refused like ``create_draft`` when another report of the organisation
    describes the same incident, also when that one is being submitted at the
    same moment (the unique ``filed_incident``). A submission into a period the
    organisation attested withdraws that attestation.
    """
    # The MCO's own time: the domain compares the day of the submission with
    # ``today`` (the MCO's calendar day); in UTC, an evening submission in North
    # Carolina would fall on the next day and be refused as "in the future".
    now = timezone.localtime(now)
    try:
        return _submitted(user, row, now=now, today=today)
    except IntegrityError as exc:
        key = incident_key(to_domain(row))
        other = Report.objects.filter(filed_incident=key).exclude(pk=row.pk).first()
        if other is None:
            raise
        raise RuleError(
            f"{row.report_id} duplicates {other.report_id}: one report per provider, member, "
            f"date and service ({row.incident_date.isoformat()}, {row.service_code}); "
            f"correct {other.report_id} instead"
        ) from exc


def delete_draft(user: User, row: Report) -> str:
    """Delete a draft (never submitted: a filed report stays on record); its BUS id.

    For an interruption that needed no report, or a draft of an incident
    already reported. ``RuleError`` unless the report is a draft. Audited
    with the draft's content; the BUS id is not issued again.
    """
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=row.pk)
        if row.status != ReportStatus.DRAFT:
            raise RuleError(
                f"{row.report_id} is {row.status}: only a draft can be deleted, "
                "a filed report stays on record"
            )
        before = snapshot(to_domain(row))
        report_id = row.report_id
        # A draft's versions go with it: only filed history is kept for ever.
        ReportVersion.objects.filter(report=row).delete()
        row.delete()
        record(user, Action.REVOKE, object_type="report", object_id=report_id, before=before)
    return report_id


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


def request_correction(
    user: User, row: Report, kind: CorrectionKind, *, reason: str, now: datetime
) -> Report:
    """The provider asks the MCO to withdraw or amend a filed report (``lifecycle``)."""
    return _step(
        user,
        row,
        Action.CHANGE,
        lambda r: lifecycle.request_correction(r, kind, reason=reason, now=now),
    )


def decide_correction(
    user: User, row: Report, *, approve: bool, comment: str, now: datetime
) -> Report:
    """The MCO approves or declines the provider's request; audited as what it does.

    An approved withdrawal is a revocation (the report stays, no longer filed),
    an approved amendment a return; a declined request a change.
    """
    current = to_domain(row)
    kind = current.correction_requested
    action = Action.CHANGE
    if approve and kind is CorrectionKind.WITHDRAW:
        action = Action.REVOKE
    elif approve and kind is CorrectionKind.AMEND:
        action = Action.RETURN
    return _step(
        user,
        row,
        action,
        lambda r: lifecycle.decide_correction(r, approve=approve, comment=comment, now=now),
    )


def submit_all(
    user: User, first: date, last: date, *, now: datetime, today: date
) -> tuple[list[str], dict[str, str]]:
    """Submit each of the organisation's drafts with an incident from ``first`` to ``last``.

    Each draft is checked and submitted on its own (``submit``): one that is not
    ready stays a draft, with why, and does not stop the others. The BUS ids
    submitted, and the refused ones with their reasons.
    """
    assert user.organisation is not None
    if last < first:
        raise InputError("cannot be before the first date", field="incident_to")
    drafts = Report.objects.filter(
        organisation=user.organisation,
        status=ReportStatus.DRAFT,
        incident_date__range=(first, last),
    ).order_by("incident_date", "id")
    done: list[str] = []
    refused: dict[str, str] = {}
    for row in drafts:
        try:
            submit(user, row, now=now, today=today)
        except CarecoverError as exc:
            refused[row.report_id] = str(exc)
        else:
            done.append(row.report_id)
    return done, refused
