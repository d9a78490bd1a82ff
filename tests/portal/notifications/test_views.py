"""Notification pages: each user sees and changes only their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.test import Client

from carecover.portal.accounts.models import User
from carecover.portal.notifications.models import EmailChoice, Notification

Login = Callable[[str], Client]
NOW = datetime(2026, 10, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def note(personas: dict[str, User]) -> Notification:
    """An unread notification of the submitter."""
    return Notification.objects.create(
        user=personas["submitter"],
        kind="period_due_soon",
        key="period:PRV001:2026-10-01:due",
        subject="Reporting period 01 Oct – 15 Oct 2026 is due on 20 Oct 2026",
        link="/compliance/periods/",
        created_at=NOW,
    )


def test_the_list_shows_the_users_own_notifications_only(
    as_persona: Login, note: Notification
) -> None:
    mine = as_persona("submitter").get("/notifications/")
    assert mine.status_code == 200
    assert "is due on 20 Oct 2026" in mine.content.decode()
    theirs = as_persona("other_provider").get("/notifications/")
    assert "is due on 20 Oct 2026" not in theirs.content.decode()


def test_the_navigation_counts_unread_notifications(as_persona: Login, note: Notification) -> None:
    page = as_persona("submitter").get("/notifications/").content.decode()
    assert 'aria-label="1 unread"' in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    as_persona: Login, note: Notification
) -> None:
    response = as_persona("submitter").post(f"/notifications/{note.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/compliance/periods/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("persona", ["manager", "other_provider", "mco_admin"])
def test_nobody_else_can_mark_or_learn_of_a_users_notification(
    as_persona: Login, note: Notification, persona: str
) -> None:
    assert as_persona(persona).post(f"/notifications/{note.pk}/read/").status_code == 404
    as_persona(persona).post("/notifications/read-all/")
    note.refresh_from_db()
    assert note.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(as_persona: Login, note: Notification) -> None:
    response = as_persona("anonymous").get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_marking_read_needs_the_csrf_token(personas: dict[str, User], note: Notification) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["submitter"])
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 403


def test_a_user_chooses_which_emails_they_get(as_persona: Login, personas: dict[str, User]) -> None:
    client = as_persona("submitter")
    page = client.get("/notifications/settings/").content.decode()
    assert "A reporting period is overdue" in page
    assert "Providers late or missing" not in page  # the MCO's kinds are not offered
    client.post("/notifications/settings/", {"email": ["period_overdue"]})
    off = set(
        EmailChoice.objects.filter(user=personas["submitter"], email=False).values_list(
            "kind", flat=True
        )
    )
    assert "period_due_soon" in off
    assert "period_overdue" not in off
    assert not EmailChoice.objects.filter(user=personas["other_provider"]).exists()


def test_the_mco_is_offered_its_own_kinds(as_persona: Login) -> None:
    page = as_persona("mco_analyst").get("/notifications/settings/").content.decode()
    assert "Providers late or missing for a period" in page
    assert "A report was returned by the MCO" not in page
