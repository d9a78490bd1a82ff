"""Between the ``Report`` table and the domain's ``BackupReport``."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from django.utils import timezone

from carecover.backup.compliance import FILED_STATUSES
from carecover.backup.duplicates import incident_key
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    CorrectionKind,
    DeclinedBy,
    Member,
    ReporterKind,
    ReportStatus,
)
from carecover.portal.incidents import models


def member_of(member: models.Member) -> Member:
    """The domain member of a member row."""
    return Member(
        first_name=member.first_name,
        last_name=member.last_name,
        date_of_birth=member.date_of_birth,
        medicaid_id=member.medicaid_id,
        ssn_hash=member.ssn_hash,
        ssn_last4=member.ssn_last4,
    )


def filed_member(report: models.Report) -> Member:
    """The member as filed on the report (not the member record as it is now)."""
    return Member(
        first_name=report.member_first_name,
        last_name=report.member_last_name,
        date_of_birth=report.member_date_of_birth,
        medicaid_id=report.member_medicaid_id,
        ssn_hash=report.member_ssn_hash,
        ssn_last4=report.member_ssn_last4,
    )


def to_domain(report: models.Report) -> BackupReport:
    """The ``BackupReport`` a report row holds."""
    return BackupReport(
        report_id=report.report_id,
        reporter_kind=ReporterKind(report.reporter_kind),
        provider_id=report.provider_id,
        provider_name=report.provider_name,
        contact=Contact(report.contact_name, report.contact_phone, report.contact_email),
        member=filed_member(report),
        incident_date=report.incident_date,
        service_code=report.service_code,
        scheduled_start=report.scheduled_start,
        scheduled_end=report.scheduled_end,
        hours_without_staff=report.hours_without_staff,
        backup_status=BackupStatus(report.backup_status),
        reason=report.reason,
        reason_other=report.reason_other,
        declined_by=DeclinedBy(report.declined_by) if report.declined_by else None,
        declined_reason=report.declined_reason,
        status=ReportStatus(report.status),
        # Local time: the domain compares its date with the MCO's calendar day.
        submitted_at=timezone.localtime(report.submitted_at) if report.submitted_at else None,
        version=report.version,
        site_id=report.site.code if report.site else None,
        mco_comment=report.mco_comment,
        learned_on=report.learned_on,
        first_submitted_at=(
            timezone.localtime(report.first_submitted_at) if report.first_submitted_at else None
        ),
        harm=report.harm,
        correction_requested=(
            CorrectionKind(report.correction_requested) if report.correction_requested else None
        ),
        correction_reason=report.correction_reason,
    )


def apply(row: models.Report, report: BackupReport) -> None:
    """Copy the domain report's fields onto ``row`` (member record and site: the caller's)."""
    row.report_id = report.report_id
    row.member_first_name = report.member.first_name
    row.member_last_name = report.member.last_name
    row.member_date_of_birth = report.member.date_of_birth
    row.member_medicaid_id = report.member.medicaid_id
    row.member_ssn_hash = report.member.ssn_hash
    row.member_ssn_last4 = report.member.ssn_last4
    # Filed reports hold their incident under a unique key: the database's
    # own guard against two concurrent submissions of one incident.
    row.filed_incident = incident_key(report) if report.status in FILED_STATUSES else None
    row.reporter_kind = report.reporter_kind.value
    row.provider_id = report.provider_id
    row.provider_name = report.provider_name
    row.contact_name = report.contact.name
    row.contact_phone = report.contact.phone
    row.contact_email = report.contact.email
    row.incident_date = report.incident_date
    row.service_code = report.service_code
    row.scheduled_start = report.scheduled_start
    row.scheduled_end = report.scheduled_end
    row.hours_without_staff = report.hours_without_staff
    row.backup_status = report.backup_status.value
    row.reason = report.reason
    row.reason_other = report.reason_other
    row.declined_by = report.declined_by.value if report.declined_by else None
    row.declined_reason = report.declined_reason
    row.status = report.status.value
    row.submitted_at = report.submitted_at
    row.first_submitted_at = report.first_submitted_at
    row.learned_on = report.learned_on
    row.version = report.version
    row.mco_comment = report.mco_comment
    row.harm = report.harm
    row.correction_requested = (
        report.correction_requested.value if report.correction_requested else None
    )
    row.correction_reason = report.correction_reason


def _plain(value: object) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(report: BackupReport) -> dict[str, Any]:
    """The report as JSON-ready data (for versions and audit before/after)."""
    data: dict[str, Any] = _plain(dataclasses.asdict(report))
    return data
