"""Login throttling per address across user names: a sprayed password is capped (issue 11 §6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from carecover.portal.accounts.models import Organisation, Role, User
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SPRAYER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _small_address_cap(settings: Any) -> None:
    """A cap of 8 instead of 20: every failed login costs an Argon2 hash."""
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8


@pytest.fixture
def sam(orgs: dict[str, Organisation]) -> User:
    """A submitter with a real password."""
    return User.objects.create_user(
        "sam", password=PASSWORD, organisation=orgs["provider"], role=Role.SUBMITTER
    )


def _login(address: str, username: str, password: str) -> int:
    client = Client(REMOTE_ADDR=address)
    return int(client.post("/accounts/login/", {"username": username, "password": password})
               .status_code)  # fmt: skip


def _spray(address: str, names: int) -> None:
    for n in range(names):
        # One guess per user name: never the per-name limit, always the address's.
        assert _login(address, f"user{n}", "Summer2026!") == 200


def test_a_password_sprayed_over_many_user_names_locks_the_address_out(sam: User) -> None:
    assert settings.AXES_FAILURE_LIMIT < settings.AXES_ADDRESS_FAILURE_LIMIT
    _spray(SPRAYER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert _login(SPRAYER, "one-more", "Summer2026!") == 429  # the cap is reached
    assert _login(SPRAYER, "sam", PASSWORD) == 429
    assert _login(OFFICE, "sam", PASSWORD) == 302  # another address is not affected


def test_an_address_under_its_cap_still_signs_in(sam: User) -> None:
    _spray(SPRAYER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert _login(SPRAYER, "sam", PASSWORD) == 302


def test_a_valid_sign_in_does_not_clear_the_addresss_count(
    sam: User, orgs: dict[str, Organisation]
) -> None:
    User.objects.create_user(
        "mia", password=PASSWORD, organisation=orgs["provider"], role=Role.MANAGER
    )
    _spray(SPRAYER, settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert _login(SPRAYER, "mia", PASSWORD) == 302
    assert _login(SPRAYER, "nobody", "guess") == 429  # still the address's last failure
    assert _login(SPRAYER, "sam", PASSWORD) == 429


def test_one_user_name_is_still_locked_after_the_per_name_limit(sam: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(OFFICE, "sam", "wrong")
    assert _login(OFFICE, "sam", PASSWORD) == 429
