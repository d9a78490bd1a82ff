"""API tokens: created on a page, shown once, stored hashed, revocable, last use noted."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import ApiToken, User
from carecover.portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
TOKEN = re.compile(r"cc_[A-Za-z0-9_-]{43}")


def _create(client: Client, **data: object) -> str:
    response = client.post("/accounts/tokens/", {"name": "EVV vendor", **data})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1
    return found[0]


def test_a_new_token_is_shown_once_and_stored_only_as_a_digest(as_persona: Login) -> None:
    client = as_persona("submitter")
    raw = _create(client)
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    columns = [str(v) for v in ApiToken.objects.values_list().get()]
    assert raw not in columns
    assert raw not in client.get("/accounts/tokens/").content.decode()
    assert stored.prefix in client.get("/accounts/tokens/").content.decode()


def test_the_token_authenticates_and_notes_its_last_use(as_persona: Login) -> None:
    raw = _create(as_persona("submitter"))
    assert ApiToken.objects.get().last_used_at is None
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.json()["username"] == "sam"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_stops_working_at_once(as_persona: Login) -> None:
    client = as_persona("submitter")
    raw = _create(client)
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.status_code == 401
    assert "revoked" in client.get("/accounts/tokens/").content.decode()


def test_a_token_can_revoke_itself_through_the_api(as_persona: Login) -> None:
    raw = _create(as_persona("submitter"))
    vendor = Client(headers={"Authorization": f"Bearer {raw}"})
    token = ApiToken.objects.get()
    assert vendor.post(f"/api/tokens/{token.pk}/revoke").json()["revoked_at"]
    assert vendor.get("/api/me").status_code == 401


def test_an_mco_administrator_creates_a_token_for_another_user(
    as_persona: Login, personas: dict[str, User]
) -> None:
    raw = _create(as_persona("mco_admin"), user=personas["eor"].pk)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.json()["username"] == "eve"
    assert ApiToken.objects.get().created_by == personas["mco_admin"]


def test_a_user_cannot_create_or_revoke_someone_elses_token(
    as_persona: Login, personas: dict[str, User]
) -> None:
    # The "user" field exists for administrators only: a submitter's is ignored.
    _create(as_persona("submitter"), user=personas["other_provider"].pk)
    token = ApiToken.objects.get()
    assert token.user == personas["submitter"]
    response = as_persona("other_provider").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert (
        token.prefix not in as_persona("other_provider").get("/accounts/tokens/").content.decode()
    )


def test_an_mco_administrator_sees_and_revokes_everyones_tokens(as_persona: Login) -> None:
    _create(as_persona("submitter"))
    token = ApiToken.objects.get()
    admin = as_persona("mco_admin")
    assert token.prefix in admin.get("/accounts/tokens/").content.decode()
    assert admin.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_creating_and_revoking_a_token_is_audited_without_the_token(as_persona: Login) -> None:
    client = as_persona("submitter")
    raw = _create(client)
    token = ApiToken.objects.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    events = AuditEvent.objects.filter(object_type="api_token").order_by("id")
    assert [e.action for e in events] == ["create", "revoke"]
    assert raw not in str([(e.before, e.after) for e in events])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("submitter", 200), ("eor", 200), ("mco_analyst", 200), ("mco_admin", 200)],
)
def test_every_role_has_a_token_page(as_persona: Login, persona: str, status: int) -> None:
    assert as_persona(persona).get("/accounts/tokens/").status_code == status


def test_the_token_page_needs_a_login_and_a_role(orgs: object) -> None:
    assert Client().get("/accounts/tokens/")["Location"].startswith("/accounts/login/")
    roleless = User.objects.create_user("nobody", password=None)
    client = Client()
    client.force_login(roleless)
    assert client.get("/accounts/tokens/").status_code == 403


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer cc_wrong", "Basic abc", "Bearer "])
def test_a_wrong_token_is_unauthorized(personas: dict[str, User], header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/reports")
    assert response.status_code == 401
