"""The report list: filters and keyset pagination, fast on large tables.

Pages walk ``(incident_date, id)`` newest first from a cursor instead of an
offset, so page 4,000 costs what page 1 does; each filter column has an index
that ends in ``incident_date`` (``Report.Meta.indexes``). The total shown is
counted up to ``COUNT_CAP`` only. Rows are read without joins: the list shows
ids and codes, never a member's identifying data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from carecover.portal.incidents.models import Report

__all__ = ["COUNT_CAP", "LIST_COLUMNS", "PAGE_SIZE", "KeysetPage", "apply_filters", "keyset_page"]

PAGE_SIZE = 25
#: Totals above this show as "more than 10,000": an exact count is a full scan.
COUNT_CAP = 10_000
#: The only columns the list reads.
LIST_COLUMNS = (
    "id",
    "report_id",
    "organisation_id",
    "member_id",
    "provider_id",
    "provider_name",
    "incident_date",
    "service_code",
    "hours_without_staff",
    "backup_status",
    "reason",
    "status",
    "version",
)


@dataclass(frozen=True)
class KeysetPage:
    """One page of reports and the cursors of its neighbours (None at either end)."""

    reports: list[Report]
    next_cursor: str | None
    previous_cursor: str | None
    count: int
    capped: bool

    def __iter__(self) -> Any:
        """Iterate the page's reports (templates write ``for report in page``)."""
        return iter(self.reports)


def apply_filters(reports: QuerySet[Report], data: Mapping[str, Any]) -> QuerySet[Report]:
    """Narrow ``reports`` by the cleaned values of ``ReportFilterForm`` (blank = any)."""
    exact = {
        "status": "status",
        "member": "member_id",
        "reason": "reason",
        "report_type": "backup_status",
    }
    for name, column in exact.items():
        if data.get(name):
            reports = reports.filter(**{column: data[name]})
    if data.get("provider"):
        reports = reports.filter(provider_id=data["provider"].strip().upper())
    if data.get("service"):
        reports = reports.filter(service_code=data["service"].strip().upper().replace(" ", ""))
    if data.get("incident_from"):
        reports = reports.filter(incident_date__gte=data["incident_from"])
    if data.get("incident_to"):
        reports = reports.filter(incident_date__lte=data["incident_to"])
    return reports


def _cursor(report: Report) -> str:
    return f"{report.incident_date.isoformat()}.{report.pk}"


def _parse(cursor: str | None) -> tuple[date, int] | None:
    if not cursor:
        return None
    day, _, pk = cursor.partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None  # a mangled cursor starts again from the newest


def keyset_page(
    reports: QuerySet[Report],
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """The page after cursor ``after`` (older reports) or before ``before`` (newer)."""
    reports = reports.select_related(None).only(*LIST_COLUMNS)
    capped_total = reports.order_by()[: COUNT_CAP + 1].count()
    going_back = _parse(before)
    going_on = None if going_back else _parse(after)
    if going_back:
        day, pk = going_back
        # The redundant ``gte`` lets the database range-scan the index.
        rows = list(
            reports.filter(Q(incident_date__gt=day) | Q(incident_date=day, id__gt=pk))
            .filter(incident_date__gte=day)
            .order_by("incident_date", "id")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_newer, has_older = more_newer, True
    else:
        query = reports.order_by("-incident_date", "-id")
        if going_on:
            day, pk = going_on
            query = query.filter(Q(incident_date__lt=day) | Q(incident_date=day, id__lt=pk)).filter(
                incident_date__lte=day
            )
        rows = list(query[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = going_on is not None
    return KeysetPage(
        reports=rows,
        next_cursor=_cursor(rows[-1]) if rows and has_older else None,
        previous_cursor=_cursor(rows[0]) if rows and has_newer else None,
        count=min(capped_total, COUNT_CAP),
        capped=capped_total > COUNT_CAP,
    )
