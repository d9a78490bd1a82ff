"""Portal test set-up: Django settings from a fixed test environment, and personas.

The suite runs on SQLite by default and on PostgreSQL when
``CARECOVER_TEST_DATABASE_URL`` is set (pytest-django creates ``test_<name>``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest

TEST_SECRET_KEY = "test-only-secret-key-for-the-portal-suite-0123456789"

os.environ["CARECOVER_SECRET_KEY"] = TEST_SECRET_KEY
os.environ["CARECOVER_DATABASE_URL"] = (
    os.environ.get("CARECOVER_TEST_DATABASE_URL") or "sqlite:///portal-test.sqlite3"
)
# The test client speaks plain http; secure-cookie settings are checked separately.
os.environ["CARECOVER_HTTPS"] = "false"
os.environ["CARECOVER_ALLOWED_HOSTS"] = "testserver,localhost"
os.environ["DJANGO_SETTINGS_MODULE"] = "carecover.portal.settings"
# Facility stores (DuckDB files) of tests that do not pick their own folder.
os.environ["CARECOVER_FACILITY_STORES"] = tempfile.mkdtemp(prefix="carecover-test-stores-")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from carecover.portal.accounts.models import (  # noqa: E402
    Organisation,
    OrganisationKind,
    Role,
    Site,
    User,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _own_facility_stores(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test its own folder of facility stores (DuckDB files outlive transactions)."""
    settings.CARECOVER_FACILITY_STORES = tmp_path_factory.mktemp("stores")


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    """A provider agency with a site, a second agency, an EOR and the MCO."""
    piedmont = Organisation.objects.create(
        name="Piedmont Community Supports",
        kind=OrganisationKind.PROVIDER,
        code="PRV001",
        contact_name="Jordan Reyes",
        contact_phone="919-555-0142",
        contact_email="quality@prv001.example",
    )
    Site.objects.create(organisation=piedmont, code="S1", name="Durham office")
    other = Organisation.objects.create(
        name="Blue Ridge Family Services", kind=OrganisationKind.PROVIDER, code="PRV002"
    )
    eor = Organisation.objects.create(
        name="Avery Allen (Employer of Record)", kind=OrganisationKind.EOR, code="EOR001"
    )
    mco = Organisation.objects.create(name="Trillium", kind=OrganisationKind.MCO, code="MCO")
    return {"provider": piedmont, "other": other, "eor": eor, "mco": mco}


def _user(username: str, org: Organisation, role: Role) -> User:
    # No password: personas sign in with force_login (argon2 is slow on purpose).
    return User.objects.create_user(username, password=None, organisation=org, role=role)


@pytest.fixture
def personas(orgs: dict[str, Organisation]) -> dict[str, User]:
    """submitter, manager, other_provider, eor, mco_analyst, mco_admin."""
    return {
        "submitter": _user("sam", orgs["provider"], Role.SUBMITTER),
        "manager": _user("mia", orgs["provider"], Role.MANAGER),
        "other_provider": _user("otto", orgs["other"], Role.SUBMITTER),
        "eor": _user("eve", orgs["eor"], Role.EOR),
        "mco_analyst": _user("ana", orgs["mco"], Role.MCO_ANALYST),
        "mco_admin": _user("adam", orgs["mco"], Role.MCO_ADMIN),
    }


@pytest.fixture
def as_persona(personas: dict[str, User]) -> Callable[[str], Client]:
    """A signed-in client for a persona name; ``anonymous`` is signed out."""

    def client_for(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return client_for


def report_form(**changes: Any) -> dict[str, Any]:
    """A valid report form for the day before today, with ``changes``."""
    day = timezone.localdate() - timedelta(days=1)
    data: dict[str, Any] = {
        "site": "S1",
        "contact_name": "Jordan Reyes",
        "contact_phone": "919-555-0142",
        "contact_email": "quality@prv001.example",
        "member_first_name": "Casey",
        "member_last_name": "Dixon",
        "member_date_of_birth": date(1980, 5, 17).isoformat(),
        "member_medicaid_id": "900001234A",
        "member_ssn": "",
        "incident_date": day.isoformat(),
        "service_code": "T2013TF",
        "scheduled_start": time(8).strftime("%H:%M"),
        "scheduled_end": time(14).strftime("%H:%M"),
        "hours_without_staff": "6",
        "backup_status": "not_available",
        "reason": "short_notice",
        "reason_other": "",
        "declined_by": "",
        "declined_reason": "",
    }
    data.update(changes)
    return data
