"""Reminders reach the right people once, in the portal and by e-mail, without PHI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from email.message import Message

import pytest
from django.test import Client

from carecover.backup.report import ReportStatus
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.incidents.models import Report
from carecover.portal.notifications.models import EmailChoice, Notification
from carecover.portal.notifications.scanning import scan
from tests.portal.conftest import report_form

# 1-15 Oct 2026 is due on 20 Oct: on the 18th it is due in two days.
TODAY = date(2026, 10, 18)
NOW = datetime(2026, 10, 18, 9, 0, tzinfo=UTC)
DUE_KEY = "period:PRV001:2026-10-01:due"


@pytest.fixture
def mailed(personas: dict[str, User]) -> dict[str, User]:
    """The personas, each with an e-mail address."""
    for name, user in personas.items():
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    return personas


def test_a_period_due_soon_reaches_the_providers_filers_in_the_portal_and_by_email(
    mailed: dict[str, User], smtp: list[Message]
) -> None:
    result = scan(today=TODAY, now=NOW)
    assert result.failed_emails == 0
    to_sam = Notification.objects.get(user=mailed["submitter"], key=DUE_KEY)
    assert to_sam.link == "/compliance/periods/"
    assert Notification.objects.filter(user=mailed["manager"], key=DUE_KEY).exists()
    sent = [m for m in smtp if m["To"] == "submitter@example.org"]
    subjects = [m["Subject"] for m in sent]
    assert "carecover: Reporting period 01 Oct – 15 Oct 2026 is due on 20 Oct 2026" in [
        s.strip() for s in subjects
    ]
    body = sent[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "http://127.0.0.1:8000/compliance/periods/" in body or "/notifications/" in body


def test_another_organisations_people_never_hear_of_it(mailed: dict[str, User]) -> None:
    scan(today=TODAY, now=NOW)
    keys = set(
        Notification.objects.filter(user=mailed["other_provider"]).values_list("key", flat=True)
    )
    assert DUE_KEY not in keys
    assert "period:PRV002:2026-10-01:due" in keys


def test_a_second_scan_delivers_nothing_twice(mailed: dict[str, User], smtp: list[Message]) -> None:
    first = scan(today=TODAY, now=NOW)
    count, mails = Notification.objects.count(), len(smtp)
    second = scan(today=TODAY, now=NOW)
    assert first.notifications > 0
    assert (second.notifications, second.emails) == (0, 0)
    assert (Notification.objects.count(), len(smtp)) == (count, mails)


def test_a_user_who_turned_an_email_off_still_sees_it_in_the_portal(
    mailed: dict[str, User], smtp: list[Message]
) -> None:
    EmailChoice.objects.create(user=mailed["submitter"], kind="period_due_soon", email=False)
    scan(today=TODAY, now=NOW)
    assert Notification.objects.filter(user=mailed["submitter"], key=DUE_KEY).exists()
    due = [m for m in smtp if "is due on" in str(m["Subject"])]
    assert not [m for m in due if m["To"] == "submitter@example.org"]
    assert [m for m in due if m["To"] == "manager@example.org"]
    # Other kinds still reach the submitter by e-mail.
    assert [m for m in smtp if m["To"] == "submitter@example.org"]


def test_a_failed_email_is_retried_on_the_next_scan(
    mailed: dict[str, User], settings: object, smtp: list[Message]
) -> None:
    port = settings.EMAIL_PORT  # type: ignore[attr-defined]
    settings.EMAIL_PORT = 9  # type: ignore[attr-defined]  # nothing listens: refused
    failed = scan(today=TODAY, now=NOW)
    assert failed.failed_emails > 0
    assert failed.emails == 0
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    retried = scan(today=TODAY, now=NOW)
    assert retried.notifications == 0
    assert retried.emails == failed.failed_emails


def test_the_mco_hears_of_missing_providers_after_the_due_date(mailed: dict[str, User]) -> None:
    scan(today=date(2026, 10, 22), now=NOW)
    keys = set(
        Notification.objects.filter(user=mailed["mco_analyst"]).values_list("key", flat=True)
    )
    assert "mco:period:2026-10-01:late-or-missing" in keys
    assert not [k for k in keys if k.startswith("period:")]


def test_a_returned_report_is_announced_to_its_filers_without_the_members_name(
    mailed: dict[str, User], as_persona: Callable[[str], Client], smtp: list[Message]
) -> None:
    assert as_persona("submitter").post("/reports/new/", report_form()).status_code == 302
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
    scan(today=TODAY, now=NOW)
    key = f"report:{report.report_id}:v{report.version}:returned"
    note = Notification.objects.get(user=mailed["submitter"], key=key)
    assert note.link == f"/reports/{report.report_id}/"
    assert not Notification.objects.filter(user=mailed["other_provider"], key=key).exists()
    mails = [m for m in smtp if "returned" in str(m["Subject"])]
    assert mails
    for message in mails:
        text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert "Dixon" not in text + str(message["Subject"])
        assert "900001234A" not in text


def test_nobody_in_an_organisation_without_filers_is_notified(
    mailed: dict[str, User], orgs: dict[str, Organisation]
) -> None:
    scan(today=TODAY, now=NOW)
    assert not Notification.objects.filter(key="period:MCO:2026-10-01:due").exists()
