"""``/api/periods``: reporting periods with their status, and attesting no incidents.

A thin edge over ``compliance.services`` (``periods_for``,
``attest_no_incidents``, ``attestable``): the rules of a period's status and
of attesting live there and in ``carecover.backup.compliance``. Filers see
their own organisation's periods; MCO users name a provider by its number.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from carecover.backup.compliance import ProviderPeriod, ProviderPeriodStatus
from carecover.errors import FieldProblem, InputError, ValidationError
from carecover.portal.accounts.api import api_user
from carecover.portal.accounts.models import Organisation
from carecover.portal.apierrors import ERRORS
from carecover.portal.compliance.services import (
    attest_no_incidents,
    attestable,
    periods_for,
    reporting_organisations,
)
from carecover.portal.queryparams import FIRST_DAY, LAST_DAY

__all__ = ["router"]

#: The longest span one request may ask for (the status is computed, not stored).
MAX_SPAN = timedelta(days=366)


class PeriodOut(Schema):
    """One reporting period of one organisation."""

    provider_id: str
    start: date
    end: date
    due: date
    status: ProviderPeriodStatus
    reports: int
    late_reports: int
    attested: bool
    days_late: int
    can_attest: bool


class PeriodFilters(Schema):
    """Which organisation (MCO users only) and which dates (default: about six months)."""

    provider_id: str | None = Field(default=None, max_length=40)
    # Bounded like every query parameter (``queryparams``): 9999-12-31 overflowed the periods.
    first: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    last: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)


class AttestationOut(Schema):
    """An Attestation of No Backup Staffing Incidents, as recorded."""

    provider_id: str
    period_start: date
    attested_at: datetime


def _out(row: ProviderPeriod, today: date) -> PeriodOut:
    return PeriodOut(
        provider_id=row.provider_id,
        start=row.period.start,
        end=row.period.end,
        due=row.period.due,
        status=row.status,
        reports=row.reports,
        late_reports=row.late_reports,
        attested=row.attested,
        days_late=row.days_late,
        can_attest=attestable(row, today=today),
    )


router = Router(tags=["periods"])


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="List reporting periods")
def list_periods(request: HttpRequest, filters: Query[PeriodFilters]) -> list[PeriodOut]:
    """The caller's organisation's periods with their status, newest first.

    MCO users give ``provider_id``; a filer's own organisation is implied (and
    naming another one is a 404).
    """
    user = api_user(request)
    organisations = reporting_organisations()
    if user.is_mco:
        if not filters.provider_id:
            raise ValidationError([FieldProblem("provider_id", "name the provider (its number)")])
        organisation: Organisation = get_object_or_404(organisations, code=filters.provider_id)
    else:
        organisation = get_object_or_404(organisations, pk=user.organisation_id)
        if filters.provider_id and filters.provider_id != organisation.code:
            raise HttpError(404, "Not Found")
    today = timezone.localdate()
    if filters.first and filters.first > (filters.last or today):
        raise ValidationError([FieldProblem("first", "must not be after last")])
    if filters.first and (filters.last or today) - filters.first > MAX_SPAN:
        raise ValidationError([FieldProblem("first", "ask for at most 366 days at a time")])
    rows = periods_for(organisation, as_of=today, first=filters.first, last=filters.last)
    return [_out(row, today) for row in rows]


@router.post(
    "/periods/{period_start}/attest",
    response={201: AttestationOut, **ERRORS},
    summary="Attest no incidents for a period",
)
def attest_period(request: HttpRequest, period_start: date) -> Status[AttestationOut]:
    """Attest that the caller's organisation had no incidents in the period holding that day.

    409 when the period is not over, has filed reports, or was attested already.
    """
    user = api_user(request)
    if not user.files_reports or user.organisation is None:
        raise HttpError(403, "only provider and Employer of Record accounts attest")
    if not FIRST_DAY <= period_start <= LAST_DAY:
        # The year 9999 overflowed the period arithmetic (a 500): refused as input.
        raise InputError(f"a day from {FIRST_DAY.year} to {LAST_DAY.year}", field="period_start")
    row = attest_no_incidents(user, user.organisation, period_start)
    return Status(
        201,
        AttestationOut(
            provider_id=user.organisation.code,
            period_start=row.period_start,
            attested_at=row.attested_at,
        ),
    )
