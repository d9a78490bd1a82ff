"""The MCO's roll-ups as pages with charts, a print-ready page and CSV / XLSX downloads.

``reporting.rollup_for`` asks ``carecover.backup.rollup`` for the figures;
these views only lay them out. Downloads go through ``carecover.backup.export``
(formula injection neutralised) and are audited.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from carecover.backup.rollup import KINDS, Cell, Rollup, RollupKind, Table
from carecover.errors import InputError
from carecover.portal import queryparams
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance import charts, reporting
from carecover.portal.compliance.access import mco_only, portal_user
from carecover.portal.compliance.forms import RollupPeriodForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(kind: str) -> RollupKind:
    try:
        return RollupKind(kind)
    except ValueError:
        raise Http404 from None


def _period(request: HttpRequest, kind: RollupKind) -> str | None:
    """``?period=``, within ``queryparams``' bounds (``9999-12`` would overflow the trend)."""
    return queryparams.period(request.GET, "period", quarterly=KINDS[kind].quarterly)


def _number(cell: Cell) -> float:
    """A table cell as a bar's value (blank and non-numbers count 0)."""
    return float(cell) if isinstance(cell, int | float) else 0.0


def _column(table: Table, name: str) -> list[Cell]:
    """The cells of column ``name`` of ``table``."""
    at = table.columns.index(name)
    return [row[at] for row in table.rows]


def _charts(page: reporting.RollupPage) -> list[charts.Chart]:
    rollup = page.rollup
    reasons = rollup.table("by_reason")
    providers = rollup.table("by_provider")
    trend = page.trend
    columns = {name: i for i, name in enumerate(trend.columns)}
    periods = len(trend.rows)
    provider_names = [
        str(name or code)
        for name, code in zip(
            _column(providers, "provider_name"), _column(providers, "provider_id"), strict=True
        )
    ]
    return [
        charts.horizontal_bars(
            "chart-by-reason",
            "Reports by reason backup staff was not provided",
            [
                (str(label), _number(n))
                for label, n in zip(
                    _column(reasons, "reason_label"), _column(reasons, "reports"), strict=True
                )
            ],
        ),
        charts.horizontal_bars(
            "chart-by-provider",
            "Reports by provider / EOR",
            [
                (name, _number(n))
                for name, n in zip(provider_names, _column(providers, "reports"), strict=True)
            ],
        ),
        charts.columns(
            "chart-trend",
            f"Reports per period (last {periods})",
            [(str(row[0]), _number(row[columns["reports"]])) for row in trend.rows],
        ),
        charts.columns(
            "chart-hours",
            f"Hours without staff per period (last {periods})",
            [
                (str(row[0]), _number(row[columns["hours_without_staff_total"]]))
                for row in trend.rows
            ],
        ),
    ]


def _page(request: HttpRequest, kind: str, template: str) -> HttpResponse:
    chosen = _kind(kind)
    today = timezone.localdate()
    form = RollupPeriodForm(request.GET or {"period": reporting.default_period(chosen, today)})
    period = reporting.default_period(chosen, today)
    status = 200
    try:
        period = _period(request, chosen) or period
        page = reporting.rollup_for(chosen, period, as_of=today)
    except InputError as exc:
        form.add_error("period", exc.reason)
        page = reporting.rollup_for(chosen, reporting.default_period(chosen, today), as_of=today)
        status = 400
    context = {
        "kind": chosen,
        "kinds": KINDS,
        "form": form,
        "page": page,
        "rollup": page.rollup,
        "charts": _charts(page),
        "trend": _shown(page.trend),
        "tables": [_shown(table) for table in page.rollup.tables],
        "page_rows": PAGE_ROWS,
    }
    if _identifies_members(page.rollup):
        _audit_identity(request, page.rollup)
    return render(request, template, context, status=status)


#: A code column shown on pages only through its label twin (exports keep both).
_LABEL_TWINS = {
    "figure": "label",
    "reason": "reason_label",
    "backup_status": "backup_status_label",
    "status": "status_label",
    "reporter_kind": "reporter_kind_label",
}


#: Rows of one table a page shows; the downloads hold them all. A month's
#: incident list can run to tens of thousands of reports: a page that long
#: helps no committee and takes seconds to send.
PAGE_ROWS = 500


