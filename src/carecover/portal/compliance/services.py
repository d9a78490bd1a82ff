"""Reporting-period status, attestations and plans of correction, over the database.

The rules are ``carecover.backup.compliance`` (status of a period) and
``carecover.backup.correction`` (plans); this module only loads what they
need and stores what they decide. ``periods_for`` and ``attest_no_incidents``
are called by the pages and by the JSON API: keep their names.

Errors: ``PermissionDenied`` (Django) when the user may not act for the
organisation; ``RuleError`` when the rules refuse (e.g. attesting a period
with filed reports); ``ValidationError`` for an incomplete plan answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from carecover.backup import correction
from carecover.backup.compliance import (
    FILED_STATUSES,
    ProviderPeriod,
    period_compliance,
)
from carecover.backup.compliance import Attestation as DomainAttestation
from carecover.backup.correction import ComplianceRules, Correction, load_compliance_rules
from carecover.backup.mco import McoProfile, resolve_mco_profile
from carecover.backup.periods import PeriodScheme, ReportingPeriod
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    Member,
    ReporterKind,
    ReportStatus,
)
from carecover.errors import RuleError
from carecover.portal.accounts.models import Organisation, OrganisationKind, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance.models import Attestation, PlanOfCorrection, PlanStatus
from carecover.portal.incidents.models import Report

__all__ = [
    "HISTORY_DAYS",
    "answer_plan",
    "attest_no_incidents",
    "attestable",
    "close_plan",
    "compliance_rows",
    "domain_attestations",
    "filings",
    "issue_plan",
    "non_compliant",
    "periods_for",
    "profile",
    "reporting_organisations",
    "rules",
    "scheme",
    "visible_plans",
]

#: How far back the period lists go by default: about six months.
HISTORY_DAYS = 183


@cache
def rules() -> ComplianceRules:
    """The compliance clock of ``data/backup/compliance_rules.toml`` (read once)."""
    return load_compliance_rules()


@cache
def profile() -> McoProfile:
    """The MCO's profile (``carecover.backup.mco``): the shipped profile or file named by
    the ``CARECOVER_MCO_PROFILE`` setting (default: Partners). Read once."""
    return resolve_mco_profile(getattr(settings, "CARECOVER_MCO_PROFILE", "") or None)


def scheme() -> PeriodScheme:
    """How the calendar is cut into reporting periods: the MCO profile's scheme, with the
    rules' grace days."""
    return profile().scheme(rules().grace_days)


def reporting_organisations() -> QuerySet[Organisation]:
    """Provider agencies and Employers of Record: everyone expected to report."""
    return Organisation.objects.filter(kind__in=[OrganisationKind.PROVIDER, OrganisationKind.EOR])


# Placeholders: ``period_compliance`` reads only who filed, for which date, when
# and in which status, so filings are loaded as those columns alone.
_NOBODY = Contact("", "", "")
_NO_MEMBER = Member("", "", date(1900, 1, 1), "")


def filings(organisations: Sequence[Organisation], first: date, last: date) -> list[BackupReport]:
    """The reports filed (submitted, accepted or returned) by ``organisations`` in the dates.

    Only the columns compliance needs are read; member and contact are blank.
    """
    codes = {org.pk: org.code for org in organisations}
    rows = Report.objects.filter(
        organisation_id__in=list(codes),
        incident_date__range=(first, last),
        status__in=[s.value for s in FILED_STATUSES],
    ).values_list(
        "organisation_id",
        "provider_name",
        "incident_date",
        "status",
        "submitted_at",
        "first_submitted_at",
        "learned_on",
    )
    return [
        BackupReport(
            report_id="",
            reporter_kind=ReporterKind.PROVIDER,
            provider_id=codes[org_id],
            provider_name=name,
            contact=_NOBODY,
            member=_NO_MEMBER,
            incident_date=day,
            service_code="",
            scheduled_start=time(0),
            scheduled_end=time(0),
            hours_without_staff=0.0,
            backup_status=BackupStatus.NOT_AVAILABLE,
            status=ReportStatus(status),
            # Local time: a filing's date is the MCO's calendar day.
            submitted_at=timezone.localtime(submitted) if submitted else None,
            first_submitted_at=timezone.localtime(first) if first else None,
            learned_on=learned,
        )
        for org_id, name, day, status, submitted, first, learned in rows
    ]


