"""The JSON shapes of ``/api/reports``: what a caller sends and what it gets back.

Members travel by opaque row id in lists; a report's own reading carries the
member as filed (``api._full`` audits it). Bounds mirror the database columns
and ``validation.MAX_LENGTHS``, so an over-long value is a 422, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema

from carecover.backup.report import BackupStatus, CorrectionKind, DeclinedBy, ReportStatus
from carecover.portal.converters import ROW_ID_MAX
from carecover.portal.queryparams import FIRST_DAY, LAST_DAY

#: Largest page of the report list.
MAX_PAGE_SIZE = 100


class ContactIn(Schema):
    """Who the MCO can call; defaults to the organisation's contact."""

    name: str = Field(max_length=200)
    phone: str = Field(max_length=40)
    email: str = Field(max_length=254)


class MemberIn(Schema):
    """A member by identity (a new member, or one the organisation already serves)."""

    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    date_of_birth: date
    medicaid_id: str = Field(max_length=20)
    ssn: str | None = Field(
        default=None,
        max_length=11,
        description="Optional, only to tell members apart: never stored, never sent back.",
    )


class ReportIn(Schema):
    """A report's content: give ``member_id`` (a member you serve) or ``member``."""

    # Bounded to a database integer: a larger number is a 422, not a 500.
    member_id: int | None = Field(
        default=None, ge=1, le=ROW_ID_MAX, description="A member's opaque id."
    )
    member: MemberIn | None = None
    site_id: str | None = Field(default=None, max_length=40, description="A site code.")
    contact: ContactIn | None = None
    incident_date: date
    learned_on: date | None = Field(
        default=None, description="The day you learned of the incident, when later."
    )
    service_code: str = Field(max_length=20)
    scheduled_start: time
    scheduled_end: time
    hours_without_staff: float
    backup_status: BackupStatus
    reason: str | None = Field(default=None, max_length=60)
    reason_other: str | None = Field(default=None, max_length=2000)
    declined_by: DeclinedBy | None = None
    declined_reason: str | None = Field(default=None, max_length=2000)
    harm: bool = Field(
        default=False, description="The member was harmed or put at risk: escalated to the MCO."
    )
    correct_member_record: bool = Field(
        default=False,
        description=(
            "When the member differs from your organisation's record of them (name, birth "
            "date, SSN ending): correct the record to what is sent (audited). Without it such "
            "a difference is a 422 naming each field."
        ),
    )


class MemberOut(Schema):
    """The member as filed on the report (reading it is audited)."""

    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    medicaid_id: str
    ssn_last4: str | None


class ContactOut(Schema):
    """The report's contact."""

    name: str
    phone: str
    email: str


class ReportSummaryOut(Schema):
    """One report in a list: no member identity, only the member's opaque id."""

    report_id: str
    status: ReportStatus
    version: int
    provider_id: str
    provider_name: str
    member_id: int
    incident_date: date
    service_code: str
    hours_without_staff: float
    backup_status: BackupStatus
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    learned_on: date | None
    updated_at: datetime


class MissingOut(Schema):
    """One thing that still stops a draft or returned report from being submitted."""

    field: str
    message: str


class ReportOut(ReportSummaryOut):
    """One report in full, with the member's identity."""

    site_id: str | None
    contact: ContactOut
    member: MemberOut
    scheduled_start: time
    scheduled_end: time
    reason: str | None
    reason_other: str | None
    declined_by: DeclinedBy | None
    declined_reason: str | None
    mco_comment: str | None
    harm: bool
    correction_requested: CorrectionKind | None
    correction_reason: str | None
    still_missing: list[MissingOut] = Field(
        default_factory=list,
        description="For a draft or returned report: what submitting would refuse, by field.",
    )
    created_at: datetime


class ReportPageOut(Schema):
    """One page of reports, newest incident first."""

    count: int
    page: int
    page_size: int
    pages: int
    items: list[ReportSummaryOut]


class ReportFilters(Schema):
    """List filters (ids and dates only: never a name in a URL)."""

    status: ReportStatus | None = None
    incident_from: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    incident_to: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    provider_id: str | None = Field(default=None, max_length=40)
    member_id: int | None = Field(default=None, ge=1, le=ROW_ID_MAX)
    page: int = Field(default=1, ge=1, le=ROW_ID_MAX)
    page_size: int = Field(default=25, ge=1, le=MAX_PAGE_SIZE)


class SubmitAllIn(Schema):
    """The incident dates of the drafts to submit."""

    incident_from: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    incident_to: date = Field(ge=FIRST_DAY, le=LAST_DAY)


class SubmitAllOut(Schema):
    """What was submitted and what stays a draft, with why."""

    submitted: list[str]
    refused: dict[str, str]


class CorrectionIn(Schema):
    """A provider's request about a filed report."""

    kind: CorrectionKind = Field(
        description="'withdraw' (filed in error, e.g. a service break) or 'amend'."
    )
    reason: str = Field(max_length=2000, description="Why, 10 to 2,000 characters.")


class DecisionIn(Schema):
    """The MCO's decision on a provider's request."""

    approve: bool
    comment: str = Field(default="", max_length=2000, description="Required to decline.")
