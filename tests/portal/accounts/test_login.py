"""Signing in: the login page, argon2 hashes, throttling, inactivity expiry, sign-out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from carecover.portal.accounts.models import Organisation, Role, User
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(orgs: dict[str, Organisation]) -> User:
    """A submitter with a real (argon2-hashed) password."""
    return User.objects.create_user(
        "sam", password=PASSWORD, organisation=orgs["provider"], role=Role.SUBMITTER
    )


def test_the_login_page_is_at_accounts_login() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_it_hashes_passwords_with_argon2(sam: User) -> None:
    assert sam.password.startswith("argon2$")


def test_it_signs_in_with_the_right_password_and_lands_in_the_users_workspace(
    sam: User,
) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/reports/"


def test_it_refuses_a_wrong_password(sam: User) -> None:
    response = Client().post("/accounts/login/", {"username": "sam", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_it_locks_out_after_too_many_failed_logins(sam: User) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "sam", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})
    assert response.status_code == 429


def test_sessions_expire_after_inactivity_not_after_login() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_it_signs_out_by_post(sam: User) -> None:
    client = Client()
    client.force_login(sam)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/reports/").status_code == 302
