"""Passwords: validated on every path that sets one, changed by their user, reset by a link
an MCO administrator hands over: never shown, never e-mailed (issue 11 §6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from carecover.errors import InputError
from carecover.portal.accounts.models import Organisation, Role, User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.demo import load_demo
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
STRONG = "a river of quiet lanterns"
#: Too short, common, only digits, like the user name: Django's four validators.
WEAK = ["short pass", "password1234", "839201746623", "sam-the-submitter"]
LINK = re.compile(r"https?://testserver(/accounts/reset/[^<\s]+/)")


@pytest.fixture
def sam(orgs: dict[str, Organisation]) -> User:
    """A submitter with a real password."""
    return User.objects.create_user(
        "sam-the-submitter",
        password=PASSWORD,
        organisation=orgs["provider"],
        role=Role.SUBMITTER,
    )


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("weak", WEAK)
def test_the_change_page_refuses_a_weak_password(sam: User, weak: str) -> None:
    response = _signed_in(sam).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 400
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)


def test_a_user_changes_their_own_password_and_the_change_is_audited_without_it(
    sam: User,
) -> None:
    client = _signed_in(sam)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password(STRONG)
    event = AuditEvent.objects.get(object_type="user", action="change")
    assert event.actor_username == "sam-the-submitter"
    assert STRONG not in str(event.after)
    assert client.get("/reports/").status_code == 200  # still signed in


def test_the_change_page_needs_the_old_password(sam: User) -> None:
    response = _signed_in(sam).post(
        "/accounts/password/",
        {"old_password": "not it at all", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 400
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)


@pytest.mark.parametrize("weak", WEAK[:3])
def test_the_account_form_refuses_a_weak_password(
    as_persona: Login, orgs: dict[str, Organisation], weak: str
) -> None:
    form = {
        "username": "newbie",
        "organisation": orgs["provider"].pk,
        "role": "submitter",
        "password": weak,
    }
    as_persona("mco_admin").post("/accounts/", form)
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.parametrize("weak", WEAK[:3])
def test_the_command_refuses_a_weak_password(
    monkeypatch: pytest.MonkeyPatch, db: None, weak: str
) -> None:
    monkeypatch.setenv("CARECOVER_ADMIN_PASSWORD", weak)
    with pytest.raises(CommandError):
        call_command("create_mco_admin", "boss", stdout=StringIO())
    assert not User.objects.filter(username="boss").exists()


def test_the_demo_refuses_a_weak_password(db: None) -> None:
    with pytest.raises(InputError, match="too short"):
        load_demo(today=date(2026, 6, 30), password="demo")
    assert not User.objects.exists()


def _reset_link(admin: Client, user: User) -> str:
    response = admin.post(f"/accounts/{user.pk}/reset-link/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    found = LINK.findall(response.content.decode())
    assert len(found) == 1
    link: str = found[0]
    return link


def test_an_administrators_reset_link_lets_the_user_choose_a_password_once(
    as_persona: Login, sam: User
) -> None:
    link = _reset_link(as_persona("mco_admin"), sam)
    assert not mail.outbox
    user = Client()
    form_page = user.get(link, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    refused = user.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert refused.status_code == 200
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)
    done = user.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password(STRONG)
    # Used once: the link no longer works.
    again = Client().get(link, follow=True).content.decode()
    assert 'id="invalid-link"' in again
    events = AuditEvent.objects.filter(object_type="user", object_id=str(sam.pk))
    assert [e.actor_username for e in events.order_by("id")] == ["adam", "sam-the-submitter"]
    assert STRONG not in str([(e.before, e.after) for e in events])


def test_a_reset_sets_no_password_and_keeps_the_old_one_until_the_link_is_used(
    as_persona: Login, sam: User
) -> None:
    hashed = sam.password
    as_persona("mco_admin").post(f"/accounts/{sam.pk}/reset-link/")
    sam.refresh_from_db()
    assert sam.password == hashed  # no password was made up, so none could be shown
    assert not mail.outbox


@pytest.mark.parametrize("persona", ["submitter", "manager", "eor", "mco_analyst"])
def test_only_an_mco_administrator_issues_reset_links(
    as_persona: Login, sam: User, persona: str
) -> None:
    response = as_persona(persona).post(f"/accounts/{sam.pk}/reset-link/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(object_type="user").exists()


def test_a_reset_link_is_refused_by_get(as_persona: Login, sam: User) -> None:
    assert as_persona("mco_admin").get(f"/accounts/{sam.pk}/reset-link/").status_code == 405


def test_the_password_pages_need_a_login(sam: User) -> None:
    anonymous = Client()
    assert anonymous.get("/accounts/password/")["Location"].startswith("/accounts/login/")
    response = anonymous.post(f"/accounts/{sam.pk}/reset-link/")
    assert response["Location"].startswith("/accounts/login/")
    assert not AuditEvent.objects.exists()


def test_a_made_up_reset_link_sets_nothing(sam: User) -> None:
    response = Client().get("/accounts/reset/MQ/set-password/", follow=True)
    assert 'id="invalid-link"' in response.content.decode()
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)
