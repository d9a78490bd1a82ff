"""``/api/visits``: EVV integrations post visits and create drafts, own members only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carecover.portal.accounts.models import TokenScope, User
from carecover.portal.accounts.tokens import issue_token
from carecover.portal.incidents.models import Member, Report
from carecover.portal.visits.models import VisitUpload
from tests.portal.api_helpers import ApiClient, api_as, tokens  # noqa: F401
from tests.portal.visits.test_upload import MONTH, casey, robin, visits_csv  # noqa: F401


def post(client: Client, data: bytes) -> object:
    return client.post(
        "/api/visits", {"file": SimpleUploadedFile("v.csv", data, "text/csv"), "mapping": "generic"}
    )


def test_posting_visits_then_creating_drafts(api_as: ApiClient, casey: Member) -> None:  # noqa: F811
    client = api_as("submitter")
    first = post(client, MONTH)
    assert first.status_code == 201
    body = first.json()
    assert [i["kind"] for i in body["interruptions"]] == [
        "failure_to_provide_backup",
        "failure_to_provide_backup",
        "service_break",
        "unexplained",
    ]
    again = post(client, MONTH)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    created = client.post(f"/api/visits/{body['id']}/drafts")
    assert created.status_code == 200
    assert (created.json()["drafts"], created.json()["breaks"]) == (2, 1)
    ids = {i["report_id"] for i in created.json()["upload"]["interruptions"]} - {None}
    assert ids == set(Report.objects.values_list("report_id", flat=True))
    assert client.post(f"/api/visits/{body['id']}/drafts").json()["drafts"] == 0


@pytest.mark.parametrize("persona", ["other_provider", "eor"])
def test_an_outsider_can_neither_read_nor_create_from_another_upload(
    api_as: ApiClient,  # noqa: F811
    casey: Member,  # noqa: F811
    persona: str,
) -> None:
    upload_id = post(api_as("submitter"), MONTH).json()["id"]  # type: ignore[attr-defined]
    outsider = api_as(persona)
    assert outsider.get(f"/api/visits/{upload_id}").status_code == 404
    assert outsider.post(f"/api/visits/{upload_id}/drafts").status_code == 404
    assert not Report.objects.exists()


def test_the_mco_cannot_post_visits(api_as: ApiClient) -> None:  # noqa: F811
    assert post(api_as("mco_analyst"), MONTH).status_code == 403  # type: ignore[attr-defined]
    assert not VisitUpload.objects.exists()


def test_a_read_only_token_cannot_post_visits(personas: dict[str, User]) -> None:
    token = issue_token(
        personas["submitter"], name="ro", by=personas["submitter"], scope=TokenScope.READ
    )[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    response = post(client, MONTH)
    assert response.status_code in (401, 403)  # type: ignore[attr-defined]
    assert not VisitUpload.objects.exists()


def test_a_bad_file_is_a_field_error_and_stores_nothing(
    api_as: ApiClient,  # noqa: F811
    casey: Member,  # noqa: F811
) -> None:
    response = post(api_as("submitter"), visits_csv({"scheduled_start": "8am"}))
    assert response.status_code in (400, 422)  # type: ignore[attr-defined]
    assert "visits.csv:2" in response.content.decode()  # type: ignore[attr-defined]
    assert not VisitUpload.objects.exists()


def test_another_organisations_member_is_not_revealed(
    api_as: ApiClient,  # noqa: F811
    casey: Member,  # noqa: F811
    robin: Member,  # noqa: F811
) -> None:
    body = post(api_as("submitter"), visits_csv({"member_medicaid_id": "900009999Z"})).json()  # type: ignore[attr-defined]
    [row] = body["interruptions"]
    assert (row["member_id"], row["outcome"]) == (None, "unmatched")
    assert "Hart" not in str(body)
