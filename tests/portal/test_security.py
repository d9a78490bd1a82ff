"""Security checks: headers, CSRF, health check, login walls, deploy checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from carecover.portal.accounts.models import User
from carecover.portal.incidents.models import Report
from tests.portal.conftest import TEST_SECRET_KEY, report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def _url_templates() -> list[str]:
    """Every URL the portal routes, as ``/path/<converter:name>/`` templates."""

    def walk(patterns: list[Any], prefix: str) -> list[str]:
        found: list[str] = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append(prefix + str(pattern.pattern))
        return found

    return sorted(set(walk(get_resolver().url_patterns, "/")))


#: A value for each path parameter; CSRF and login are checked before any look-up.
_PARAMETERS = {
    "report_id": "BUS-2026-000001",
    "kind": "quarterly-hrc",
    "period_start": "2026-01-05",
    "ccn": "100000",
    "label": "2026-01-01..2026-01-15",
    "extension": "xlsx",
}
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _concrete(template: str, **values: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        return values.get(name) or _PARAMETERS.get(name, "1")

    return _PARAMETER.sub(value, template)


URLS = [_concrete(t) for t in _url_templates()]


def test_the_url_walk_finds_every_app() -> None:
    for prefix in (
        "/accounts/",
        "/reports/",
        "/compliance/",
        "/audit/",
        "/nursing-homes/",
        "/api/",
    ):
        assert any(url.startswith(prefix) for url in URLS), prefix


@pytest.mark.parametrize("persona", ["submitter", "mco_admin", "anonymous"])
def test_every_url_refuses_a_post_without_a_csrf_token(
    personas: dict[str, User], persona: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(personas[persona])
    for url in URLS:
        response = client.post(url, report_form(decision="accept"))
        # Token-authenticated API calls are exempt; a browser session is not.
        if url.startswith("/api/") and response.status_code in (401, 405):
            continue
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode(), url


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("submitter", "/reports/new/"),
        ("submitter", "/reports/BUS-2026-000001/edit/"),
        ("submitter", "/reports/BUS-2026-000001/submit/"),
        ("mco_analyst", "/reports/BUS-2026-000001/review/"),
        ("submitter", "/accounts/logout/"),
        ("submitter", "/reports/check/"),
        ("submitter", "/reports/members/"),
        ("mco_admin", "/accounts/"),
        ("submitter", "/reports/service-breaks/new/"),
        ("submitter", "/accounts/tokens/"),
        ("submitter", "/accounts/tokens/1/revoke/"),
        ("submitter", "/api/reports"),
        ("submitter", "/api/reports/BUS-2026-000001/submit"),
        ("submitter", "/api/periods/2026-01-05/attest"),
    ],
)
def test_every_form_refuses_a_post_without_a_csrf_token(
    personas: dict[str, User], persona: str, path: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[persona])
    response = client.post(path, report_form(decision="accept"))
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_every_form_page_carries_a_csrf_token(as_persona: Login) -> None:
    client = as_persona("submitter")
    client.post("/reports/new/", report_form())
    report_id = Report.objects.get().report_id
    pages = ("/reports/new/", f"/reports/{report_id}/", f"/reports/{report_id}/edit/")
    for path in (*pages, "/accounts/tokens/", "/compliance/periods/"):
        page = client.get(path).content.decode()
        assert page.count('method="post"') == page.count('name="csrfmiddlewaretoken"'), path


def _assert_security_headers(response: Any, url: str) -> None:
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url


@pytest.mark.parametrize("persona", ["submitter", "eor", "mco_admin", "anonymous"])
def test_every_page_carries_the_security_headers(as_persona: Login, persona: str) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    report_id = Report.objects.get().report_id
    client = as_persona(persona)
    for template in _url_templates():
        url = _concrete(template, report_id=report_id)
        response = client.get(url)
        if response.streaming:
            # Consuming a streamed body closes it (an explicit close() would
            # also close the test's database connection on PostgreSQL).
            b"".join(response.streaming_content)
        _assert_security_headers(response, url)


def test_static_files_are_never_sniffed() -> None:
    # Assets, not pages: WhiteNoise answers before the page middleware, and
    # SecurityMiddleware (first) still sets nosniff and the referrer policy.
    response = Client().get("/static/portal/portal.css")
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_health_check_answers_ok_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_login_form_refuses_a_post_without_a_csrf_token(
    personas: dict[str, User],
) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "sam", "password": "x"})
    assert response.status_code == 403


def test_no_member_data_is_reachable_without_login(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    row = Report.objects.get()
    values = {"report_id": row.report_id, "member_id": str(row.member_id)}
    for template in _url_templates():
        url = _concrete(template, **values)
        for response in (Client().get(url, follow=True), Client().post(url, follow=True)):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            assert "Dixon" not in text, url
            assert "900001234A" not in text, url
            assert "1980-05-17" not in text, url


def test_production_settings_pass_the_deploy_checks() -> None:
    env = {
        **os.environ,
        "CARECOVER_SECRET_KEY": TEST_SECRET_KEY,
        "CARECOVER_HTTPS": "true",
        "CARECOVER_DEBUG": "false",
        "CARECOVER_ALLOWED_HOSTS": "carecover.example.org",
        "DJANGO_SETTINGS_MODULE": "carecover.portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "carecover.portal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CARECOVER_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "carecover.portal.settings"
    result = subprocess.run(
        [sys.executable, "-m", "carecover.portal", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: CARECOVER_SECRET_KEY is not set: the portal cannot start without it"
    )


@pytest.mark.parametrize("path", ["/static/portal/portal.css", "/static/portal/htmx.min.js"])
def test_it_serves_its_own_static_files_without_a_cdn(path: str) -> None:
    response = Client().get(path)
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response.close()
    assert response.status_code == 200
    assert body
    page = Client().get("/accounts/login/").content.decode()
    assert "https://" not in page
