"""The analyst workspace's fixtures: a small history store and an analyst."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from carecover.pbj.history.table import load_history
from carecover.pbj.store import connect
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User

HISTORY = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "history"
FILES = [
    HISTORY / n for n in ("nurse_2024Q1.csv", "nurse_2024Q2.csv", "NH_ProviderInfo_Oct2024.csv")
]


@pytest.fixture(scope="session")
def history_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four New York facilities of ``tests/fixtures/pbj/history``, loaded once."""
    db = tmp_path_factory.mktemp("history") / "history.duckdb"
    con = connect(db)
    load_history(con, FILES)
    con.close()
    return db


@pytest.fixture(autouse=True)
def _history_setting(settings: Any, history_store: Path) -> None:
    settings.CARECOVER_HISTORY_STORE = history_store


@pytest.fixture
def analyst(db: None) -> User:
    """A staffing analyst: no organisation, the ``analyst`` role."""
    return User.objects.create_user("alex", password=None, role=Role.ANALYST)


@pytest.fixture
def home_user(db: None) -> User:
    """A nursing-home administrator (of a facility that is in the history store)."""
    org = Organisation.objects.create(
        name="Acme North Operating", kind=OrganisationKind.FACILITY, code="NH335001"
    )
    return User.objects.create_user(
        "hana", password=None, organisation=org, role=Role.NH_ADMINISTRATOR
    )


@pytest.fixture
def as_analyst(analyst: User) -> Client:
    """A client signed in as the analyst."""
    client = Client()
    client.force_login(analyst)
    return client


@pytest.fixture
def client_of() -> Callable[[User], Client]:
    """A client signed in as ``user``."""

    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in
