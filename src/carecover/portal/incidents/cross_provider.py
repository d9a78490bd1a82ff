"""Probable duplicates across providers: the MCO's review of one member's day.

Each provider keeps its own member records and its own one-report-per-incident
guard, so two providers can both report the same member on the same date (two
providers' services, or one incident reported twice). Only the MCO sees every
organisation's reports: its list marks such reports for review. Filers never
see this: it would reveal another organisation's member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import Subquery

from carecover.portal.incidents.models import Report

__all__ = ["mark_probable_duplicates", "probable_duplicates"]

Day = tuple[str, date]


def probable_duplicates(reports: Sequence[Report]) -> dict[int, list[str]]:
    """For each of ``reports`` (by pk): other providers' report ids for the same member and date.

    Members are matched by Medicaid id as filed. One query, whatever the
    number of reports: the page's own reports come back with their twins.
    """
    if not reports:
        return {}
    page_ids = Report.objects.filter(pk__in=[r.pk for r in reports]).values("member_medicaid_id")
    same_days = Report.objects.filter(
        member_medicaid_id__in=Subquery(page_ids),
        incident_date__in={r.incident_date for r in reports},
    ).values_list("pk", "member_medicaid_id", "incident_date", "organisation_id", "report_id")
    medicaid_of: dict[int, str] = {}
    by_day: dict[Day, list[tuple[int, str]]] = defaultdict(list)
    for pk, medicaid_id, day, organisation_id, report_id in same_days.order_by("report_id"):
        medicaid_of[pk] = medicaid_id
        by_day[(medicaid_id, day)].append((organisation_id, report_id))
    found: dict[int, list[str]] = {}
    for report in reports:
        same_day = by_day.get((medicaid_of.get(report.pk, ""), report.incident_date), [])
        ids = [rid for org, rid in same_day if org != report.organisation_id]
        if ids:
            found[report.pk] = ids
    return found


def mark_probable_duplicates(reports: Sequence[Report]) -> None:
    """Set ``probable_duplicates`` (a list of report ids, maybe empty) on each report."""
    found = probable_duplicates(reports)
    for report in reports:
        report.probable_duplicates = found.get(report.pk, [])  # type: ignore[attr-defined]
