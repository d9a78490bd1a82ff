"""Drafts as the seed describes them (issue 13 §2): save what is typed, return, complete, submit.

"Save and finish later" keeps an incomplete report under a BUS id issued on
that first save, lists what is still missing, and never files anything; only
the organisation's own filers see or change it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import IncompleteDraft, Report
from tests.portal.conftest import report_form

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
OUTSIDERS = [("other_provider", 404), ("eor", 404), ("mco_analyst", 403), ("mco_admin", 403)]


def _half_typed(**changes: str) -> dict[str, str]:
    """The report form with the member's last name, the hours and the reason not typed yet."""
    blanks = {"member_last_name": "", "hours_without_staff": "", "reason": ""}
    data = report_form(**{**blanks, **changes})
    data["later"] = "1"
    return data


@pytest.fixture
def incomplete(as_persona: Login) -> IncompleteDraft:
    """The submitter's report, saved to finish later."""
    response = as_persona("submitter").post("/reports/new/", _half_typed())
    assert response.status_code == 302
    return IncompleteDraft.objects.get()


def test_save_and_finish_later_keeps_an_incomplete_report_under_a_new_bus_id(
    as_persona: Login,
) -> None:
    response = as_persona("submitter").post("/reports/new/", _half_typed())
    draft = IncompleteDraft.objects.get()
    assert response["Location"] == f"/reports/{draft.report_id}/edit/"
    assert draft.report_id.startswith(f"BUS-{timezone.localdate().year}-")
    assert draft.values["member_first_name"] == "Casey"
    assert draft.values["service_code"] == "T2013TF"
    assert "member_last_name" not in draft.values
    assert not Report.objects.exists()


