"""Who sees which facility: operators their own, chains theirs, nobody else's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def test_facility_users_see_only_their_own_facility(
    as_home_user: Callable[[str], Client],
) -> None:
    for name in ("administrator", "don", "mds_coordinator"):
        page = as_home_user(name).get("/nursing-homes/").content.decode()
        assert "Oakwood Nursing and Rehabilitation" in page
        assert "Pinecrest" not in page
        assert "Riverside" not in page


def test_corporate_users_see_every_facility_of_their_chain(
    as_home_user: Callable[[str], Client],
) -> None:
    page = as_home_user("corporate").get("/nursing-homes/").content.decode()
    assert "Oakwood Nursing and Rehabilitation" in page
    assert "Pinecrest Health Center" in page
    assert "Riverside" not in page


def test_another_operator_sees_neither_oakwood_nor_the_chain(
    as_home_user: Callable[[str], Client],
) -> None:
    page = as_home_user("other_home").get("/nursing-homes/").content.decode()
    assert "Riverside Care Center" in page
    assert "Oakwood" not in page


@pytest.mark.parametrize("persona", ["submitter", "eor", "mco_analyst", "mco_admin"])
def test_backup_staffing_users_are_refused_the_nursing_home_workspace(
    as_persona: Callable[[str], Client], persona: str
) -> None:
    assert as_persona(persona).get("/nursing-homes/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(homes: dict[str, Any]) -> None:
    response = Client().get("/nursing-homes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_front_door_sends_each_user_to_their_own_workspace(
    as_home_user: Callable[[str], Client], as_persona: Callable[[str], Client]
) -> None:
    assert as_home_user("don").get("/")["Location"] == "/nursing-homes/"
    assert as_persona("submitter").get("/")["Location"] == "/reports/"


def test_the_facility_list_counts_down_to_the_next_pbj_deadline(
    as_home_user: Callable[[str], Client],
) -> None:
    response = as_home_user("administrator").get("/nursing-homes/")
    due = response.context["due"]
    assert response.context["days_left"] >= 0
    assert f"PBJ for {due} is due on" in response.content.decode()


def test_the_loaded_facility_fixture_gives_a_quarter_of_hours_over_the_mds_census(
    loaded_facility: Any,
) -> None:
    from carecover.pbj.measures.staffing import quarterly_measures, to_rows
    from carecover.pbj.store import ibis_table
    from carecover.pbj.submission.days import TABLE
    from carecover.portal.nursinghome.stores import facility_store

    with facility_store(loaded_facility) as con:
        (m,) = to_rows(quarterly_measures(ibis_table(con, TABLE)))
    assert m["days_reported"] == 92
    assert m["total_hours"] > 0
    assert 2.0 < m["total_hprd"] < 8.0
