"""API tokens: created on a page, shown once, stored hashed, revocable, last use noted."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.errors import RuleError
from carecover.portal.accounts.models import ApiToken, TokenScope, User
from carecover.portal.accounts.tokens import issue_token
from carecover.portal.api import api
from carecover.portal.audit.models import AuditEvent
from tests.portal.api_helpers import report_payload

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
TOKEN = re.compile(r"cc_[A-Za-z0-9_-]{43}")


def _create(client: Client, **data: object) -> str:
    form = {"name": "EVV vendor", "scope": "file", "days": 90, **data}
    response = client.post("/accounts/tokens/", form)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1
    raw: str = found[0]
    return raw


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


def test_an_mco_administrator_cannot_create_a_token_for_another_user(
    as_persona: Login, personas: dict[str, User]
) -> None:
    # Before issue 11 §6 the administrator could, and then file as the provider.
    raw = _create(as_persona("mco_admin"), owner=personas["submitter"].pk)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.json()["username"] == "adam"
    assert not ApiToken.objects.filter(user=personas["submitter"]).exists()
    with pytest.raises(RuleError, match="only be created by its own user"):
        issue_token(personas["submitter"], name="x", by=personas["mco_admin"])


def test_a_user_cannot_create_or_revoke_someone_elses_token(
    as_persona: Login, personas: dict[str, User]
) -> None:
    # The "owner" field exists for managers of service accounts only: ignored here.
    _create(as_persona("submitter"), owner=personas["other_provider"].pk)
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


def test_a_token_expires_after_90_days_by_default(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    token, _ = issue_token(user, name="vendor", by=user)
    assert token.expires_at - token.created_at < timedelta(days=90, seconds=5)
    assert token.expires_at - token.created_at > timedelta(days=89, hours=23)


def test_the_page_offers_90_days_and_read_only_by_default(as_persona: Login) -> None:
    form = as_persona("submitter").get("/accounts/tokens/").context["form"]
    assert form["days"].value() == 90
    assert form["scope"].value() == "read"


def test_a_new_token_lives_the_days_chosen(as_persona: Login) -> None:
    _create(as_persona("submitter"), days=30)
    token = ApiToken.objects.get()
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=5)


@pytest.mark.parametrize("days", [0, 366, 10**30, "nan"])
def test_a_lifetime_beyond_a_year_or_below_a_day_is_refused(
    as_persona: Login, days: object
) -> None:
    response = as_persona("submitter").post(
        "/accounts/tokens/", {"name": "EVV", "scope": "read", "days": days}
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_unauthorized(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    long_ago = timezone.now() - timedelta(days=91)
    _, raw = issue_token(user, name="old", by=user, now=long_ago)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.status_code == 401
    assert "expired" in as_persona_page(personas["submitter"])


def as_persona_page(user: User) -> str:
    """The token page as ``user`` sees it."""
    client = Client()
    client.force_login(user)
    return client.get("/accounts/tokens/").content.decode()


def _unsafe_operations() -> list[tuple[str, str]]:
    """Every API operation that is not a read: (method, path with ids filled in)."""
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
                filled = path.replace("{report_id}", "BUS-2026-000001")
                filled = filled.replace("{token_id}", "1").replace("{period_start}", "2026-01-05")
                # Any other id: a number (the scope is checked before the object is looked up).
                found.append((method, re.sub(r"\{\w+\}", "1", filled)))
    return found


def test_a_read_token_is_refused_on_every_endpoint_that_changes_anything(
    personas: dict[str, User],
) -> None:
    user = personas["submitter"]
    _, raw = issue_token(user, name="reader", by=user, scope=TokenScope.READ)
    reader = Client(headers={"Authorization": f"Bearer {raw}"})
    operations = _unsafe_operations()
    assert len(operations) >= 5  # create, update, submit, attest, revoke
    for method, path in operations:
        response = getattr(reader, method)(path, {}, content_type="application/json")
        assert response.status_code == 403, (method, path)
        assert "may only read" in response.json()["detail"]
    assert reader.get("/api/reports").status_code == 200
    assert not AuditEvent.objects.filter(actor_username="sam", object_type="report").exists()


def test_a_read_and_file_token_files(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    _, raw = issue_token(user, name="filer", by=user, scope=TokenScope.FILE)
    filer = Client(headers={"Authorization": f"Bearer {raw}"})
    response = filer.post("/api/reports", report_payload(), content_type="application/json")
    assert response.status_code == 201


def test_tokens_listed_by_the_api_show_their_scope_and_expiry(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    _, raw = issue_token(user, name="reader", by=user)
    listed = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/tokens").json()
    assert listed[0]["scope"] == "read"
    assert listed[0]["expires_at"]


def test_a_manager_files_through_a_service_account_named_as_such_in_the_audit_log(
    as_persona: Login, personas: dict[str, User]
) -> None:
    manager = as_persona("manager")
    manager.post("/accounts/service-accounts/", {"name": "EVV Vendor"})
    service = User.objects.get(is_service_account=True)
    assert service.username == "svc-prv001-evv-vendor"
    assert service.organisation == personas["manager"].organisation
    assert not service.has_usable_password()
    raw = _create(manager, owner=service.pk)
    vendor = Client(headers={"Authorization": f"Bearer {raw}"})
    response = vendor.post("/api/reports", report_payload(), content_type="application/json")
    assert response.status_code == 201
    created = AuditEvent.objects.get(action="create", object_type="report")
    assert created.actor_username == "svc-prv001-evv-vendor"


def test_only_a_manager_of_its_own_organisation_holds_a_service_accounts_tokens(
    as_persona: Login, personas: dict[str, User]
) -> None:
    as_persona("manager").post("/accounts/service-accounts/", {"name": "EVV"})
    service = User.objects.get(is_service_account=True)
    for outsider in ("submitter", "other_provider", "eor", "mco_admin"):
        with pytest.raises(RuleError):
            issue_token(service, name="x", by=personas[outsider])
    as_persona("submitter").post("/accounts/service-accounts/", {"name": "Sneaky"})
    assert User.objects.filter(is_service_account=True).count() == 1
    page = as_persona("other_provider").get("/accounts/tokens/").content.decode()
    assert "svc-prv001-evv" not in page


def test_a_service_account_cannot_sign_in(as_persona: Login) -> None:
    as_persona("manager").post("/accounts/service-accounts/", {"name": "EVV"})
    response = Client().post("/accounts/login/", {"username": "svc-prv001-evv", "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
