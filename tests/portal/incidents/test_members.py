"""Members belong to an organisation: another organisation's filing never changes or reveals them.

Each attack of issue 11 §1 is tried by each filing persona, through the form
and through the API, against a member another organisation serves. After
it, the victim's member record, report, MCO view and search results are as
before, and nothing of theirs is in the attacker's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents import filing
from carecover.portal.incidents.models import Member, Report
from tests.portal.api_helpers import ApiClient, api_as, report_payload, tokens
from tests.portal.conftest import report_form

__all__ = ["api_as", "tokens"]  # fixtures

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
JSON = "application/json"

#: Who files against whose member: each filing persona against another organisation.
VICTIM = {
    "submitter": "other_provider",
    "manager": "other_provider",
    "eor": "other_provider",
    "other_provider": "submitter",
}
#: The victim's member as they filed them.
ROBIN = {
    "member_first_name": "Robin",
    "member_last_name": "Ellis",
    "member_date_of_birth": "1975-03-02",
    "member_medicaid_id": "900009999B",
    "member_ssn": "123-45-6789",
}
#: What the attacker types under the victim's member's Medicaid id.
MALLORY = {
    "first_name": "Mallory",
    "last_name": "Intruder",
    "date_of_birth": "1990-01-01",
    "medicaid_id": "900009999B",
}


def _site(persona: str) -> str:
    return "S1" if persona in ("submitter", "manager") else ""


def _file_robin(client: Client, persona: str) -> Report:
    response = client.post("/reports/new/", report_form(site=_site(persona), **ROBIN))
    assert response.status_code == 302, response.context["form"].errors
    return Report.objects.get(member__medicaid_id="900009999B")


@pytest.fixture
def victims_report(request: pytest.FixtureRequest, as_persona: Login) -> Report:
    """The victim's submitted report about Robin Ellis (SSN ending 6789)."""
    victim: str = request.param
    client = as_persona(victim)
    row = _file_robin(client, victim)
    assert client.post(f"/reports/{row.report_id}/submit/").status_code == 302
    row.refresh_from_db()
    assert row.status == "submitted"
    return row


def _attack(channel: str, attacker: str, as_persona: Login, api_as: ApiClient) -> str:
    """File under Robin's Medicaid id with another name; the answer's text."""
    if channel == "form":
        typed = {f"member_{k}": v for k, v in MALLORY.items()}
        client = as_persona(attacker)
        response = client.post("/reports/new/", report_form(site=_site(attacker), **typed))
        assert response.status_code == 302
        page = client.get(response["Location"])
        return response.content.decode() + page.content.decode()
    contact = {"name": "Pat Lee", "phone": "919-555-0100", "email": "pat@example.org"}
    payload = report_payload(member=MALLORY, site_id=_site(attacker) or None, contact=contact)
    response = api_as(attacker).post("/api/reports", payload, content_type=JSON)
    assert response.status_code == 201, response.content
    return response.content.decode()


def _robin_unchanged(row: Report, as_persona: Login, victim: str) -> None:
    member = Member.objects.get(pk=row.member_id)
    assert (member.first_name, member.last_name, member.date_of_birth.isoformat()) == (
        "Robin",
        "Ellis",
        "1975-03-02",
    )
    assert member.ssn_last4 == "6789"
    assert member.organisation_id == row.organisation_id
    row.refresh_from_db()
    assert (row.member_first_name, row.member_last_name, row.member_ssn_last4) == (
        "Robin",
        "Ellis",
        "6789",
    )
    for viewer in ("mco_analyst", victim):
        page = as_persona(viewer).get(f"/reports/{row.report_id}/").content.decode()
        assert "Ellis, Robin" in page
        assert "Intruder" not in page


def _nothing_of_robin(text: str) -> None:
    for secret in ("Robin", "Ellis", "6789", "1975-03-02"):
        assert secret not in text


@pytest.mark.parametrize("channel", ["form", "api"])
@pytest.mark.parametrize(
    ("attacker", "victims_report"),
    list(VICTIM.items()),
    indirect=["victims_report"],
)
def test_filing_under_another_organisations_member_changes_and_reveals_nothing(
    as_persona: Login,
    api_as: ApiClient,
    personas: dict[str, User],
    victims_report: Report,
    attacker: str,
    channel: str,
) -> None:
    answer = _attack(channel, attacker, as_persona, api_as)
    _nothing_of_robin(answer)
    _robin_unchanged(victims_report, as_persona, VICTIM[attacker])
    # The attacker's report is about the attacker's own record, as they typed it.
    own = Member.objects.get(organisation=personas[attacker].organisation, medicaid_id="900009999B")
    assert (own.first_name, own.ssn_last4) == ("Mallory", None)
    # Neither search nor the member's record page opens the victim's member.
    search = as_persona(attacker).post("/reports/members/", {"member_last_name": "El"})
    _nothing_of_robin(search.content.decode())
    breaks = as_persona(attacker).get(
        f"/reports/members/{victims_report.member_id}/service-breaks/"
    )
    assert breaks.status_code == 404
    listed = api_as(attacker).get("/api/reports", {"member_id": victims_report.member_id})
    assert listed.json()["count"] == 0


