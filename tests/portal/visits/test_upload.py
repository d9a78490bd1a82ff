"""EVV visits → interruptions → pre-filled drafts and service-break entries, own members only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carecover.backup.visit_layout import FIELDS
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import AuditEvent
from carecover.portal.incidents.models import Member, Report, ServiceBreak
from carecover.portal.visits.models import DetectedInterruption, VisitUpload

Login = Callable[[str], Client]
DAY = "2026-10-06"


def visits_csv(*rows: dict[str, str]) -> bytes:
    """A generic visit file; each row overrides a missed 08:00-12:00 T2013TF visit of Casey."""
    base = {
        "provider_id": "PRV001",
        "member_medicaid_id": "900001234A",
        "member_last_name": "Dixon",
        "member_first_name": "Casey",
        "member_date_of_birth": "1980-05-17",
        "service_code": "T2013TF",
        "visit_date": DAY,
        "scheduled_start": "08:00",
        "scheduled_end": "12:00",
        "actual_start": "",
        "actual_end": "",
        "worker_id": "W1",
        "cause": "staff_illness",
        "backup": "unavailable",
    }
    lines = [",".join(FIELDS)]
    for row in rows:
        merged = {**base, **row}
        lines.append(",".join(merged[f] for f in FIELDS))
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def casey(orgs: dict[str, Organisation]) -> Member:
    """PRV001's member record of Casey Dixon."""
    return Member.objects.create(
        organisation=orgs["provider"],
        first_name="Casey",
        last_name="Dixon",
        date_of_birth=date(1980, 5, 17),
        medicaid_id="900001234A",
    )


@pytest.fixture
def robin(orgs: dict[str, Organisation]) -> Member:
    """A member only PRV002 serves."""
    return Member.objects.create(
        organisation=orgs["other"],
        first_name="Robin",
        last_name="Hart",
        date_of_birth=date(1975, 1, 2),
        medicaid_id="900009999Z",
    )


def upload(client: Client, data: bytes, mapping: str = "generic") -> object:
    return client.post(
        "/visits/",
        {"file": SimpleUploadedFile("visits.csv", data, "text/csv"), "mapping": mapping},
    )


MONTH = visits_csv(
    {},  # missed: a failure
    {"visit_date": "2026-10-07", "actual_start": "09:30", "actual_end": "12:00"},  # partial
    {"visit_date": "2026-10-08", "cause": "member_vacation", "backup": ""},  # a break
    {"visit_date": "2026-10-09", "backup": "provided"},  # covered by backup
    {"visit_date": "2026-10-10", "cause": "", "backup": ""},  # no cause recorded
    {"visit_date": "2026-10-11", "actual_start": "08:00", "actual_end": "12:00"},  # delivered
)


def test_an_upload_lists_each_interruption_with_its_classification(
    as_persona: Login, casey: Member
) -> None:
    response = upload(as_persona("submitter"), MONTH)
    assert response.status_code == 302
    found = VisitUpload.objects.get()
    rows = {r.incident_date.isoformat(): r for r in found.rows.all()}
    assert sorted(rows) == ["2026-10-06", "2026-10-07", "2026-10-08", "2026-10-10"]
    assert (rows["2026-10-06"].kind, rows["2026-10-06"].outcome) == (
        "failure_to_provide_backup",
        "pending",
    )
    assert rows["2026-10-07"].hours_without_staff == 1.5
    assert rows["2026-10-08"].kind == "service_break"
    assert rows["2026-10-10"].outcome == "explain"
    page = as_persona("submitter").get(f"/visits/{found.pk}/").content.decode()
    assert "Failure to provide backup staffing" in page
    assert "J256 trigger 1" in page


def test_creating_makes_prefilled_drafts_and_logs_breaks_once(
    as_persona: Login, casey: Member, personas: dict[str, User]
) -> None:
    client = as_persona("submitter")
    upload(client, MONTH)
    found = VisitUpload.objects.get()
    assert client.post(f"/visits/{found.pk}/create/").status_code == 302
    drafts = Report.objects.order_by("incident_date")
    assert [(str(r.incident_date), r.hours_without_staff, r.status) for r in drafts] == [
        ("2026-10-06", 4.0, "draft"),
        ("2026-10-07", 1.5, "draft"),
    ]
    first = drafts[0]
    assert first.member == casey
    assert (first.scheduled_start.isoformat(), first.scheduled_end.isoformat()) == (
        "08:00:00",
        "12:00:00",
    )
    assert first.backup_status == "not_available"
    assert first.reason is None  # why backup was not provided: the filer says
    assert ServiceBreak.objects.filter(member=casey, cause="member_vacation").count() == 1
    # Again, and the same file again: nothing twice.
    client.post(f"/visits/{found.pk}/create/")
    upload(client, MONTH)
    assert Report.objects.count() == 2
    assert ServiceBreak.objects.count() == 1
    assert VisitUpload.objects.count() == 1


