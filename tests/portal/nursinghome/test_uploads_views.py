"""The upload pages: who may upload for which facility, the form's checks, the report, downloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from carecover.pbj.calendar import Quarter
from carecover.portal.nursinghome.models import Upload
from tests.portal.nursinghome.test_uploads import (
    oakwood_pbj,
    rejected_pbj,
    timeclock_csv,
    upload_file,
)

PAGE = "/nursing-homes/100000/uploads/"


def post(client: Client, kind: str, name: str, content: bytes, **extra: Any) -> Any:
    """Post the upload form of Oakwood."""
    return client.post(PAGE, {"kind": kind, "file": upload_file(name, content), **extra})


def last_quarter() -> Quarter:
    """The quarter the form offers by default: the one before today's.

    The form offers only the latest six quarters, so a fixed quarter would
    stop being accepted (and the tests posting it fail) as the years pass.
    """
    return Quarter.containing(timezone.localdate()).previous()


def post_timeclock(client: Client) -> Any:
    """Post Oakwood's small time-clock export (``timeclock_csv``) of ``last_quarter()``."""
    quarter = last_quarter()
    content = timeclock_csv(quarter=quarter)
    return post(client, "timeclock", "p.csv", content, quarter=str(quarter))


@pytest.mark.parametrize("persona", ["administrator", "don", "mds_coordinator", "corporate"])
def test_every_nursing_home_role_may_upload_and_reads_the_report(
    as_home_user: Callable[[str], Client],
    synthetic_files: dict[str, Path],
    persona: str,
) -> None:
    client = as_home_user(persona)
    assert client.get(PAGE).status_code == 200
    response = post(client, "pbj_xml", "q3.xml", oakwood_pbj(synthetic_files["pbj_xml"]))
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}{upload.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Accepted" in page
    assert "Records processed" in page
    assert (
        upload.uploaded_by.get_username()
        == {
            "administrator": "nadia",
            "don": "dora",
            "mds_coordinator": "mads",
            "corporate": "cora",
        }[persona]
    )


def test_the_report_of_a_rejected_file_shows_each_finding_and_the_history_keeps_it(
    as_home_user: Callable[[str], Client], synthetic_files: dict[str, Path]
) -> None:
    client = as_home_user("don")
    response = post(client, "pbj_xml", "bad.xml", rejected_pbj(synthetic_files["pbj_xml"]))
    page = client.get(response["Location"]).content.decode()
    assert "Rejected: nothing was stored." in page
    assert "-3676" in page
    assert "payTypeCode &#x27;7&#x27; is not 1, 2 or 3" in page
    history = client.get(PAGE).content.decode()
    assert "bad.xml" in history
    assert "dora" in history
    assert "status-rejected" in history


def test_a_corporate_user_uploads_for_every_facility_of_the_chain(
    as_home_user: Callable[[str], Client],
) -> None:
    client = as_home_user("corporate")
    assert client.get("/nursing-homes/100001/uploads/").status_code == 200
    assert client.get("/nursing-homes/345678/uploads/").status_code == 404


def test_another_operator_gets_404_for_the_page_the_report_and_the_downloads(
    as_home_user: Callable[[str], Client],
) -> None:
    response = post_timeclock(as_home_user("administrator"))
    assert response.status_code == 302
    upload_url = response["Location"]
    other = as_home_user("other_home")
    for url in (
        PAGE,
        upload_url,
        f"{upload_url}report.json",
        f"{upload_url}report.txt",
        f"{upload_url}pbj.xml",
    ):
        assert other.get(url).status_code == 404, url
    response = post_timeclock(other)
    assert response.status_code == 404
    assert Upload.objects.count() == 1


def test_an_upload_is_found_only_under_its_own_facility(
    as_home_user: Callable[[str], Client],
) -> None:
    corporate = as_home_user("corporate")
    assert post_timeclock(corporate).status_code == 302
    upload = Upload.objects.get()
    assert corporate.get(f"/nursing-homes/100001/uploads/{upload.pk}/").status_code == 404
    assert corporate.get(f"/nursing-homes/100000/uploads/{upload.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["submitter", "mco_analyst"])
def test_backup_staffing_users_are_refused_the_upload_pages(
    as_persona: Callable[[str], Client], homes: dict[str, Any], persona: str
) -> None:
    client = as_persona(persona)
    assert client.get(PAGE).status_code == 403
    assert post_timeclock(client).status_code == 403
    assert not Upload.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(homes: dict[str, Any]) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_upload_without_the_csrf_token_is_refused(homes: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(homes["users"]["administrator"])
    response = post_timeclock(client)
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    as_home_user: Callable[[str], Client], settings: Any
) -> None:
    settings.CARECOVER_UPLOAD_MAX_BYTES = 100
    content = timeclock_csv()
    quarter = str(last_quarter())
    response = post(as_home_user("don"), "timeclock", "big.csv", content, quarter=quarter)
    assert response.status_code == 400
    expected = f"big.csv: the file is {len(content)} bytes, over the upload limit of 100 bytes"
    assert expected in response.content.decode()
    assert not Upload.objects.exists()


def test_an_empty_file_is_refused_with_its_name(as_home_user: Callable[[str], Client]) -> None:
    response = post(as_home_user("don"), "pbj_xml", "nothing.xml", b"")
    assert response.status_code == 400
    assert "nothing.xml: the file is empty" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_time_clock_export_needs_its_quarter(as_home_user: Callable[[str], Client]) -> None:
    response = post(as_home_user("don"), "timeclock", "p.csv", timeclock_csv())
    assert response.status_code == 400
    assert "pick the quarter the time-clock export is for" in response.content.decode()


def test_the_report_downloads_as_json_and_text(
    as_home_user: Callable[[str], Client], synthetic_files: dict[str, Path]
) -> None:
    client = as_home_user("administrator")
    url = post(client, "pbj_xml", "bad.xml", rejected_pbj(synthetic_files["pbj_xml"]))["Location"]
    as_json = client.get(f"{url}report.json")
    assert as_json["Content-Disposition"].startswith('attachment; filename="100000-upload-')
    report = json.loads(as_json.content)
    assert report["status"] == "rejected"
    assert report["fvr"]["counts"]["-3676"] == 1
    text = client.get(f"{url}report.txt").content.decode()
    assert "Status: REJECTED" in text
    assert "[-3676 fatal]" in text
    assert client.get(f"{url}report.pdf").status_code == 404
    assert client.get(f"{url}pbj.xml").status_code == 404


def test_a_time_clock_upload_offers_its_generated_pbj_file(
    as_home_user: Callable[[str], Client],
) -> None:
    client = as_home_user("administrator")
    url = post_timeclock(client)["Location"]
    assert 'id="download-xml"' in client.get(url).content.decode()
    response = client.get(f"{url}pbj.xml")
    assert response["Content-Type"] == "application/xml"
    assert b"<facilityId>SYN000001</facilityId>" in response.content
    assert f"100000-pbj-{last_quarter()}-" in response["Content-Disposition"]
