"""Gather the facts reminders are decided from, and deliver what is due."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from carecover.backup.reminders import PlanFact, ReturnedReport, due_reminders
from carecover.backup.report import ReportStatus
from carecover.portal.compliance import services
from carecover.portal.compliance.models import PlanOfCorrection, PlanStatus
from carecover.portal.incidents.models import Report
from carecover.portal.notifications.delivery import Delivery, deliver

__all__ = ["LOOKBACK_DAYS", "scan"]

#: How far back periods are checked: a period overdue longer ago has been
#: reminded already, and the MCO follows it up with a plan of correction.
LOOKBACK_DAYS = 60


def _plans() -> list[PlanFact]:
    rows = PlanOfCorrection.objects.select_related("organisation").only(
        "pk", "organisation__code", "period_start", "due_on", "status"
    )
    return [
        PlanFact(
            plan_id=row.pk,
            provider_id=row.organisation.code,
            period_start=row.period_start,
            due_on=row.due_on,
            answered=row.status != PlanStatus.REQUESTED,
            accepted=row.status == PlanStatus.CLOSED,
        )
        for row in rows
    ]


def _returned() -> list[ReturnedReport]:
    rows = Report.objects.filter(status=ReportStatus.RETURNED).select_related("organisation")
    return [
        ReturnedReport(r.organisation.code, r.report_id, r.version)
        for r in rows.only("report_id", "version", "organisation__code")
    ]


def scan(*, today: date, now: datetime) -> Delivery:
    """Decide every reminder due on ``today`` and deliver it (idempotent)."""
    periods = services.compliance_rows(
        services.reporting_organisations(),
        today - timedelta(days=LOOKBACK_DAYS),
        today,
        as_of=today,
    )
    return deliver(due_reminders(periods, _plans(), _returned(), today=today), now=now)