def domain_attestations(
    organisations: Sequence[Organisation], first: date, last: date
) -> list[DomainAttestation]:
    """The attestations of ``organisations`` for periods starting in ``first``..``last``."""
    codes = {org.pk: org.code for org in organisations}
    rows = Attestation.objects.filter(
        organisation_id__in=list(codes), period_start__range=(first, last)
    ).values_list("organisation_id", "period_start", "attested_at")
    return [
        DomainAttestation(codes[org_id], start, timezone.localtime(at))
        for org_id, start, at in rows
    ]


def compliance_rows(
    organisations: Iterable[Organisation], first: date, last: date, *, as_of: date
) -> list[ProviderPeriod]:
    """One row per organisation and period overlapping ``first``..``last`` (compliance)."""
    orgs = list(organisations)
    periods = scheme().periods_between(first, last)
    start, end = periods[0].start, periods[-1].end
    return period_compliance(
        filings(orgs, start, end),
        domain_attestations(orgs, start, end),
        [org.code for org in orgs],
        first,
        last,
        as_of=as_of,
        scheme=scheme(),
        provider_names={org.code: org.name for org in orgs},
        required_from=profile().required_from,
        reporting_from={org.code: org.reporting_since for org in orgs if org.reporting_since},
    )


def periods_for(
    organisation: Organisation,
    *,
    as_of: date,
    first: date | None = None,
    last: date | None = None,
) -> list[ProviderPeriod]:
    """The organisation's reporting periods with their status, newest first.

    From ``first`` (default: about six months before ``as_of``) to ``last``
    (default: ``as_of``, so the period under way shows as ``due``).
    """
    first = first or as_of - timedelta(days=HISTORY_DAYS)
    last = last or as_of
    rows = compliance_rows([organisation], first, last, as_of=as_of)
    return sorted(rows, key=lambda row: row.period.start, reverse=True)


def _may_file_for(user: User, organisation: Organisation) -> None:
    if not user.files_reports or user.organisation_id != organisation.pk:
        raise PermissionDenied


def _period(period: ReportingPeriod | date) -> ReportingPeriod:
    # Any day of the period names it; the stored start is always the first day.
    day = period.start if isinstance(period, ReportingPeriod) else period
    return scheme().period_for(day)


def attest_no_incidents(
    user: User,
    organisation: Organisation,
    period: ReportingPeriod | date,
    *,
    now: datetime | None = None,
) -> Attestation:
    """Record that ``organisation`` had no backup staffing incidents in ``period``.

    ``period`` is a ``ReportingPeriod`` or any day inside one. Refused
    (``RuleError``) before the period has ended, when the organisation filed a
    report for it, holds a draft in it (submit or delete it first), or when it
    was already attested. ``PermissionDenied`` unless
    ``user`` files reports for ``organisation``. Audited.
    """
    _may_file_for(user, organisation)
    now = now or timezone.now()
    chosen = _period(period)
    today = timezone.localdate(now)
    if today <= chosen.end:
        raise RuleError(f"the period {chosen.label} ends on {chosen.end}: attest once it is over")
    with transaction.atomic():
        filed = Report.objects.filter(
            organisation=organisation,
            incident_date__range=(chosen.start, chosen.end),
            status__in=[s.value for s in FILED_STATUSES],
        ).count()
        if filed:
            raise RuleError(
                f"you filed {filed} report(s) for {chosen.label}: there is nothing to attest"
            )
        drafts = list(
            Report.objects.filter(
                organisation=organisation,
                incident_date__range=(chosen.start, chosen.end),
                status=ReportStatus.DRAFT,
            )
            .order_by("report_id")
            .values_list("report_id", flat=True)
        )
        if drafts:
            # A draft is an incident the organisation has not finished reporting:
            # attesting "no incidents" over it would contradict it.
            raise RuleError(
                f"you have {len(drafts)} draft report(s) for {chosen.label} "
                f"({', '.join(drafts)}): submit or delete them before attesting no incidents"
            )
        existing = Attestation.objects.filter(
            organisation=organisation, period_start=chosen.start
        ).first()
        if existing is not None:
            raise RuleError(
                f"{chosen.label} was already attested on {timezone.localdate(existing.attested_at)}"
            )
        row = Attestation.objects.create(
            organisation=organisation, period_start=chosen.start, attested_at=now, attested_by=user
        )
        record(
            user,
            Action.CREATE,
            object_type="attestation",
            object_id=str(row.pk),
            after={"organisation": organisation.code, "period_start": chosen.start.isoformat()},
        )
    return row


def visible_plans(user: User) -> QuerySet[PlanOfCorrection]:
    """The plans ``user`` may see: MCO users all, filers their organisation's."""
    plans = PlanOfCorrection.objects.select_related("organisation")
    if user.is_mco:
        return plans
    if user.files_reports:
        return plans.filter(organisation=user.organisation)
    return plans.none()


