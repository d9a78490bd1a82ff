"""The duplicate guard: one report per provider, member, date and service.

Domain notes §7: "one report per (provider, member, incident date[, service])
- reject/merge duplicates". Two reports with the same key describe the same
missed service twice and would be counted twice in the MCO's quarterly
report. A day has 24 hours, so one member's reports for one date can never
add up to more than 24 hours without staff (``check_day_hours``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carecover.backup.catalogue import normalise_code
from carecover.backup.report import BackupReport
from carecover.errors import RuleError

__all__ = [
    "HOURS_IN_A_DAY",
    "DayHoursError",
    "DuplicateKey",
    "DuplicateReportError",
    "check_day_hours",
    "check_not_duplicate",
    "duplicate_key",
    "find_duplicates",
    "find_long_days",
    "incident_key",
    "reused_ids",
]

#: The most hours without staff one member can have on one date, over all reports.
HOURS_IN_A_DAY = 24.0

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


def incident_key(report: BackupReport) -> str:
    """``duplicate_key`` as one string: what a store can hold under a unique constraint."""
    provider, medicaid_id, day, service = duplicate_key(report)
    return f"{provider}|{medicaid_id}|{day.isoformat()}|{service}"


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


class DayHoursError(RuleError):
    """One member's reports for one date add up to more hours than the day has."""

    def __init__(self, report: BackupReport, others: list[BackupReport], total: float) -> None:
        self.report = report
        self.others = others
        self.total = total
        ids = ", ".join(other.report_id for other in others)
        super().__init__(
            f"{report.report_id}: with {ids} the member would have {total:g} hours without "
            f"staff on {report.incident_date.isoformat()}; one date has at most "
            f"{HOURS_IN_A_DAY:g} hours"
        )


def check_day_hours(report: BackupReport, existing: Iterable[BackupReport]) -> None:
    """Raise ``DayHoursError`` if the member's reports for the date add up to over 24 hours.

    ``existing`` may hold any reports: only other reports (by id) for the same
    provider, member and date count.
    """
    provider, medicaid_id, day, _ = duplicate_key(report)
    others = [
        other
        for other in existing
        if other.report_id != report.report_id
        and duplicate_key(other)[:3] == (provider, medicaid_id, day)
    ]
    total = report.hours_without_staff + sum(other.hours_without_staff for other in others)
    if others and total > HOURS_IN_A_DAY:
        raise DayHoursError(report, others, total)


def find_long_days(reports: Iterable[BackupReport]) -> list[DayHoursError]:
    """Each report that takes its member's date over 24 hours with the reports before it.

    In input order; the ``check_day_hours`` rule over a whole file.
    """
    before: dict[tuple[str, str, date], list[BackupReport]] = {}
    found: list[DayHoursError] = []
    for report in reports:
        earlier = before.setdefault(duplicate_key(report)[:3], [])
        try:
            check_day_hours(report, earlier)
        except DayHoursError as exc:
            found.append(exc)
        earlier.append(report)
    return found


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
