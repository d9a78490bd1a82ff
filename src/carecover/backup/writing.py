"""Writing reports, attestations and providers as the CSV files ``reading`` accepts.

The columns are ``reading.COLUMNS``; a clear SSN is never written (only the
last four digits), so a written file is safe to share with the MCO.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from carecover.backup.compliance import Attestation
from carecover.backup.reading import COLUMNS
from carecover.backup.report import BackupReport

__all__ = ["report_row", "write_attestations_csv", "write_reports_csv"]


def report_row(report: BackupReport) -> dict[str, str]:
    """One report as a row of the report file (every column, empty where unset)."""
    m, c = report.member, report.contact
    values: dict[str, object] = {
        "report_id": report.report_id,
        "reporter_kind": report.reporter_kind,
        "provider_id": report.provider_id,
        "provider_name": report.provider_name,
        "site_id": report.site_id,
        "contact_name": c.name,
        "contact_phone": c.phone,
        "contact_email": c.email,
        "member_first_name": m.first_name,
        "member_last_name": m.last_name,
        "member_dob": m.date_of_birth.isoformat(),
        "member_medicaid_id": m.medicaid_id,
        "member_ssn": None,
        "member_ssn_last4": m.ssn_last4,
        "incident_date": report.incident_date.isoformat(),
        "service_code": report.service_code,
        "scheduled_start": report.scheduled_start.strftime("%H:%M"),
        "scheduled_end": report.scheduled_end.strftime("%H:%M"),
        "hours_without_staff": f"{report.hours_without_staff:g}",
        "backup_status": report.backup_status,
        "reason": report.reason,
        "reason_other": report.reason_other,
        "declined_by": report.declined_by,
        "declined_reason": report.declined_reason,
        "status": report.status,
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "version": report.version,
        "mco_comment": report.mco_comment,
        "learned_on": report.learned_on.isoformat() if report.learned_on else None,
        "first_submitted_at": (
            report.first_submitted_at.isoformat() if report.first_submitted_at else None
        ),
    }
    return {k: "" if values[k] is None else str(values[k]) for k in COLUMNS}


def write_reports_csv(reports: Iterable[BackupReport], path: Path) -> int:
    """Write ``reports`` to ``path``; return how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for report in reports:
            writer.writerow(report_row(report))
            count += 1
    return count


def write_attestations_csv(attestations: Iterable[Attestation], path: Path) -> int:
    """Write attestations of no incidents as ``provider_id,period_start,attested_at``."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["provider_id", "period_start", "attested_at"])
        for a in attestations:
            writer.writerow([a.provider_id, a.period_start.isoformat(), a.attested_at.isoformat()])
            count += 1
    return count
