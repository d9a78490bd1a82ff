"""The API's contract: OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``,
no member data in URLs, and CSRF only for session-authenticated calls."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
JSON = "application/json"

ENDPOINTS = {
    ("get", "/api/me"),
    ("get", "/api/tokens"),
    ("post", "/api/tokens/{token_id}/revoke"),
    ("get", "/api/reports"),
    ("post", "/api/reports"),
    ("get", "/api/reports/{report_id}"),
    ("put", "/api/reports/{report_id}"),
    ("delete", "/api/reports/{report_id}"),
    ("post", "/api/reports/{report_id}/submit"),
    ("post", "/api/reports/{report_id}/correction"),
    ("post", "/api/reports/submit-all"),
    ("post", "/api/reports/{report_id}/correction/decision"),
    ("get", "/api/periods"),
    ("post", "/api/periods/{period_start}/attest"),
    ("post", "/api/visits"),
    ("get", "/api/visits/{upload_id}"),
    ("post", "/api/visits/{upload_id}/drafts"),
}


@pytest.fixture
def schema() -> dict[str, Any]:
    """The OpenAPI document, fetched anonymously."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_the_schema_lists_every_endpoint(schema: dict[str, Any]) -> None:
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found == ENDPOINTS


def test_every_endpoint_requires_a_token_or_a_session(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    for ops in schema["paths"].values():
        for op in ops.values():
            assert {"TokenAuth": []} in op["security"]


def test_no_query_or_path_parameter_can_carry_member_identity(schema: dict[str, Any]) -> None:
    names = {
        p["name"]
        for ops in schema["paths"].values()
        for op in ops.values()
        for p in op.get("parameters", [])
    }
    assert not {n for n in names if any(w in n for w in ("name", "ssn", "birth", "medicaid"))}


def test_errors_are_documented_as_json_with_fields(schema: dict[str, Any]) -> None:
    create = schema["paths"]["/api/reports"]["post"]["responses"]
    assert {"201", "401", "403", "422"} <= set(create)
    error = schema["components"]["schemas"]["ErrorOut"]["properties"]
    assert set(error) == {"detail", "errors"}


def test_the_docs_page_is_served_without_a_cdn_under_the_csp() -> None:
    response = Client().get("/api/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # Every script and stylesheet comes from this server: no absolute URL to another host
    # (a bare "cdn" substring check would trip over the random CSRF token).
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = Client().get("/static/ninja/swagger-ui-init.js")
    assert script.status_code == 200
    script.close()


def test_token_calls_need_no_csrf_token(tokens: dict[str, str]) -> None:
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": f"Bearer {tokens['submitter']}"}
    )
    response = client.post("/api/reports", report_payload(), content_type=JSON)
    assert response.status_code == 201


def test_session_calls_to_the_api_are_csrf_checked(as_persona: Login, personas: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["submitter"])  # type: ignore[index]
    assert client.get("/api/reports").status_code == 200  # safe methods pass
    refused = client.post("/api/reports", report_payload(), content_type=JSON)
    assert refused.status_code == 403
    client.get("/reports/new/")  # sets the CSRF cookie, as a browser page would
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/reports", report_payload(), content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    assert accepted.json()["report_id"]


def test_error_bodies_carry_no_traceback_or_member_data(api_as: ApiClient) -> None:
    created = api_as("submitter").post("/api/reports", report_payload(), content_type=JSON)
    report_id = created.json()["report_id"]
    api_as("submitter").post(f"/api/reports/{report_id}/submit")
    for response in (
        api_as("submitter").put(f"/api/reports/{report_id}", report_payload(), content_type=JSON),
        api_as("submitter").post(f"/api/reports/{report_id}/submit"),
        api_as("other_provider").get(f"/api/reports/{report_id}"),
        api_as("submitter").post("/api/reports", "{not json", content_type=JSON),
    ):
        body = response.content.decode()
        assert response["Content-Type"].startswith("application/json")
        assert "Traceback" not in body
        assert "Dixon" not in body
        assert "900001234A" not in body