def _domain_plan(row: PlanOfCorrection) -> correction.PlanOfCorrection:
    return correction.PlanOfCorrection(
        provider_id=row.organisation.code,
        period=ReportingPeriod(row.period_start, row.period_end, row.period_due),
        issued_on=row.issued_on,
        due_on=row.due_on,
        corrections_due_on=row.corrections_due_on,
        area_out_of_compliance=row.area_out_of_compliance,
    )


def issue_plan(
    user: User, organisation: Organisation, period_start: date, *, today: date
) -> PlanOfCorrection:
    """The MCO requests a plan of correction for a late or missing period (``issue_plan``)."""
    if not user.is_mco:
        raise PermissionDenied
    chosen = _period(period_start)
    with transaction.atomic():
        if PlanOfCorrection.objects.filter(
            organisation=organisation, period_start=chosen.start
        ).exists():
            raise RuleError(f"a plan of correction for {chosen.label} was already requested")
        rows = compliance_rows([organisation], chosen.start, chosen.end, as_of=today)
        if not rows:
            raise RuleError(
                f"{chosen.label} ended before reporting was required "
                f"({profile().required_from}): nothing was due"
            )
        plan = correction.issue_plan(rows[0], issued_on=today, rules=rules())
        row = PlanOfCorrection.objects.create(
            organisation=organisation,
            period_start=plan.period.start,
            period_end=plan.period.end,
            period_due=plan.period.due,
            period_status=str(rows[0].status),
            issued_on=plan.issued_on,
            due_on=plan.due_on,
            corrections_due_on=plan.corrections_due_on,
            area_out_of_compliance=plan.area_out_of_compliance,
            issued_by=user,
        )
        record(
            user,
            Action.CREATE,
            object_type="plan_of_correction",
            object_id=str(row.pk),
            after={
                "organisation": organisation.code,
                "period_start": plan.period.start.isoformat(),
                "due_on": plan.due_on.isoformat(),
            },
        )
    return row


def _correction_json(item: Correction) -> dict[str, str]:
    return {
        "how": item.how,
        "by_when": item.by_when.isoformat() if item.by_when else "",
        "responsible": item.responsible,
    }


def answer_plan(
    user: User,
    plan: PlanOfCorrection,
    *,
    area_out_of_compliance: str,
    corrections: Sequence[Correction],
    now: datetime | None = None,
) -> PlanOfCorrection:
    """The provider answers a plan (``validate_plan_response`` checks the four parts)."""
    _may_file_for(user, plan.organisation)
    if plan.status == PlanStatus.CLOSED:
        raise RuleError("this plan of correction is closed")
    now = now or timezone.now()
    done = correction.validate_plan_response(
        _domain_plan(plan),
        area_out_of_compliance=area_out_of_compliance,
        corrections=corrections,
        received_on=timezone.localdate(now),
    )
    before = {"status": plan.status, "corrections": plan.corrections}
    plan.area_out_of_compliance = done.area_out_of_compliance
    plan.corrections = [_correction_json(item) for item in done.corrections]
    plan.status = PlanStatus.ANSWERED
    plan.answered_at, plan.answered_by = now, user
    plan.save()
    record(
        user,
        Action.CHANGE,
        object_type="plan_of_correction",
        object_id=str(plan.pk),
        before=before,
        after={"status": plan.status, "corrections": plan.corrections},
    )
    return plan


def close_plan(user: User, plan: PlanOfCorrection, *, now: datetime | None = None) -> None:
    """The MCO closes an answered plan."""
    if not user.is_mco:
        raise PermissionDenied
    if plan.status != PlanStatus.ANSWERED:
        raise RuleError(f"only an answered plan can be closed; this one is {plan.status}")
    plan.status = PlanStatus.CLOSED
    plan.closed_at, plan.closed_by = now or timezone.now(), user
    plan.save()
    record(
        user,
        Action.CHANGE,
        object_type="plan_of_correction",
        object_id=str(plan.pk),
        before={"status": PlanStatus.ANSWERED},
        after={"status": PlanStatus.CLOSED},
    )


def non_compliant(rows: Iterable[ProviderPeriod]) -> list[ProviderPeriod]:
    """Late or missing provider-periods, newest period first (``plans_needed``)."""
    needed = correction.plans_needed(rows)
    return sorted(needed, key=lambda r: (-r.period.start.toordinal(), r.provider_id))


def attestable(row: ProviderPeriod, *, today: date) -> bool:
    """Whether the page offers "attest no incidents": over, nothing filed, not attested."""
    return today > row.period.end and row.reports == 0 and not row.attested
