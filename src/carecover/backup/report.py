"""The Failure to Provide Backup Staffing report: a typed record.

One report covers one incident date for one member and one service. The
report explains why *backup* staff was not provided, not why the regularly
scheduled worker was absent (Partners' guidance, seed 000).

This module holds the record only; its rules live in ``validation``, its
life cycle in ``lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

__all__ = [
    "BackupReport",
    "BackupStatus",
    "Contact",
    "CorrectionKind",
    "DeclinedBy",
    "Member",
    "ReportStatus",
    "ReporterKind",
]


class ReporterKind(StrEnum):
    """Who files: a provider agency or an Employer of Record (self-direction)."""

    PROVIDER = "provider"
    EOR = "eor"


class BackupStatus(StrEnum):
    """The two report types: no backup available, or backup offered and declined."""

    NOT_AVAILABLE = "not_available"
    OFFERED_DECLINED = "offered_declined"


class DeclinedBy(StrEnum):
    """Who declined offered backup staff."""

    MEMBER = "member"
    LEGALLY_RESPONSIBLE_PERSON = "legally_responsible_person"


class ReportStatus(StrEnum):
    """Life cycle: draft -> submitted -> accepted | returned (-> submitted again).

    A filed report the MCO agreed was filed in error (e.g. it was a service
    break) is withdrawn: kept on record, no longer counted as filed.
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class CorrectionKind(StrEnum):
    """What a provider asks of the MCO about a report it already filed."""

    #: Filed in error (it was a service break, or no incident): take it off the record.
    WITHDRAW = "withdraw"
    #: Something in it is wrong: send it back so it can be corrected and submitted again.
    AMEND = "amend"


@dataclass(frozen=True)
class Contact:
    """The person the MCO can call about the report."""

    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Member:
    """The member left without staff.

    The SSN is never kept in clear: only a keyed hash (for look-up) and the
    last four digits (to tell people with the same name apart).
    """

    first_name: str
    last_name: str
    date_of_birth: date
    medicaid_id: str
    ssn_hash: str | None = None
    ssn_last4: str | None = None


@dataclass(frozen=True)
class BackupReport:
    """One Failure to Provide Backup Staffing report (one incident date)."""

    report_id: str
    reporter_kind: ReporterKind
    provider_id: str
    provider_name: str
    contact: Contact
    member: Member
    incident_date: date
    service_code: str
    scheduled_start: time
    scheduled_end: time
    hours_without_staff: float
    backup_status: BackupStatus
    reason: str | None = None
    reason_other: str | None = None
    declined_by: DeclinedBy | None = None
    declined_reason: str | None = None
    status: ReportStatus = ReportStatus.DRAFT
    submitted_at: datetime | None = None
    version: int = 1
    site_id: str | None = None
    mco_comment: str | None = None
    #: The day the provider learned of the incident, when later than the incident
    #: (seed row 6: the family tells the supervisor days later). None: that day.
    learned_on: date | None = None
    #: When the report was first sent to the MCO; a corrected re-submission
    #: after a return keeps it (the period's timeliness is the first filing's).
    first_submitted_at: datetime | None = None
    #: The member was harmed or put at risk: the incident is escalated (the
    #: "Is this reportable?" outcome), shown to the MCO.
    harm: bool = False
    #: A provider's pending request about this filed report, and why; None: none pending.
    correction_requested: CorrectionKind | None = None
    correction_reason: str | None = None
