"""``add_analyst``: an analyst account from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from carecover.portal.accounts.models import Role, User


def test_it_creates_an_analyst_without_an_organisation(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARECOVER_USER_PASSWORD", "a long enough analyst password 42")
    call_command("add_analyst", "alex")
    user = User.objects.get(username="alex")
    assert (user.role, user.organisation) == (Role.ANALYST, None)
    assert user.check_password("a long enough analyst password 42")


def test_a_taken_name_is_refused(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARECOVER_USER_PASSWORD", "a long enough analyst password 42")
    call_command("add_analyst", "alex")
    with pytest.raises(CommandError, match="taken"):
        call_command("add_analyst", "ALEX")
