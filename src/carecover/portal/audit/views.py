"""``/audit/``: the audit log for MCO administrators, filtered, and its CSV export.

The export neutralises spreadsheet formula injection with
``carecover.backup.export.neutralise`` and is itself audited.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carecover.backup.export import neutralise
from carecover.portal import queryparams
from carecover.portal.accounts.access import mco_admin_only, portal_user
from carecover.portal.audit.forms import AuditFilterForm
from carecover.portal.audit.identity import events_shown
from carecover.portal.audit.models import Action, AuditEvent
from carecover.portal.audit.recording import record

PAGE_SIZE = 50
#: The CSV's columns, in order.
COLUMNS = (
    "at",
    "actor_username",
    "actor_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "via",
    "before",
    "after",
)


@mco_admin_only
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every audit event, newest first, with filters and pagination."""
    filters = AuditFilterForm(request.GET or None)
    page = Paginator(filters.events(), PAGE_SIZE).get_page(
        queryparams.text(request.GET, "page", max_length=20)
    )
    # Events hold what was filed (member names, Medicaid ids): the page is a view of them.
    events_shown(portal_user(request), [event.pk for event in page])
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": filters, "query": query.urlencode()}
    status = 400 if filters.is_bound and filters.errors else 200
    return render(request, "audit/log.html", context, status=status)


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _cells(event: AuditEvent) -> list[Any]:
    return [
        timezone.localtime(event.at).isoformat(),
        event.actor_username,
        event.actor_id,
        event.organisation_id,
        event.action,
        event.object_type,
        event.object_id,
        event.via or "",
        _json(event.before),
        _json(event.after),
    ]


class _Echo:
    """A file-like object whose ``write`` returns the line (streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events: Any) -> Iterator[str]:
    """The CSV text of ``events``, line by line, every text cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([neutralise(cell) for cell in _cells(event)])


# The decorators are typed for HttpResponse; a streamed CSV works the same way.
@mco_admin_only  # type: ignore[arg-type]
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered events as CSV; the export itself is recorded first."""
    filters = AuditFilterForm(request.GET or None)
    events = filters.events()
    record(
        portal_user(request),
        Action.EXPORT,
        object_type="audit_log",
        object_id="csv",
        after={"filters": filters.applied(), "rows": events.count()},
    )
    response = StreamingHttpResponse(csv_lines(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