def _shown(table: Table) -> tuple[Table, list[str], SafeString, int]:
    """A table as a page shows it: labels, not codes (a code whose label is beside it is
    left out), with its headers in words and its first ``PAGE_ROWS`` rows as HTML; and
    how many rows were left for the downloads."""
    keep = [
        i for i, name in enumerate(table.columns) if _LABEL_TWINS.get(name) not in table.columns
    ]
    headers = [table.headers[i] for i in keep]
    rows = tuple(tuple(row[i] for i in keep) for row in table.rows[:PAGE_ROWS])
    columns = tuple(table.columns[i] for i in keep)
    body = _body(Table(table.name, table.title, columns, rows))
    return table, headers, body, max(0, len(table.rows) - PAGE_ROWS)


def _identifies_members(rollup: Rollup) -> bool:
    return any("medicaid_id" in table.columns and table.rows for table in rollup.tables)


def _audit_identity(request: HttpRequest, rollup: Rollup) -> None:
    # The committee tables list members by Medicaid id: who looked is recorded.
    record(
        portal_user(request),
        Action.VIEW_IDENTITY,
        object_type="rollup",
        object_id=f"{rollup.kind}:{rollup.start}",
        after={"start": str(rollup.start), "end": str(rollup.end)},
    )


def _body(table: Table) -> SafeString:
    """A table's rows as HTML, built here: a template loop over the HRC report's
    thousands of repeated-member cells took half a second. Cells render as the
    template would render them (localized, escaped, None as "n/a")."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">None.</td></tr>', len(table.columns))
    shown: dict[tuple[type, Cell], str] = {}  # a quarter has few distinct dates and counts

    def cell(value: Cell) -> str:
        key = (type(value), value)
        if key not in shown:
            shown[key] = conditional_escape("n/a" if value is None else localize(value))
        return shown[key]

    rows = ("".join(f"<td>{cell(c)}</td>" for c in row) for row in table.rows)
    return mark_safe("".join(f"<tr>{row}</tr>" for row in rows))  # noqa: S308 (cells escaped)


@mco_only
@require_GET
def rollup_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The monthly snapshot or a quarterly report, with charts and downloads."""
    return _page(request, kind, "compliance/rollup.html")


@mco_only
@require_GET
def rollup_print(request: HttpRequest, kind: str) -> HttpResponse:
    """The same roll-up laid out for paper (print stylesheet, no navigation)."""
    return _page(request, kind, "compliance/rollup_print.html")


def _rollup(request: HttpRequest, kind: RollupKind) -> reporting.RollupPage:
    today = timezone.localdate()
    # A period out of bounds is a 400 page (``queryparams.BadQueryMiddleware``).
    period = _period(request, kind) or reporting.default_period(kind, today)
    try:
        return reporting.rollup_for(kind, period, as_of=today)
    except InputError:
        raise Http404 from None


def _audit(request: HttpRequest, rollup: Rollup, extension: str) -> None:
    # The object id fits the audit column (40 characters); the rest goes in "after".
    record(
        portal_user(request),
        Action.EXPORT,
        object_type="rollup",
        object_id=f"{rollup.kind}:{rollup.start}",
        after={"format": extension, "start": str(rollup.start), "end": str(rollup.end)},
    )


def _filename(rollup: Rollup, extension: str) -> str:
    return f"{rollup.kind}-{rollup.start}-{rollup.end}.{extension}"


@mco_only
@require_GET
def rollup_csv(request: HttpRequest, kind: str) -> HttpResponse:
    """The roll-up and its trend as CSV."""
    page = _rollup(request, _kind(kind))
    rollup = page.rollup
    _audit(request, rollup, "csv")
    response = HttpResponse(reporting.rollup_csv(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(rollup, "csv")}"'
    return response


@mco_only
@require_GET
def rollup_xlsx(request: HttpRequest, kind: str) -> HttpResponse:
    """The roll-up and its trend as an XLSX workbook, one sheet per table."""
    page = _rollup(request, _kind(kind))
    rollup = page.rollup
    name = _filename(rollup, "xlsx")
    _audit(request, rollup, "xlsx")
    response = HttpResponse(reporting.rollup_xlsx(page), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
