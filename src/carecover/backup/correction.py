"""Plans of Correction for providers that did not report on time.

Partners (notice of 9 Jan 2023, effective 1 Feb 2023): a provider out of
compliance with backup-staffing reporting is asked for a Plan of Correction
(POC), due 15 calendar days after it is issued; corrections are targeted
within 60 days. The plan must name (1) the area out of compliance, (2) how
each correction will be made, (3) a timetable and (4) the responsible
person(s). The durations are data: ``data/backup/compliance_rules.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

from carecover.backup.compliance import ProviderPeriod, ProviderPeriodStatus
from carecover.backup.periods import PeriodScheme, ReportingPeriod
from carecover.errors import ConfigError, FieldProblem, RuleError, ValidationError

__all__ = [
    "ComplianceRules",
    "Correction",
    "PlanOfCorrection",
    "issue_plan",
    "load_compliance_rules",
    "plans_needed",
    "validate_plan_response",
]


@dataclass(frozen=True)
class ComplianceRules:
    """The compliance clock, read from ``compliance_rules.toml``."""

    grace_days: int
    response_due_days: int
    corrections_due_days: int
    source: str
    effective: date

    def scheme(self) -> PeriodScheme:
        """The default (semi-monthly) period scheme with this grace period."""
        return PeriodScheme.semi_monthly(grace_days=self.grace_days)


def load_compliance_rules(text: str | None = None) -> ComplianceRules:
    """Load the shipped rules (or ``text``, a TOML document in the same shape)."""
    if text is None:
        text = (
            resources.files("carecover")
            .joinpath("data/backup/compliance_rules.toml")
            .read_text(encoding="utf-8")
        )
    try:
        data: dict[str, Any] = tomllib.loads(text)
        reporting, poc = data["reporting"], data["plan_of_correction"]
        rules = ComplianceRules(
            grace_days=int(reporting["grace_days"]),
            response_due_days=int(poc["response_due_days"]),
            corrections_due_days=int(poc["corrections_due_days"]),
            source=str(poc["source"]),
            effective=poc["effective"],
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"compliance_rules.toml is malformed: {exc}") from None
    if (
        not isinstance(rules.effective, date)
        or min(rules.grace_days, rules.response_due_days, rules.corrections_due_days) < 0
    ):
        raise ConfigError("compliance_rules.toml: durations must be >= 0 and dates must be dates")
    return rules


@dataclass(frozen=True)
class Correction:
    """One correction: how it will be made, by when, and who is responsible."""

    how: str
    by_when: date | None
    responsible: str


@dataclass(frozen=True)
class PlanOfCorrection:
    """A Plan of Correction requested from one provider for one period."""

    provider_id: str
    period: ReportingPeriod
    issued_on: date
    due_on: date
    corrections_due_on: date
    area_out_of_compliance: str
    corrections: tuple[Correction, ...] = field(default=())


def plans_needed(rows: Iterable[ProviderPeriod]) -> list[ProviderPeriod]:
    """The provider-periods that are late or missing (each owes a plan)."""
    return [row for row in rows if row.non_compliant]


def issue_plan(
    provider_period: ProviderPeriod,
    *,
    issued_on: date,
    rules: ComplianceRules | None = None,
) -> PlanOfCorrection:
    """Open a plan for a non-compliant provider-period; the provider fills in corrections."""
    if not provider_period.non_compliant:
        raise RuleError(
            f"{provider_period.provider_id} is {provider_period.status} for "
            f"{provider_period.period.label}: no Plan of Correction is needed"
        )
    if issued_on <= provider_period.period.due:
        raise RuleError(f"a plan cannot be issued before the period is due ({issued_on})")
    rules = rules or load_compliance_rules()
    period = provider_period.period
    if provider_period.status is ProviderPeriodStatus.MISSING:
        area = (
            f"No Failure to Provide Backup Staffing report or Attestation of No Backup "
            f"Staffing Incidents for {period.label} (due {period.due})"
        )
    else:
        area = (
            f"Backup staffing reporting for {period.label} filed late "
            f"({provider_period.days_late} days after {period.due})"
        )
    return PlanOfCorrection(
        provider_id=provider_period.provider_id,
        period=period,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=rules.response_due_days),
        corrections_due_on=issued_on + timedelta(days=rules.corrections_due_days),
        area_out_of_compliance=area,
    )


def validate_plan_response(
    plan: PlanOfCorrection,
    *,
    area_out_of_compliance: str,
    corrections: Sequence[Correction],
    received_on: date | None = None,
) -> PlanOfCorrection:
    """Check a provider's response has the four required parts; return the completed plan.

    Raises ``ValidationError`` listing every missing part: the area out of
    compliance, how each correction will be made, a timetable (a date for
    each correction, no later than the 60-day target) and the responsible
    person(s). A response received after ``due_on`` is still validated; the
    caller decides what lateness means.
    """
    problems: list[FieldProblem] = []
    if not area_out_of_compliance.strip():
        problems.append(FieldProblem("area_out_of_compliance", "is required"))
    if not corrections:
        problems.append(FieldProblem("corrections", "at least one correction is required"))
    for n, item in enumerate(corrections, start=1):
        where = f"corrections[{n}]"
        if not item.how.strip():
            problems.append(FieldProblem(f"{where}.how", "say how the correction will be made"))
        if item.by_when is None:
            problems.append(FieldProblem(f"{where}.by_when", "a timetable date is required"))
        elif item.by_when > plan.corrections_due_on:
            problems.append(
                FieldProblem(
                    f"{where}.by_when",
                    f"{item.by_when} is after the corrections target {plan.corrections_due_on}",
                )
            )
        elif received_on is not None and item.by_when < received_on:
            problems.append(FieldProblem(f"{where}.by_when", "is before the plan was received"))
        if not item.responsible.strip():
            problems.append(FieldProblem(f"{where}.responsible", "name the responsible person"))
    if problems:
        raise ValidationError(problems)
    return PlanOfCorrection(
        provider_id=plan.provider_id,
        period=plan.period,
        issued_on=plan.issued_on,
        due_on=plan.due_on,
        corrections_due_on=plan.corrections_due_on,
        area_out_of_compliance=area_out_of_compliance.strip(),
        corrections=tuple(corrections),
    )
