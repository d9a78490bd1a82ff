"""Security checks: headers, CSRF, health check, login walls, deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.incidents.models import Report
from tests.portal.conftest import TEST_SECRET_KEY, report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/reports/"])
def test_every_response_carries_the_security_headers(path: str) -> None:
    response = Client().get(path)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
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
    for path in ("/reports/new/", f"/reports/{report_id}/", f"/reports/{report_id}/edit/"):
        page = client.get(path).content.decode()
        assert page.count('method="post"') == page.count('name="csrfmiddlewaretoken"')


def test_no_member_data_is_reachable_without_login(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    report_id = Report.objects.get().report_id
    for path in ("/reports/", f"/reports/{report_id}/", f"/reports/{report_id}/edit/"):
        response = Client().get(path, follow=True)
        assert "Dixon" not in response.content.decode()


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
