"""One report per incident date: splitting a several-day interruption.

The Alpha+ form takes a single incident date ("A report must be submitted
for each date of the incident, as the form does not allow for multiple
dates", Partners' guidance, seed 000), so an interruption over several days
becomes one draft per date, each with its own report id.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from carecover.backup.ids import ReportIdIssuer
from carecover.backup.report import BackupReport, ReportStatus
from carecover.errors import InputError, RuleError

__all__ = ["MAX_RANGE_DAYS", "reports_for_range"]

#: A longer gap is no longer a missed shift but an unstaffed case, which goes to
#: the Network Relations Specialist rather than on these reports (domain notes §1.2).
MAX_RANGE_DAYS = 31


def reports_for_range(
    template: BackupReport,
    first: date,
    last: date,
    *,
    issuer: ReportIdIssuer,
    today: date,
) -> list[BackupReport]:
    """One draft per date from ``first`` to ``last`` (inclusive), copied from ``template``.

    Each draft gets a new id from ``issuer`` (ids carry the year of ``today``,
    when they are created). Refuses ``last`` before ``first``, dates after
    ``today`` and ranges over ``MAX_RANGE_DAYS`` days.
    """
    if last < first:
        raise InputError(
            f"the last date {last.isoformat()} is before the first date {first.isoformat()}",
            field="last_date",
        )
    if last > today:
        raise InputError(
            f"{last.isoformat()} is after today ({today.isoformat()}): "
            "report an incident only once it has happened",
            field="last_date",
        )
    days = (last - first).days + 1
    if days > MAX_RANGE_DAYS:
        raise RuleError(
            f"{days} days is more than {MAX_RANGE_DAYS}: a case left unstaffed this long is "
            "not a backup staffing report; tell your Network Relations Specialist"
        )
    return [
        replace(
            template,
            report_id=issuer.issue(today),
            incident_date=first + timedelta(days=offset),
            status=ReportStatus.DRAFT,
            submitted_at=None,
            version=1,
            mco_comment=None,
        )
        for offset in range(days)
    ]
