"""Compliance test set-up: reports filed on chosen days, through the portal's own filing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from carecover.backup.periods import ReportingPeriod
from carecover.portal.accounts.models import User
from carecover.portal.compliance import services
from carecover.portal.incidents import filing
from carecover.portal.incidents.forms import ReportForm
from carecover.portal.incidents.models import Report
from tests.portal.conftest import report_form

FileReport = Callable[..., Report]


def at(day: date, hour: int = 10) -> datetime:
    """``day`` at ``hour`` o'clock, MCO time."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def today() -> date:
    """The MCO's calendar day."""
    return timezone.localdate()


@pytest.fixture
def past_period(today: date) -> ReportingPeriod:
    """A reporting period whose due date passed weeks ago."""
    return services.scheme().period_for(today - timedelta(days=40))


@pytest.fixture
def file_report(today: date) -> FileReport:
    """Save a draft through ``filing`` and, given ``submitted``, submit it then."""

    def make(
        user: User, incident: date, submitted: datetime | None = None, **changes: Any
    ) -> Report:
        assert user.organisation is not None
        data = report_form(incident_date=incident.isoformat(), **changes)
        if user.organisation.code != "PRV001":
            data["site"] = ""
        form = ReportForm(data, organisation=user.organisation, today=today)
        assert form.is_valid(), form.errors
        assert form.report is not None
        row = filing.create_draft(user, form.report, today=today)
        if submitted is not None:
            row = filing.submit(user, row, now=submitted, today=today)
        return row

    return make
