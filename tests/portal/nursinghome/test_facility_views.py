"""The facility page: who may open it, what it shows, how it copes with no data or bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from carecover.pbj.submission.days import TABLE
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store

PAGE = "/nursing-homes/100000/"


def test_the_page_shows_every_section_of_a_loaded_quarter(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("don").get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for section in (
        'id="deadline"',
        'id="chart-hprd"',
        'id="measures"',
        'id="coverage-calendar"',
        'id="census-none"',
        'id="star-card"',
        'id="projection-table"',
        'id="whatif"',
        'id="downloads"',
    ):
        assert section in page, section
    assert "PBJ for 2026Q3 is due on 14 November 2026" in page
    assert page.count('<table class="month">') == 3


def test_the_measures_table_heads_its_columns_in_words_keeping_the_column_name(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    page = as_home_user("don").get(PAGE).content.decode()
    table = page[page.index('id="measures"') : page.index("</thead>", page.index('id="measures"'))]
    assert '<th scope="col" data-column="rn_hprd" title="rn_hprd">RN HPRD</th>' in table
    assert ">Days with residents and no RN hours</th>" in table
    assert re.search(r">[a-z]+_[a-z_]+</th>", table) is None  # no column name shown as a header


def test_another_operator_gets_404_for_oakwood(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    client = as_home_user("other_home")
    assert client.get(PAGE).status_code == 404
    assert client.get(f"{PAGE}download/daily.csv").status_code == 404
    assert client.get("/nursing-homes/345678/").status_code == 200


def test_corporate_users_open_every_facility_of_their_chain(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    client = as_home_user("corporate")
    assert client.get(PAGE).status_code == 200
    assert client.get("/nursing-homes/100001/").status_code == 200
    assert client.get("/nursing-homes/345678/").status_code == 404


@pytest.mark.parametrize("persona", ["submitter", "mco_analyst"])
def test_backup_staffing_users_are_refused_the_facility_page(
    homes: dict[str, Any], as_persona: Callable[[str], Client], persona: str
) -> None:
    assert as_persona(persona).get(PAGE).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(homes: dict[str, Any]) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_facility_list_links_each_facility_to_its_page(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    page = as_home_user("corporate").get("/nursing-homes/").content.decode()
    assert f'href="{PAGE}"' in page
    assert 'href="/nursing-homes/100001/"' in page


def test_a_facility_without_data_says_what_to_upload(
    homes: dict[str, Any], as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("corporate").get("/nursing-homes/100001/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="empty-state"' in page
    assert "PBJ submission" in page
    assert "MDS assessments" in page


@pytest.mark.parametrize("text", ["2026Q9", "next quarter", "<script>"])
def test_a_bad_quarter_is_a_message_not_an_error(
    loaded_facility: Facility, as_home_user: Callable[[str], Client], text: str
) -> None:
    response = as_home_user("don").get(PAGE, {"quarter": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "showing the latest quarter" in page
    assert 'id="star-card"' in page
    assert "<script>" not in page.split("<main>")[1]


def test_a_quarter_without_data_shows_the_latest_with_a_notice(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("don").get(PAGE, {"quarter": "2025Q1"})
    assert response.status_code == 200
    assert "no PBJ days of 100000 for 2025Q1" in response.content.decode()
    assert response.context["figures"].quarter.label == "2026Q3"


def test_the_what_if_form_recomputes_the_projection(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    client = as_home_user("don")
    plain = client.get(PAGE).context["figures"].projection
    response = client.get(
        PAGE, {"quarter": "2026Q3", "whatif": "1", "submitted_on": "2026-12-01", "audit_failed": ""}
    )
    assert response.status_code == 200
    projected = response.context["figures"].projection
    assert 'id="whatif-applied"' in response.content.decode()
    assert projected.card.staffing_rating == 1
    assert plain.card.staffing_rating != 1


def test_a_bad_what_if_value_is_shown_next_to_its_field(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("don").get(PAGE, {"whatif": "1", "extra_rn_hours": "-3"})
    assert response.status_code == 200
    assert response.context["form"].errors["extra_rn_hours"]
    assert not response.context["figures"].what_if.active


def test_resident_names_stay_out_of_every_link(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    response = as_home_user("mds_coordinator").get(PAGE)
    page = response.content.decode()
    names = {r.last_name for r in response.context["figures"].missing}
    assert names
    assert all(name in page for name in names)  # shown to an authorised user ...
    links = re.findall(r'(?:href|action)="([^"]*)"', page)
    assert not [link for link in links if any(name in link.upper() for name in names)]


def test_only_administrators_and_chain_users_see_the_settings_link(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    assert 'id="settings-link"' in as_home_user("administrator").get(PAGE).content.decode()
    assert 'id="settings-link"' in as_home_user("corporate").get(PAGE).content.decode()
    assert 'id="settings-link"' not in as_home_user("don").get(PAGE).content.decode()


def test_a_cms_public_file_adds_the_census_comparison_and_cms_columns(
    loaded_facility: Facility, as_home_user: Callable[[str], Client]
) -> None:
    with facility_store(loaded_facility) as con:
        con.execute(f"INSERT INTO daily_nurse_staffing SELECT * FROM {TABLE}")
        con.execute(
            "UPDATE daily_nurse_staffing SET mdscensus = mdscensus - 2 WHERE workdate = ?",
            [date(2026, 7, 14)],
        )
    page = as_home_user("don").get(PAGE).content.decode()
    assert 'id="census-none"' not in page
    assert "92 days compared, 91 equal" in page
    assert page.count('class="differs"') == 1
    assert 'class="hprd cms-total"' in page
    assert "CMS file" in page
