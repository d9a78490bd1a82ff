"""A failure found in visit records, as a pre-filled draft report.

What EVV knows goes in: the member, the incident date, the service, the
scheduled window on that date (a shift across midnight is cut at midnight,
as its hours are), the hours without staff and whether backup was not
available or offered and declined. What it cannot know stays empty for the
filer: *why* backup staff was not provided (the reason the report exists to
explain), who declined and why. Full validation runs when the draft is
submitted, as for any draft.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from carecover.backup.classify import Backup, OutcomeKind
from carecover.backup.ids import MAX_NUMBER, format_report_id
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    Member,
    ReporterKind,
)
from carecover.backup.visits import Interruption
from carecover.errors import RuleError

__all__ = ["draft_from", "window_on"]


def window_on(item: Interruption) -> tuple[time, time]:
    """The scheduled window of ``item`` on its incident date (``00:00`` end: midnight)."""
    day = datetime.combine(item.incident_date, time())
    following = day + timedelta(days=1)
    parts = [
        (max(s, day), min(e, following)) for s, e in item.scheduled if s < following and e > day
    ]
    start = min(s for s, _ in parts)
    end = max(e for _, e in parts)
    return start.time(), (time() if end == following else end.time())


def draft_from(
    item: Interruption,
    *,
    reporter_kind: ReporterKind,
    provider_name: str,
    contact: Contact,
    member: Member,
    today: date,
) -> BackupReport:
    """A draft report of ``item`` (a failure to provide backup staffing), to be completed.

    ``RuleError`` for anything but a failure (a service break is logged in the
    member's record, an unexplained gap must be explained first).
    """
    if item.kind != str(OutcomeKind.FAILURE_TO_PROVIDE_BACKUP):
        raise RuleError(f"a {item.kind.replace('_', ' ')} is not reported as a failure")
    start, end = window_on(item)
    declined = item.backup is Backup.DECLINED
    return BackupReport(
        # A placeholder: the portal issues the BUS id when it saves the draft.
        report_id=format_report_id(today.year, MAX_NUMBER),
        reporter_kind=reporter_kind,
        provider_id=item.provider_id,
        provider_name=provider_name,
        contact=contact,
        member=member,
        incident_date=item.incident_date,
        service_code=item.service_code,
        scheduled_start=start,
        scheduled_end=end,
        hours_without_staff=item.hours_without_staff,
        backup_status=(BackupStatus.OFFERED_DECLINED if declined else BackupStatus.NOT_AVAILABLE),
    )
