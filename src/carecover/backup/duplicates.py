"""The duplicate guard: one report per provider, member, date and service.

Domain notes §7: "one report per (provider, member, incident date[, service])
- reject/merge duplicates". Two reports with the same key describe the same
missed service twice and would be counted twice in the MCO's quarterly
report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carecover.backup.catalogue import normalise_code
from carecover.backup.report import BackupReport
from carecover.errors import RuleError

__all__ = [
    "DuplicateKey",
    "DuplicateReportError",
    "check_not_duplicate",
    "duplicate_key",
    "find_duplicates",
    "reused_ids",
]

#: (provider_id, member Medicaid id, incident date, service code)
DuplicateKey = tuple[str, str, date, str]


def duplicate_key(report: BackupReport) -> DuplicateKey:
    """The identity of the incident a report describes; case and spaces do not matter."""
    return (
        report.provider_id.strip().upper(),
        report.member.medicaid_id.strip().upper(),
        report.incident_date,
        normalise_code(report.service_code),
    )


class DuplicateReportError(RuleError):
    """A report for the same provider, member, date and service already exists."""

    def __init__(self, report: BackupReport, other: BackupReport) -> None:
        self.report = report
        self.other = other
        super().__init__(
            f"{report.report_id} duplicates {other.report_id}: one report per provider, "
            f"member, date and service ({report.incident_date.isoformat()}, "
            f"{report.service_code}); correct {other.report_id} instead"
        )


def find_duplicates(reports: Iterable[BackupReport]) -> list[tuple[BackupReport, BackupReport]]:
    """Pairs (first report, later duplicate) in input order.

    Versions of one report (same report id) are not duplicates of each other.
    """
    first_seen: dict[DuplicateKey, BackupReport] = {}
    pairs: list[tuple[BackupReport, BackupReport]] = []
    for report in reports:
        key = duplicate_key(report)
        earlier = first_seen.get(key)
        if earlier is None:
            first_seen[key] = report
        elif earlier.report_id != report.report_id:
            pairs.append((earlier, report))
    return pairs


def check_not_duplicate(report: BackupReport, existing: Iterable[BackupReport]) -> None:
    """Raise ``DuplicateReportError`` if ``existing`` holds another report for the same incident."""
    key = duplicate_key(report)
    for other in existing:
        if other.report_id != report.report_id and duplicate_key(other) == key:
            raise DuplicateReportError(report, other)


def reused_ids(reports: Iterable[BackupReport]) -> list[tuple[BackupReport, BackupReport]]:
    """Pairs (first report, later report) that carry the same report id.

    In a file of current reports an id appears once: ids are never reused.
    """
    first_seen: dict[str, BackupReport] = {}
    pairs: list[tuple[BackupReport, BackupReport]] = []
    for report in reports:
        earlier = first_seen.setdefault(report.report_id, report)
        if earlier is not report:
            pairs.append((earlier, report))
    return pairs