def test_returning_to_an_incomplete_draft_lists_the_fields_still_missing(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    page = as_persona("submitter").get(f"/reports/{incomplete.report_id}/edit/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Saved as an incomplete draft: 3 fields to complete before it can be submitted" in text
    for link in ("#id_member_last_name", "#id_hours_without_staff", "#id_reason"):
        assert f'href="{link}"' in text
    assert 'value="Casey"' in text  # what was typed is there to finish


def test_a_plain_save_of_an_incomplete_form_still_refuses_and_offers_to_finish_later(
    as_persona: Login,
) -> None:
    data = _half_typed()
    del data["later"]
    page = as_persona("submitter").post("/reports/new/", data)
    assert page.status_code == 200
    assert "The report was not saved: 3 fields to correct" in page.content.decode()
    assert "Save and finish later" in page.content.decode()
    assert not IncompleteDraft.objects.exists()
    assert not Report.objects.exists()


def test_completing_the_draft_makes_it_a_report_under_the_same_bus_id_which_can_be_submitted(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    filer = as_persona("submitter")
    saved = filer.post(f"/reports/{incomplete.report_id}/edit/", report_form())
    assert saved["Location"] == f"/reports/{incomplete.report_id}/"
    assert not IncompleteDraft.objects.exists()
    report = Report.objects.get()
    assert (report.report_id, report.status, report.version) == (incomplete.report_id, "draft", 1)
    assert filer.post(f"/reports/{report.report_id}/submit/").status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


def test_saving_later_again_keeps_the_same_bus_id_and_the_new_values(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    data = _half_typed(member_last_name="Dixon")
    response = as_persona("submitter").post(f"/reports/{incomplete.report_id}/edit/", data)
    assert response["Location"] == f"/reports/{incomplete.report_id}/edit/"
    draft = IncompleteDraft.objects.get()
    assert (draft.report_id, draft.values["member_last_name"]) == (incomplete.report_id, "Dixon")
    change = AuditEvent.objects.get(action="change", object_id=incomplete.report_id)
    assert change.before is not None
    assert change.after is not None
    assert "member_last_name" not in change.before["incomplete"]
    assert change.after["incomplete"]["member_last_name"] == "Dixon"


def test_an_incomplete_draft_cannot_be_submitted(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    response = as_persona("submitter").post(f"/reports/{incomplete.report_id}/submit/")
    assert response["Location"] == f"/reports/{incomplete.report_id}/edit/"
    assert not Report.objects.exists()
    assert IncompleteDraft.objects.count() == 1


def test_the_ssn_typed_for_look_up_is_never_kept_in_an_incomplete_draft(as_persona: Login) -> None:
    as_persona("submitter").post("/reports/new/", _half_typed(member_ssn="123-45-6789"))
    draft = IncompleteDraft.objects.get()
    assert "member_ssn" not in draft.values
    assert "6789" not in str(draft.values)
    assert "6789" not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_a_crafted_overlong_value_is_refused_by_name_and_nothing_is_kept(
    as_persona: Login,
) -> None:
    page = as_persona("submitter").post("/reports/new/", _half_typed(service_code="T" * 500))
    assert page.status_code == 200
    assert "is too long: at most 20 characters" in page.content.decode()
    assert not IncompleteDraft.objects.exists()


def test_the_list_shows_the_filer_their_drafts_to_finish_and_never_the_mco(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    assert incomplete.report_id in as_persona("manager").get("/reports/").content.decode()
    for persona in ("other_provider", "eor", "mco_analyst"):
        assert incomplete.report_id not in as_persona(persona).get("/reports/").content.decode()


@pytest.mark.parametrize(("persona", "status"), OUTSIDERS)
def test_an_outsider_can_neither_open_nor_change_nor_delete_an_incomplete_draft(
    as_persona: Login, incomplete: IncompleteDraft, persona: str, status: int
) -> None:
    client = as_persona(persona)
    path = f"/reports/{incomplete.report_id}"
    response = client.get(f"{path}/edit/")
    assert response.status_code == status
    assert "Casey" not in response.content.decode()
    assert client.get(f"{path}/").status_code in (404, status)
    assert client.post(f"{path}/edit/", _half_typed(member_first_name="Mallory")).status_code == (
        status
    )
    assert client.post(f"{path}/edit/", report_form()).status_code == status
    assert client.post(f"{path}/submit/").status_code == status
    assert client.post(f"{path}/delete/").status_code == status
    draft = IncompleteDraft.objects.get()
    assert draft.values == incomplete.values
    assert not Report.objects.exists()


def test_deleting_an_incomplete_draft_is_audited_with_what_it_held(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    response = as_persona("manager").post(f"/reports/{incomplete.report_id}/delete/")
    assert response["Location"] == "/reports/"
    assert not IncompleteDraft.objects.exists()
    event = AuditEvent.objects.get(action="revoke", object_id=incomplete.report_id)
    assert event.before == {"incomplete": incomplete.values}


def test_opening_an_incomplete_draft_records_a_view_of_the_identity_typed(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    as_persona("submitter").get(f"/reports/{incomplete.report_id}/edit/")
    assert AuditEvent.objects.filter(
        action="view_identity", object_type="report", object_id=incomplete.report_id
    ).exists()


def test_an_incomplete_range_completes_into_one_draft_per_date_the_first_keeping_its_id(
    as_persona: Login,
) -> None:
    today = timezone.localdate()
    first, last = today - timedelta(days=3), today - timedelta(days=1)
    filer = as_persona("submitter")
    filer.post("/reports/new/", _half_typed(incident_date=first.isoformat(),
                                            last_date=last.isoformat()))  # fmt: skip
    draft = IncompleteDraft.objects.get()
    assert draft.values["last_date"] == last.isoformat()
    complete = report_form(incident_date=first.isoformat(), last_date=last.isoformat())
    assert filer.post(f"/reports/{draft.report_id}/edit/", complete)["Location"] == "/reports/"
    rows = list(Report.objects.order_by("incident_date"))
    assert [row.incident_date for row in rows] == [first + timedelta(days=n) for n in range(3)]
    assert rows[0].report_id == draft.report_id
    assert len({row.report_id for row in rows}) == 3


def test_completing_a_draft_of_an_incident_already_reported_is_refused_and_keeps_the_draft(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    filer = as_persona("submitter")
    assert filer.post("/reports/new/", report_form()).status_code == 302
    page = filer.post(f"/reports/{incomplete.report_id}/edit/", report_form())
    assert page.status_code == 200
    assert Report.objects.count() == 1
    assert IncompleteDraft.objects.get().values == incomplete.values


def test_submit_all_names_an_incomplete_draft_of_the_range_as_not_submitted(
    as_persona: Login, incomplete: IncompleteDraft
) -> None:
    day = incomplete.values["incident_date"]
    response = as_persona("submitter").post(
        "/reports/submit-all/", {"incident_from": day, "incident_to": day}, follow=True
    )
    assert f"{incomplete.report_id} stays a draft: is not complete" in response.content.decode()
