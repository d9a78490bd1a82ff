"""The workspaces and reporting periods: what each organisation owes, and the attest action.

Provider and EOR users see their own organisation only; MCO users see who is
late or missing per period and request plans of correction (``plan_views``).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from carecover.backup.compliance import ProviderPeriod, provider_rates
from carecover.backup.export import compliance_table, to_csv
from carecover.backup.periods import ReportingPeriod
from carecover.backup.report import ReportStatus
from carecover.backup.rollup import KINDS
from carecover.errors import RuleError
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance import period_export, services
from carecover.portal.compliance.access import any_role, files_reports, mco_only, portal_user
from carecover.portal.compliance.forms import IssuePlanForm, PeriodForm
from carecover.portal.compliance.models import PlanOfCorrection, PlanStatus
from carecover.portal.compliance.withdrawals import visible_withdrawals
from carecover.portal.incidents.access import visible_reports

#: Rows of each short list on a workspace.
WORKSPACE_ROWS = 10
#: Periods shown in the MCO's compliance grid (about three months).
GRID_PERIODS = 6


@any_role
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """The home page of each role: a provider's to-do list, or the MCO's overview."""
    user = portal_user(request)
    if user.is_mco:
        return _mco_workspace(request, user)
    assert user.organisation is not None
    today = timezone.localdate()
    reports = visible_reports(user).select_related(None).only(
        "report_id", "incident_date", "service_code", "hours_without_staff", "status",
        "mco_comment", "version",
    )  # fmt: skip
    periods = services.periods_for(user.organisation, as_of=today)
    context = {
        "drafts": reports.filter(status=ReportStatus.DRAFT)[:WORKSPACE_ROWS],
        "returned": reports.filter(status=ReportStatus.RETURNED)[:WORKSPACE_ROWS],
        "periods": [(row, services.attestable(row, today=today)) for row in periods[:6]],
        "plans": services.visible_plans(user).exclude(status=PlanStatus.CLOSED),
    }
    return render(request, "compliance/workspace.html", context)


def _mco_workspace(request: HttpRequest, user: User) -> HttpResponse:
    today = timezone.localdate()
    rows = services.compliance_rows(
        services.reporting_organisations(), today - timedelta(days=45), today, as_of=today
    )
    context = {
        "awaiting_review": visible_reports(user).filter(status=ReportStatus.SUBMITTED).count(),
        "non_compliant": services.non_compliant(rows)[:WORKSPACE_ROWS],
        "plans": services.visible_plans(user).exclude(status=PlanStatus.CLOSED)[:WORKSPACE_ROWS],
        # The note to the MCO: a period attested "no incidents" now has a report.
        "withdrawn": visible_withdrawals(user)[:WORKSPACE_ROWS],
        "kinds": KINDS,
    }
    return render(request, "compliance/mco_workspace.html", context)


@files_reports
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    """The organisation's reporting periods (about six months) with status and attest buttons."""
    user = portal_user(request)
    assert user.organisation is not None
    today = timezone.localdate()
    rows = services.periods_for(user.organisation, as_of=today)
    context = {
        "periods": [(row, services.attestable(row, today=today)) for row in rows],
        "rules": services.rules(),
        "scheme": services.scheme(),
        "profile": services.profile(),
        "download_format": period_export.offered_format(),
    }
    return render(request, "compliance/periods.html", context)


@files_reports
@require_GET
@never_cache
def period_download(request: HttpRequest, label: str, extension: str) -> HttpResponse:
    """The organisation's filed reports of one period in the MCO's own layout (XLSX or a
    printable page), as an attachment. Audited; 404 when there is nothing to give."""
    user = portal_user(request)
    assert user.organisation is not None
    made = period_export.download(user, user.organisation, label, extension)
    if made is None:
        raise Http404
    response = HttpResponse(made.content, content_type=made.media_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@files_reports
@require_POST
def attest(request: HttpRequest) -> HttpResponse:
    """Attest that the organisation had no backup staffing incidents in one period."""
    user = portal_user(request)
    assert user.organisation is not None
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reporting period to attest.")
        return redirect("compliance:periods")
    try:
        row = services.attest_no_incidents(
            user, user.organisation, form.cleaned_data["period_start"]
        )
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Attested: no backup staffing incidents in the period from {row.period_start}.",
        )
    return redirect("compliance:periods")


Grid = list[tuple[str, str, list[ProviderPeriod | None]]]


def _grid(rows: list[ProviderPeriod]) -> tuple[list[ReportingPeriod], Grid]:
    """The newest periods as columns, one row per organisation."""
    shown = sorted({row.period for row in rows}, reverse=True)[:GRID_PERIODS]
    by_org: dict[str, dict[ReportingPeriod, ProviderPeriod]] = {}
    names: dict[str, str] = {}
    for row in rows:
        by_org.setdefault(row.provider_id, {})[row.period] = row
        names[row.provider_id] = row.provider_name
    grid = [(code, names[code], [by_org[code].get(p) for p in shown]) for code in sorted(by_org)]
    return shown, grid


@mco_only
@require_GET
def providers(request: HttpRequest) -> HttpResponse:
    """Every organisation per period, and the late and missing ones with their plans."""
    today = timezone.localdate()
    orgs = list(services.reporting_organisations())
    rows = services.compliance_rows(
        orgs, today - timedelta(days=services.HISTORY_DAYS), today, as_of=today
    )
    plans = {
        (plan.organisation.code, plan.period_start): plan
        for plan in PlanOfCorrection.objects.select_related("organisation")
    }
    periods_shown, grid = _grid(rows)
    context = {
        "periods": periods_shown,
        "grid": grid,
        "rates": provider_rates(rows),
        "late_or_missing": [
            (row, plans.get((row.provider_id, row.period.start)))
            for row in services.non_compliant(rows)
        ],
        "issue_form": IssuePlanForm(),
    }
    return render(request, "compliance/providers.html", context)


@mco_only
@require_GET
def providers_csv(request: HttpRequest) -> HttpResponse:
    """Every organisation per period as CSV (``export``: formula injection neutralised)."""
    user = portal_user(request)
    today = timezone.localdate()
    rows = services.compliance_rows(
        services.reporting_organisations(),
        today - timedelta(days=services.HISTORY_DAYS),
        today,
        as_of=today,
    )
    record(user, Action.EXPORT, object_type="compliance", object_id=today.isoformat())
    response = HttpResponse(to_csv([compliance_table(rows)]), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="compliance-{today}.csv"'
    return response
