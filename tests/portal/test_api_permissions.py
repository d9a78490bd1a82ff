"""Who may call which ``/api`` endpoint: every endpoint, every persona, a revoked
token, and direct access to another organisation's report (404 or 403, never data)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import ApiToken, User
from carecover.portal.accounts.tokens import issue_token, revoke
from carecover.portal.incidents.models import Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db
JSON = "application/json"
PERSONAS = ["submitter", "manager", "other_provider", "eor", "mco_analyst", "mco_admin"]
EVERYONE = [*PERSONAS, "anonymous", "revoked"]


@pytest.fixture
def call(api_as: ApiClient, personas: dict[str, User]) -> ApiClient:
    """``api_as`` plus ``revoked``: the submitter's revoked token."""

    def client_for(name: str) -> Client:
        if name != "revoked":
            return api_as(name)
        user = personas["submitter"]
        token, raw = issue_token(user, name="old vendor", by=user)
        revoke(token, by=user, now=timezone.now())
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client_for


@pytest.fixture
def draft(api_as: ApiClient) -> str:
    """The BUS id of a draft of agency PRV001 about member Casey Dixon."""
    response = api_as("submitter").post("/api/reports", report_payload(), content_type=JSON)
    assert response.status_code == 201
    report_id: str = response.json()["report_id"]
    return report_id


def _no_member_data(body: bytes) -> bool:
    text = body.decode()
    return "Dixon" not in text and "900001234A" not in text and "1980-05-17" not in text


#: Expected status per persona for an endpoint acting on PRV001's draft.
READ = {"submitter": 200, "manager": 200, "other_provider": 404, "eor": 404}
READ |= {"mco_analyst": 200, "mco_admin": 200, "anonymous": 401, "revoked": 401}
WRITE = READ | {"mco_analyst": 403, "mco_admin": 403}


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_get_report_lets_only_its_organisation_and_the_mco_read_it(
    call: ApiClient, draft: str, persona: str, status: int
) -> None:
    response = call(persona).get(f"/api/reports/{draft}")
    assert response.status_code == status
    if status != 200:
        assert _no_member_data(response.content)


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_update_report_is_for_its_own_organisations_filers(
    call: ApiClient, draft: str, persona: str, status: int
) -> None:
    payload = report_payload(hours_without_staff=2)
    response = call(persona).put(f"/api/reports/{draft}", payload, content_type=JSON)
    assert response.status_code == status
    assert Report.objects.get().hours_without_staff == (2 if status == 200 else 6)
    if status != 200:
        assert _no_member_data(response.content)


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_submit_report_is_for_its_own_organisations_filers(
    call: ApiClient, draft: str, persona: str, status: int
) -> None:
    response = call(persona).post(f"/api/reports/{draft}/submit")
    assert response.status_code == status
    assert Report.objects.get().status == ("submitted" if status == 200 else "draft")
    if status != 200:
        assert _no_member_data(response.content)


@pytest.mark.parametrize(
    ("persona", "status"),
    {**dict.fromkeys(PERSONAS[:4], 201), "mco_analyst": 403, "mco_admin": 403}.items()
    | {"anonymous": 401, "revoked": 401}.items(),
)
def test_create_report_is_for_filers(call: ApiClient, persona: str, status: int) -> None:
    # No site (only PRV001 has one) and a contact (only PRV001 has one on file).
    contact = {"name": "Lee Park", "phone": "919-555-0100", "email": "lee@example.org"}
    payload = report_payload(site_id=None, contact=contact)
    response = call(persona).post("/api/reports", payload, content_type=JSON)
    assert response.status_code == status
    assert Report.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "count"),
    {"submitter": 1, "manager": 1, "other_provider": 0, "eor": 0}.items()
    | {"mco_analyst": 1, "mco_admin": 1}.items(),
)
def test_list_reports_shows_each_persona_only_what_it_may_see(
    call: ApiClient, draft: str, persona: str, count: int
) -> None:
    response = call(persona).get("/api/reports")
    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize("persona", ["anonymous", "revoked"])
