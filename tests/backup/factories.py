"""Build BackupReport objects for tests: sensible defaults, override what matters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    Member,
    ReporterKind,
    ReportStatus,
)

_counter = {"n": 0}


def member(medicaid_id: str = "123456789A", **changes: Any) -> Member:
    """A member; only the Medicaid id usually matters to roll-ups."""
    base = Member("Ann", "Doe", date(1990, 1, 1), medicaid_id, ssn_last4="1234")
    return replace(base, **changes)


def report(
    *,
    provider_id: str = "P001",
    incident_date: date = date(2026, 10, 3),
    submitted_at: datetime | None = None,
    status: ReportStatus = ReportStatus.SUBMITTED,
    medicaid_id: str = "123456789A",
    hours: float = 4.0,
    backup_status: BackupStatus = BackupStatus.NOT_AVAILABLE,
    **changes: Any,
) -> BackupReport:
    """A filed report, submitted at 17:00 on the incident date unless told otherwise."""
    _counter["n"] += 1
    if submitted_at is None and status is not ReportStatus.DRAFT:
        submitted_at = datetime.combine(incident_date, time(17, 0))
    declined = backup_status is BackupStatus.OFFERED_DECLINED
    base = BackupReport(
        report_id=f"R{_counter['n']:05d}",
        reporter_kind=ReporterKind.PROVIDER,
        provider_id=provider_id,
        provider_name=f"Provider {provider_id}",
        contact=Contact("Casey Contact", "704-555-0100", "casey@example.org"),
        member=member(medicaid_id),
        incident_date=incident_date,
        service_code="T2013TF",
        scheduled_start=time(8, 0),
        scheduled_end=time(12, 0),
        hours_without_staff=hours,
        backup_status=backup_status,
        reason=None if declined else "backup_staff_unavailable",
        declined_by=DeclinedBy.MEMBER if declined else None,
        declined_reason="prefers regular staff" if declined else None,
        status=status,
        submitted_at=submitted_at,
    )
    return replace(base, **changes)


PIEDMONT_DRAFT = BackupReport(
    report_id="BUS-2026-000101",
    reporter_kind=ReporterKind.PROVIDER,
    provider_id="P-1001",
    provider_name="Piedmont Community Supports",
    contact=Contact("Renee Walsh", "919-555-0101", "rwalsh@piedmont.example.org"),
    member=Member("Avery", "Allen", date(2004, 2, 11), "900000001A"),
    incident_date=date(2026, 10, 5),
    service_code="T2013TF",
    scheduled_start=time(9),
    scheduled_end=time(17),
    hours_without_staff=8,
    backup_status=BackupStatus.NOT_AVAILABLE,
    reason="backup_staff_unavailable",
)


def draft(**changes: Any) -> BackupReport:
    """A complete, valid draft from one agency (the seed's walk-through), with changes."""
    return replace(PIEDMONT_DRAFT, **changes)
