"""Deleting a draft: the filer's way out of a draft that needs no report (issue 11 §3).

A filed report stays on record; another organisation's draft is a 404.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Report, ReportVersion
from tests.portal.api_helpers import ApiClient, api_as, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture
def draft(as_persona: Login) -> Report:
    """The submitter's draft about Casey Dixon."""
    assert as_persona("submitter").post("/reports/new/", report_form()).status_code == 302
    return Report.objects.get()


def _delete(channel: str, persona: str, row: Report, login: Login, api: ApiClient) -> int:
    if channel == "form":
        return login(persona).post(f"/reports/{row.report_id}/delete/").status_code
    return api(persona).delete(f"/api/reports/{row.report_id}").status_code


@pytest.mark.parametrize(("channel", "status"), [("form", 302), ("api", 204)])
def test_a_filer_deletes_their_draft_and_the_deletion_is_audited_with_its_content(
    as_persona: Login, api_as: ApiClient, draft: Report, channel: str, status: int
) -> None:
    assert _delete(channel, "manager", draft, as_persona, api_as) == status
    assert not Report.objects.exists()
    assert not ReportVersion.objects.exists()
    event = AuditEvent.objects.get(action="revoke", object_type="report")
    assert event.object_id == draft.report_id
    assert event.before is not None
    assert event.before["incident_date"] == draft.incident_date.isoformat()


@pytest.mark.parametrize("channel", ["form", "api"])
@pytest.mark.parametrize(("persona", "status"), [("other_provider", 404), ("eor", 404)])
def test_another_organisations_draft_cannot_be_deleted(
    as_persona: Login, api_as: ApiClient, draft: Report, channel: str, persona: str, status: int
) -> None:
    assert _delete(channel, persona, draft, as_persona, api_as) == status
    assert Report.objects.get().version == draft.version


@pytest.mark.parametrize("channel", ["form", "api"])
def test_the_mco_cannot_delete_a_draft(
    as_persona: Login, api_as: ApiClient, draft: Report, channel: str
) -> None:
    assert _delete(channel, "mco_admin", draft, as_persona, api_as) == 403
    assert Report.objects.exists()


@pytest.mark.parametrize(("channel", "status"), [("form", 302), ("api", 409)])
def test_a_submitted_report_cannot_be_deleted(
    as_persona: Login, api_as: ApiClient, draft: Report, channel: str, status: int
) -> None:
    assert as_persona("submitter").post(f"/reports/{draft.report_id}/submit/").status_code == 302
    assert _delete(channel, "submitter", draft, as_persona, api_as) == status
    assert Report.objects.get().status == "submitted"
    assert not AuditEvent.objects.filter(action="revoke").exists()
