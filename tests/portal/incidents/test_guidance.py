""" "Is this reportable?": classify decides; service breaks go to the member's log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.backup.classify import causes
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Member, ServiceBreak
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def test_a_staff_driven_miss_without_backup_is_reportable(as_persona: Login) -> None:
    page = as_persona("submitter").post(
        "/reports/check/", {"cause": "staff_quit", "backup": "unavailable"}
    )
    content = page.content.decode()
    assert "Yes: file a backup staffing report" in content
    assert "/reports/new/?backup_status=not_available" in content


def test_declined_backup_opens_the_declined_report_type(as_persona: Login) -> None:
    page = as_persona("submitter").post(
        "/reports/check/", {"cause": "staff_illness", "backup": "declined"}
    )
    assert "?backup_status=offered_declined" in page.content.decode()
    form = as_persona("submitter").get("/reports/new/?backup_status=offered_declined")
    assert 'value="offered_declined" required id="id_backup_status_1" checked' in (
        form.content.decode()
    )


def test_a_member_driven_miss_is_a_service_break_and_says_why(as_persona: Login) -> None:
    page = as_persona("submitter").post(
        "/reports/check/", {"cause": "member_vacation", "backup": "not_offered"}
    )
    content = page.content.decode()
    assert "No: this is a service break" in content
    assert "Log the service break" in content


def test_it_logs_a_service_break_for_one_of_the_organisations_members(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    member = Member.objects.get()
    day = timezone.localdate() - timedelta(days=2)
    response = as_persona("manager").post(
        "/reports/service-breaks/new/",
        {"cause": "member_vacation", "member_medicaid_id": "900001234a", "date": day},
    )
    assert response.status_code == 302
    entry = ServiceBreak.objects.get()
    assert (entry.member_id, entry.date, entry.cause) == (member.pk, day, "member_vacation")
    assert AuditEvent.objects.filter(object_type="service_break", action="create").exists()


def test_it_refuses_a_service_break_for_another_organisations_member(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    response = as_persona("other_provider").post(
        "/reports/service-breaks/new/",
        {
            "cause": "member_vacation",
            "member_medicaid_id": "900001234A",
            "date": timezone.localdate(),
        },
    )
    assert response.status_code == 400
    assert "none of your members" in response.content.decode()
    assert not ServiceBreak.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("submitter", 200), ("eor", 200), ("mco_analyst", 403), ("anonymous", 302)],
)
def test_the_reportable_check_is_for_filing_roles(
    as_persona: Login, persona: str, status: int
) -> None:
    assert as_persona(persona).get("/reports/check/").status_code == status


@pytest.mark.parametrize(("persona", "status"), [("mco_analyst", 403), ("anonymous", 302)])
def test_only_filing_roles_log_service_breaks(as_persona: Login, persona: str, status: int) -> None:
    response = as_persona(persona).post("/reports/service-breaks/new/", {})
    assert response.status_code == status


@pytest.mark.parametrize("cause", sorted(c.code.value for c in causes() if c.category == "staff"))
def test_a_crafted_post_cannot_log_a_staff_driven_cause_as_a_service_break(
    as_persona: Login, cause: str
) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    response = as_persona("manager").post(
        "/reports/service-breaks/new/",
        {
            "cause": cause,
            "member_medicaid_id": "900001234A",
            "date": timezone.localdate() - timedelta(days=2),
        },
    )
    assert response.status_code == 400
    assert "is not a service break" in response.content.decode()
    assert not ServiceBreak.objects.exists()
    assert not AuditEvent.objects.filter(object_type="service_break").exists()


@pytest.mark.parametrize("cause", sorted(c.code.value for c in causes() if c.category != "staff"))
def test_every_member_driven_or_closure_cause_can_be_logged_as_a_break(
    as_persona: Login, cause: str
) -> None:
    as_persona("submitter").post("/reports/new/", report_form())
    response = as_persona("manager").post(
        "/reports/service-breaks/new/",
        {"cause": cause, "member_medicaid_id": "900001234A", "date": timezone.localdate()},
    )
    assert response.status_code == 302
    assert ServiceBreak.objects.get().cause == cause
