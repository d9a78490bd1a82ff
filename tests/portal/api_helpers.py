"""Shared fixtures of the API tests: a bearer-token client per persona and a payload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import TokenScope, User
from carecover.portal.accounts.tokens import issue_token

ApiClient = Callable[[str], Client]


def report_payload(**changes: Any) -> dict[str, Any]:
    """A valid ``POST /api/reports`` body for the day before today, with ``changes``."""
    day = timezone.localdate() - timedelta(days=1)
    data: dict[str, Any] = {
        "member": {
            "first_name": "Casey",
            "last_name": "Dixon",
            "date_of_birth": "1980-05-17",
            "medicaid_id": "900001234A",
        },
        "site_id": "S1",
        "incident_date": day.isoformat(),
        "service_code": "T2013TF",
        "scheduled_start": "08:00",
        "scheduled_end": "14:00",
        "hours_without_staff": 6,
        "backup_status": "not_available",
        "reason": "short_notice",
    }
    data.update(changes)
    return data


@pytest.fixture
def tokens(personas: dict[str, User]) -> dict[str, str]:
    """A live read-and-file API token per persona (in clear, as shown once on creation)."""
    return {
        name: issue_token(user, name="vendor", by=user, scope=TokenScope.FILE)[1]
        for name, user in personas.items()
    }


@pytest.fixture
def api_as(tokens: dict[str, str]) -> ApiClient:
    """A client sending ``Authorization: Bearer`` for a persona; ``anonymous`` sends none."""

    def client_for(name: str) -> Client:
        if name == "anonymous":
            return Client()
        return Client(headers={"Authorization": f"Bearer {tokens[name]}"})

    return client_for
