"""Plans of correction: the MCO requests them, the provider answers, the MCO closes them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from carecover.errors import RuleError, ValidationError
from carecover.portal.compliance import services
from carecover.portal.compliance.access import (
    any_role,
    files_reports,
    mco_only,
    plan_for,
    portal_user,
)
from carecover.portal.compliance.forms import AnswerPlanForm, IssuePlanForm
from carecover.portal.compliance.models import PlanOfCorrection, PlanStatus


@any_role
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans the user may see: the organisation's own, or all for the MCO."""
    plans = services.visible_plans(portal_user(request))
    return render(request, "compliance/plan_list.html", {"plans": plans})


def _detail(
    request: HttpRequest, plan: PlanOfCorrection, form: AnswerPlanForm | None, status: int = 200
) -> HttpResponse:
    user = portal_user(request)
    can_answer = user.files_reports and plan.status != PlanStatus.CLOSED
    if can_answer and form is None:
        initial = {"area_out_of_compliance": plan.area_out_of_compliance}
        for n, item in enumerate(plan.corrections, start=1):
            initial |= {
                f"how_{n}": item["how"],
                f"by_when_{n}": item["by_when"],
                f"responsible_{n}": item["responsible"],
            }
        form = AnswerPlanForm(initial=initial)
    context = {
        "plan": plan,
        "form": form if can_answer else None,
        "can_close": user.is_mco and plan.status == PlanStatus.ANSWERED,
    }
    return render(request, "compliance/plan_detail.html", context, status=status)


@any_role
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One plan; the provider answers it here."""
    return _detail(request, plan_for(portal_user(request), pk), None)


@mco_only
@require_POST
def plan_issue(request: HttpRequest) -> HttpResponse:
    """Request a plan of correction for a late or missing period."""
    user = portal_user(request)
    form = IssuePlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an organisation and a period.")
        return redirect("compliance:providers")
    organisation = get_object_or_404(
        services.reporting_organisations(), code=form.cleaned_data["organisation"]
    )
    try:
        plan = services.issue_plan(
            user, organisation, form.cleaned_data["period_start"], today=timezone.localdate()
        )
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("compliance:providers")
    messages.success(
        request, f"Plan of correction requested from {organisation.name}, due {plan.due_on}."
    )
    return redirect("compliance:plan", pk=plan.pk)


@files_reports
@require_POST
def plan_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider sends its plan: each missing part is shown next to its field."""
    user = portal_user(request)
    plan = plan_for(user, pk)
    form = AnswerPlanForm(request.POST)
    if form.is_valid():
        try:
            services.answer_plan(
                user,
                plan,
                area_out_of_compliance=form.cleaned_data["area_out_of_compliance"],
                corrections=form.corrections(),
            )
        except ValidationError as exc:
            for problem in exc.problems:
                form.add_error(form.field_for(problem.field), problem.message)
        except RuleError as exc:
            messages.error(request, str(exc))
            return redirect("compliance:plan", pk=plan.pk)
        else:
            messages.success(request, "Plan of correction sent to the MCO.")
            return redirect("compliance:plan", pk=plan.pk)
    return _detail(request, plan, form, status=400)


@mco_only
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The MCO closes an answered plan."""
    user = portal_user(request)
    plan = plan_for(user, pk)
    try:
        services.close_plan(user, plan)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Plan of correction closed.")
    return redirect("compliance:plan", pk=plan.pk)