def test_a_draft_from_visits_is_completed_and_submitted_like_any_other(
    as_persona: Login, casey: Member
) -> None:
    client = as_persona("submitter")
    upload(client, visits_csv({}))
    client.post(f"/visits/{VisitUpload.objects.get().pk}/create/")
    draft = Report.objects.get()
    refused = client.post(f"/reports/{draft.report_id}/submit/")
    draft.refresh_from_db()
    assert draft.status == "draft"  # the reason is missing: submit validates
    assert refused.status_code in (200, 302, 400)


def test_a_visit_already_reported_is_refused_with_the_existing_report(
    as_persona: Login, casey: Member
) -> None:
    from tests.portal.conftest import report_form

    client = as_persona("submitter")
    form = report_form(incident_date=DAY, hours_without_staff="4", scheduled_end="12:00")
    form["scheduled_start"] = "08:00"
    assert client.post("/reports/new/", form).status_code == 302
    existing = Report.objects.get()
    upload(client, visits_csv({}))
    client.post(f"/visits/{VisitUpload.objects.get().pk}/create/")
    row = DetectedInterruption.objects.get()
    assert row.outcome == "refused"
    assert existing.report_id in row.problem
    assert Report.objects.count() == 1


def test_another_organisations_member_is_never_matched_nor_revealed(
    as_persona: Login, casey: Member, robin: Member
) -> None:
    client = as_persona("submitter")
    data = visits_csv(
        {"member_medicaid_id": "900009999Z", "member_last_name": "X", "member_first_name": "Y"}
    )
    upload(client, data)
    found = VisitUpload.objects.get()
    [row] = found.rows.all()
    assert (row.member, row.outcome) == (None, "unmatched")
    page = client.get(f"/visits/{found.pk}/").content.decode()
    for theirs in ("Robin", "Hart", "1975"):
        assert theirs not in page
    client.post(f"/visits/{found.pk}/create/")
    robin.refresh_from_db()
    assert (robin.first_name, robin.last_name) == ("Robin", "Hart")
    assert not Report.objects.exists()
    assert not Member.objects.filter(organisation=casey.organisation, medicaid_id="900009999Z")


def test_another_providers_visits_and_mismatched_members_are_left_to_resolve(
    as_persona: Login, casey: Member
) -> None:
    client = as_persona("submitter")
    upload(client, visits_csv({"provider_id": "PRV002"}, {"member_date_of_birth": "1981-05-17"}))
    outcomes = sorted(r.problem.split(":")[0] for r in DetectedInterruption.objects.all())
    assert outcomes == [
        "the visit is of provider PRV002, not yours (PRV001)",
        "your member record has a different birth date",
    ]
    client.post(f"/visits/{VisitUpload.objects.get().pk}/create/")
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_outsiders_can_neither_see_nor_act_on_an_upload(
    as_persona: Login, casey: Member, persona: str
) -> None:
    upload(as_persona("submitter"), MONTH)
    found = VisitUpload.objects.get()
    outsider = as_persona(persona)
    assert outsider.get(f"/visits/{found.pk}/").status_code == 404
    assert outsider.post(f"/visits/{found.pk}/create/").status_code == 404
    assert not Report.objects.exists()
    assert "Dixon" not in outsider.get("/visits/").content.decode()


@pytest.mark.parametrize(("persona", "status"), [("mco_analyst", 403), ("anonymous", 302)])
def test_only_filers_upload_visits(as_persona: Login, persona: str, status: int) -> None:
    assert as_persona(persona).get("/visits/").status_code == status


def test_a_bad_file_names_the_line_and_column_and_stores_nothing(
    as_persona: Login, casey: Member
) -> None:
    response = upload(as_persona("submitter"), visits_csv({"actual_start": "09:00"}))
    assert response.status_code == 200
    assert "visits.csv:2: actual_end: is empty" in response.content.decode()
    assert not VisitUpload.objects.exists()


def test_viewing_an_upload_is_an_audited_identity_view(as_persona: Login, casey: Member) -> None:
    client = as_persona("submitter")
    upload(client, MONTH)
    found = VisitUpload.objects.get()
    client.get(f"/visits/{found.pk}/")
    assert AuditEvent.objects.filter(
        action="view_identity", object_type="visit_upload", object_id=str(found.pk)
    ).exists()