@pytest.mark.parametrize("channel", ["form", "api"])
def test_an_accepted_report_of_another_organisation_keeps_its_member(
    as_persona: Login, api_as: ApiClient, personas: dict[str, User], channel: str
) -> None:
    row = _file_robin(as_persona("eor"), "eor")
    now = timezone.now()
    filing.submit(personas["eor"], row, now=now, today=timezone.localdate())
    filing.accept(personas["mco_admin"], row, now=now)
    answer = _attack(channel, "submitter", as_persona, api_as)
    _nothing_of_robin(answer)
    row.refresh_from_db()
    assert row.status == "accepted"
    _robin_unchanged(row, as_persona, "eor")


def test_the_mco_sees_each_organisations_record_under_one_medicaid_id(
    as_persona: Login, api_as: ApiClient
) -> None:
    _file_robin(as_persona("other_provider"), "other_provider")
    _attack("api", "submitter", as_persona, api_as)
    records = Member.objects.filter(medicaid_id="900009999B")
    assert sorted(records.values_list("organisation__code", flat=True)) == ["PRV001", "PRV002"]
    page = as_persona("mco_analyst").post("/reports/members/", {"member_last_name": "El"})
    # The MCO's search covers every organisation's records (it cannot file: 403).
    assert page.status_code == 403


# Inside one organisation: a difference is a warning to resolve, a correction is audited.


@pytest.fixture
def first_report(as_persona: Login) -> Report:
    """The submitter's submitted report about Casey Dixon, SSN ending 6789."""
    client = as_persona("submitter")
    assert client.post("/reports/new/", report_form(member_ssn="123-45-6789")).status_code == 302
    row = Report.objects.get()
    assert client.post(f"/reports/{row.report_id}/submit/").status_code == 302
    return row


def _another_day(**changes: Any) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=2)
    return report_form(incident_date=day.isoformat(), **changes)


def test_a_different_ssn_on_the_form_is_a_warning_on_its_field_not_a_silent_overwrite(
    as_persona: Login, first_report: Report
) -> None:
    response = as_persona("manager").post("/reports/new/", _another_day(member_ssn="234-56-7890"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "different SSN ending (ending 6789)" in errors["member_ssn"][0]
    assert Report.objects.count() == 1
    assert Member.objects.get().ssn_last4 == "6789"


def test_a_different_name_through_the_api_is_a_422_naming_the_field(
    api_as: ApiClient, first_report: Report
) -> None:
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    member = {**report_payload()["member"], "first_name": "Kasey"}
    response = api_as("submitter").post(
        "/api/reports", report_payload(member=member, incident_date=day), content_type=JSON
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["member.first_name"]
    assert Member.objects.get().first_name == "Casey"


@pytest.mark.parametrize("channel", ["form", "api"])
def test_correcting_the_member_record_is_audited_and_leaves_filed_reports_as_filed(
    as_persona: Login, api_as: ApiClient, first_report: Report, channel: str
) -> None:
    if channel == "form":
        form = _another_day(member_ssn="234-56-7890", correct_member_record="on")
        assert as_persona("submitter").post("/reports/new/", form).status_code == 302
    else:
        day = (timezone.localdate() - timedelta(days=2)).isoformat()
        member = {**report_payload()["member"], "ssn": "234-56-7890"}
        payload = report_payload(member=member, incident_date=day, correct_member_record=True)
        response = api_as("submitter").post("/api/reports", payload, content_type=JSON)
        assert response.status_code == 201, response.content
        assert response.json()["member"]["ssn_last4"] == "7890"
    assert Member.objects.get().ssn_last4 == "7890"
    correction = AuditEvent.objects.get(object_type="member", action="change")
    assert correction.before is not None
    assert correction.after is not None
    assert (correction.before["ssn_last4"], correction.after["ssn_last4"]) == ("6789", "7890")
    assert "234-56-7890" not in str(correction.after)
    page = as_persona("mco_analyst").get(f"/reports/{first_report.report_id}/").content.decode()
    assert "SSN ending 6789" in page
    first_report.refresh_from_db()
    assert first_report.member_ssn_last4 == "6789"


@pytest.mark.parametrize(("persona", "sees"), [("mco_analyst", True), ("other_provider", False)])
def test_only_the_mco_sees_every_organisations_record_of_one_medicaid_id(
    as_persona: Login, api_as: ApiClient, persona: str, sees: bool
) -> None:
    _file_robin(as_persona("other_provider"), "other_provider")
    _attack("api", "submitter", as_persona, api_as)
    theirs = Member.objects.get(organisation__code="PRV002")
    ours = Member.objects.get(organisation__code="PRV001")
    page = as_persona(persona).get(f"/reports/members/{theirs.pk}/service-breaks/")
    text = page.content.decode()
    assert ("Intruder, Mallory" in text) is sees
    assert ('id="other-member-records"' in text) is sees
    # The viewer's own audit rows (the filer "sam" saw their record when filing).
    shown = AuditEvent.objects.filter(action="view_identity", object_type="member").exclude(
        actor_username="sam"
    )
    assert (str(ours.pk) in shown.values_list("object_id", flat=True)) is sees
