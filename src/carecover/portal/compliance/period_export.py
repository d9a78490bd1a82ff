"""The download on the reporting-periods page: a period's reports in the MCO's own layout.

The file is made by ``carecover.backup.mco_export.export_period``, the function
behind ``carecover backup export``; this module only chooses the signed-in
organisation's filed reports of the period and records the download. The URL
names the period (its label) and the format, never the organisation: it is
always the user's own, so no other organisation's reports can be asked for.
"""

from __future__ import annotations

from datetime import date

from carecover.backup.compliance import FILED_STATUSES
from carecover.backup.mco import Channel, ExportFormat
from carecover.backup.mco_export import PeriodExport, export_period
from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance import services
from carecover.portal.incidents.conversion import to_domain
from carecover.portal.incidents.models import Report

__all__ = ["download", "offered_format", "period_named"]


def offered_format() -> ExportFormat | None:
    """The file the periods page offers: the MCO's format, or None when the MCO takes
    its portal form (the submitted reports are the filing, a file would be a copy)."""
    chosen = services.profile()
    if chosen.channel is Channel.PORTAL_FORM or chosen.layout is None:
        return None
    return chosen.export_format


def period_named(label: str) -> ReportingPeriod | None:
    """The period of the MCO's scheme labelled ``label`` (``2026-10-01..2026-10-15``), or
    None when no period of the scheme has that label."""
    first, _, last = label.partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        period = services.scheme().period_for(start)
    except (ValueError, OverflowError):
        # OverflowError: a period (or its due date) running past 9999-12-31.
        return None
    return period if (period.start, period.end) == (start, end) else None


def download(
    user: User, organisation: Organisation, label: str, extension: str
) -> PeriodExport | None:
    """``organisation``'s filed reports of the period ``label`` in the MCO's layout,
    recorded as an export by ``user``. None (the page answers 404) when the MCO takes
    no file, ``extension`` is not its format, the label names no period, or the
    organisation filed nothing in it: nothing is recorded then."""
    fmt = offered_format()
    period = period_named(label)
    if fmt is None or extension != fmt.value or period is None:
        return None
    rows = Report.objects.filter(
        organisation=organisation,
        incident_date__range=(period.start, period.end),
        status__in=[s.value for s in FILED_STATUSES],
    ).select_related("site")
    reports = [to_domain(row) for row in rows]
    made = export_period(reports, services.profile(), period, organisation.code, fmt)
    if made.count == 0:
        return None
    record(
        user,
        Action.EXPORT,
        object_type="period_export",
        object_id=period.label,
        after={
            "organisation": organisation.code,
            "format": fmt.value,
            "count": made.count,
            # Which reports left the portal; their ids carry no member data.
            "reports": sorted(r.report_id for r in reports),
        },
    )
    return made
