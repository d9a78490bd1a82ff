"""The MCO's review: accept, or return with a comment the provider sees, corrects and resubmits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import User
from carecover.portal.incidents.models import Report
from tests.portal.compliance.conftest import FileReport, at, file_report, today  # noqa: F401
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture
def submitted(personas: dict[str, User], file_report: FileReport) -> Report:  # noqa: F811
    """A report of PRV001 submitted yesterday."""
    day = timezone.localdate() - timedelta(days=1)
    return file_report(personas["submitter"], day, submitted=at(day))


def test_a_returned_report_is_corrected_resubmitted_and_accepted(
    as_persona: Login, submitted: Report
) -> None:
    mco, provider = as_persona("mco_analyst"), as_persona("submitter")
    url = f"/reports/{submitted.report_id}"
    mco.post(f"{url}/review/", {"decision": "return", "comment": "Say why backup was not found"})
    workspace = provider.get("/compliance/").content.decode()
    assert "Say why backup was not found" in workspace
    changed = report_form(
        incident_date=submitted.incident_date.isoformat(),
        reason="other",
        reason_other="No backup staff on the roster",
    )
    edited = provider.post(f"{url}/edit/", changed)
    assert edited.status_code == 302, edited.context["form"].errors
    assert provider.post(f"{url}/submit/").status_code == 302
    mco.post(f"{url}/review/", {"decision": "accept", "comment": ""})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reason) == ("accepted", "other")
    assert submitted.versions.count() == 6


def test_returning_without_a_comment_is_refused(as_persona: Login, submitted: Report) -> None:
    response = as_persona("mco_admin").post(
        f"/reports/{submitted.report_id}/review/",
        {"decision": "return", "comment": " "},
        follow=True,
    )
    assert "say what the provider must correct" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize(("persona", "status"), [
    ("submitter", 403), ("manager", 403), ("other_provider", 403), ("eor", 403), ("anonymous", 302),
])  # fmt: skip
def test_only_the_mco_reviews(
    as_persona: Login, submitted: Report, persona: str, status: int
) -> None:
    response = as_persona(persona).post(
        f"/reports/{submitted.report_id}/review/", {"decision": "accept"}
    )
    assert response.status_code == status
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_the_review_form_needs_a_csrf_token(personas: dict[str, User], submitted: Report) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["mco_analyst"])
    response = client.post(f"/reports/{submitted.report_id}/review/", {"decision": "accept"})
    assert response.status_code == 403
