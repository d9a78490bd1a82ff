"""The commands that set up nursing homes: facilities, operators, chains and their users."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.nursinghome.access import visible_facilities
from carecover.portal.nursinghome.models import Facility

STRONG = "a long enough pass phrase 42"


def _add(ccn: str = "345678", *extra: str) -> str:
    out = StringIO()
    call_command(
        "add_nursing_home",
        ccn,
        "--name",
        "Magnolia Gardens",
        "--state",
        "nc",
        "--pbj-facility-id",
        "MAG01",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_a_facility_is_added_with_its_operator_and_chain(db: None) -> None:
    message = _add("345678", "--chain-code", "CH1", "--chain-name", "Coastal Care")
    facility = Facility.objects.get(ccn="345678")
    assert facility.state == "NC"
    assert facility.organisation.kind == OrganisationKind.FACILITY
    assert facility.chain is not None
    assert facility.chain.name == "Coastal Care"
    assert "Magnolia Gardens (345678)" in message


def test_running_the_command_again_updates_the_facility_instead_of_duplicating_it(
    db: None,
) -> None:
    _add()
    _add("345678", "--chain-code", "CH1")
    assert Facility.objects.count() == 1
    assert Facility.objects.get().chain is not None


def test_a_ccn_with_punctuation_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="six letters or digits"):
        _add("34-678")
    assert not Facility.objects.exists()


def test_a_facility_cannot_be_put_under_an_mco(db: None) -> None:
    Organisation.objects.create(name="Trillium", kind=OrganisationKind.MCO, code="MCO")
    with pytest.raises(CommandError, match="not a Nursing-home chain"):
        _add("345678", "--chain-code", "MCO")


def test_a_corporate_user_created_by_command_sees_the_chains_facilities(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add("345678", "--chain-code", "CH1")
    monkeypatch.setenv("CARECOVER_USER_PASSWORD", STRONG)
    call_command(
        "add_nursing_home_user",
        "cora",
        "--organisation",
        "CH1",
        "--role",
        "corporate",
        stdout=StringIO(),
    )
    user = User.objects.get(username="cora")
    assert user.role == Role.CORPORATE
    assert [f.ccn for f in visible_facilities(user)] == ["345678"]


def test_a_role_the_organisation_does_not_have_is_refused(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add()
    monkeypatch.setenv("CARECOVER_USER_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="has no Chain"):
        call_command(
            "add_nursing_home_user",
            "dora",
            "--organisation",
            "NH345678",
            "--role",
            "corporate",
            stdout=StringIO(),
        )
    assert not User.objects.filter(username="dora").exists()
