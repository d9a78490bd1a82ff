"""Accounts are created by MCO administrators only, with argon2-hashed passwords."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _account(org: Organisation, **changes: Any) -> dict[str, Any]:
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Perry",
        "email": "nina@prv001.example",
        "organisation": org.pk,
        "role": "submitter",
        "password": "a long and unusual passphrase 42",
    }
    data.update(changes)
    return data


def test_an_mco_administrator_creates_an_account(
    as_persona: Login, orgs: dict[str, Organisation]
) -> None:
    response = as_persona("mco_admin").post("/accounts/", _account(orgs["provider"]))
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert (nina.organisation, nina.role) == (orgs["provider"], "submitter")
    assert nina.password.startswith("argon2$")
    event = AuditEvent.objects.get(object_type="user")
    assert event.after is not None
    assert "password" not in event.after


def test_a_role_must_belong_to_the_organisations_kind(
    as_persona: Login, orgs: dict[str, Organisation]
) -> None:
    response = as_persona("mco_admin").post(
        "/accounts/", _account(orgs["provider"], role="mco_admin")
    )
    assert "has no MCO administrator role" in response.context["form"].errors["role"][0]
    assert not User.objects.filter(username="nina").exists()


def test_a_weak_password_is_refused(as_persona: Login, orgs: dict[str, Organisation]) -> None:
    response = as_persona("mco_admin").post(
        "/accounts/", _account(orgs["provider"], password="password")
    )
    assert response.context["form"].errors["password"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("submitter", 403),
        ("manager", 403),
        ("other_provider", 403),
        ("eor", 403),
        ("mco_analyst", 403),
        ("anonymous", 302),
    ],
)
def test_only_mco_administrators_manage_accounts(
    as_persona: Login, orgs: dict[str, Organisation], persona: str, status: int
) -> None:
    client = as_persona(persona)
    assert client.get("/accounts/").status_code == status
    assert client.post("/accounts/", _account(orgs["provider"])).status_code == status
    assert not User.objects.filter(username="nina").exists()


def test_the_first_mco_administrator_is_created_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CARECOVER_ADMIN_PASSWORD", "a long and unusual passphrase 42")
    call_command("create_mco_admin", "root-admin", "--mco-name", "Trillium", stdout=StringIO())
    admin = User.objects.get(username="root-admin")
    assert (admin.role, admin.organisation.kind if admin.organisation else None) == (
        "mco_admin",
        "mco",
    )
    client = Client()
    client.force_login(admin)
    assert client.get("/accounts/").status_code == 200


def test_the_command_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARECOVER_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_mco_admin", "root-admin", stdout=StringIO())
    assert not User.objects.exists()