@pytest.mark.parametrize(
    "path", ["/api/reports", "/api/me", "/api/tokens", "/api/periods", "/api/reports/x"]
)
def test_every_read_endpoint_needs_a_live_token(call: ApiClient, persona: str, path: str) -> None:
    response = call(persona).get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_filtering_by_another_organisations_member_finds_nothing(
    call: ApiClient, draft: str
) -> None:
    member_id = Report.objects.get().member_id
    response = call("other_provider").get("/api/reports", {"member_id": member_id})
    assert response.json()["count"] == 0


#: A period long over, without reports: attestable.
OLD_DAY = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("persona", "status"),
    {"submitter": 201, "manager": 201, "other_provider": 201, "eor": 201}.items()
    | {"mco_analyst": 403, "mco_admin": 403, "anonymous": 401, "revoked": 401}.items(),
)
def test_attesting_a_period_is_for_filers(call: ApiClient, persona: str, status: int) -> None:
    response = call(persona).post(f"/api/periods/{OLD_DAY.isoformat()}/attest")
    assert response.status_code == status
    if status == 201:
        assert response.json()["period_start"] == "2026-01-01"


def test_attesting_twice_is_a_conflict(call: ApiClient) -> None:
    call("submitter").post(f"/api/periods/{OLD_DAY.isoformat()}/attest")
    again = call("manager").post(f"/api/periods/{OLD_DAY.isoformat()}/attest")
    assert again.status_code == 409
    assert "already attested" in again.json()["detail"]


def test_a_period_with_filed_reports_cannot_be_attested(call: ApiClient, draft: str) -> None:
    call("submitter").post(f"/api/reports/{draft}/submit")
    day = Report.objects.get().incident_date.isoformat()
    response = call("submitter").post(f"/api/periods/{day}/attest")
    # Yesterday's period may still be under way or over: refused either way.
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("persona", "query", "status"),
    [
        ("submitter", {}, 200),
        ("eor", {}, 200),
        ("other_provider", {"provider_id": "PRV001"}, 404),
        ("mco_analyst", {"provider_id": "PRV001"}, 200),
        ("mco_admin", {}, 422),
        ("mco_admin", {"provider_id": "NOPE"}, 404),
    ],
)
def test_periods_are_listed_for_ones_own_organisation_or_by_the_mco(
    call: ApiClient, persona: str, query: dict[str, str], status: int
) -> None:
    response = call(persona).get("/api/periods", query)
    assert response.status_code == status
    if status == 200:
        periods = response.json()
        assert periods
        assert {"start", "end", "due", "status", "can_attest"} <= set(periods[0])


@pytest.mark.parametrize(("persona", "status"), [(p, 200) for p in PERSONAS])
def test_me_and_tokens_answer_every_role(call: ApiClient, persona: str, status: int) -> None:
    assert call(persona).get("/api/me").status_code == status
    tokens = call(persona).get("/api/tokens").json()
    assert [t["name"] for t in tokens] == ["vendor"]
    assert all("digest" not in t for t in tokens)


def test_a_user_cannot_revoke_someone_elses_token(call: ApiClient) -> None:
    theirs = ApiToken.objects.get(user__username="sam")
    response = call("other_provider").post(f"/api/tokens/{theirs.pk}/revoke")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_an_account_whose_role_was_taken_away_is_refused(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    _, raw = issue_token(user, name="vendor 2", by=user)
    user.role = ""
    user.save()
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/reports")
    assert response.status_code == 403
    assert response.json()["detail"] == "this account has no role that can use the API"


def test_a_deactivated_accounts_token_stops_working(personas: dict[str, User]) -> None:
    user = personas["submitter"]
    _, raw = issue_token(user, name="vendor 2", by=user)
    user.is_active = False
    user.save()
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/reports")
    assert response.status_code == 401
