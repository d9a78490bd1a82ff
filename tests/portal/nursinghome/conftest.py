"""Nursing-home workspace fixtures: operators, a chain, facilities, personas, loaded stores.

Every test gets its own folder of facility stores (``CARECOVER_FACILITY_STORES``).
``loaded_facility`` fills Oakwood's store with a synthetic 2026Q3 PBJ
submission (facilityId SYN000001) and MDS assessments whose A0100B is
Oakwood's CCN, as a facility would by uploading both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from carecover.mds.store import load_files as load_mds
from carecover.mds.synth import synth_mds
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.store import load_xml
from carecover.pbj.submission.synth import synth_pbj_xml
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store, refresh_submission_days

QUARTER = Quarter(2026, 3)


@pytest.fixture(autouse=True)
def facility_stores(settings: Any, tmp_path: Path) -> Path:
    """A fresh folder of facility stores for each test."""
    folder = tmp_path / "facilities"
    settings.CARECOVER_FACILITY_STORES = folder
    return folder


@pytest.fixture
def homes(db: None) -> dict[str, Any]:
    """Two operators (Oakwood in the Carolina Care chain, Riverside alone) and their users."""
    chain = Organisation.objects.create(
        name="Carolina Care Group", kind=OrganisationKind.CHAIN, code="CHAIN01"
    )
    oak_op = Organisation.objects.create(
        name="Oakwood Operating LLC", kind=OrganisationKind.FACILITY, code="NH100000"
    )
    pine_op = Organisation.objects.create(
        name="Pinecrest Operating LLC", kind=OrganisationKind.FACILITY, code="NH100001"
    )
    river_op = Organisation.objects.create(
        name="Riverside Operating LLC", kind=OrganisationKind.FACILITY, code="NH345678"
    )
    oakwood = Facility.objects.create(
        ccn="100000",
        name="Oakwood Nursing and Rehabilitation",
        state="NC",
        pbj_facility_id="SYN000001",
        organisation=oak_op,
        chain=chain,
        health_inspection_stars=3,
        quality_measure_stars=4,
    )
    pinecrest = Facility.objects.create(
        ccn="100001",
        name="Pinecrest Health Center",
        state="NC",
        pbj_facility_id="SYN000002",
        organisation=pine_op,
        chain=chain,
    )
    riverside = Facility.objects.create(
        ccn="345678",
        name="Riverside Care Center",
        state="NC",
        pbj_facility_id="RIV0001",
        organisation=river_op,
    )

    def user(name: str, org: Organisation, role: Role) -> User:
        return User.objects.create_user(name, password=None, organisation=org, role=role)

    return {
        "chain": chain,
        "oakwood": oakwood,
        "pinecrest": pinecrest,
        "riverside": riverside,
        "users": {
            "administrator": user("nadia", oak_op, Role.NH_ADMINISTRATOR),
            "don": user("dora", oak_op, Role.DON),
            "mds_coordinator": user("mads", oak_op, Role.MDS_COORDINATOR),
            "corporate": user("cora", chain, Role.CORPORATE),
            "other_home": user("rita", river_op, Role.NH_ADMINISTRATOR),
        },
    }


@pytest.fixture
def as_home_user(homes: dict[str, Any]) -> Callable[[str], Client]:
    """A signed-in client for a nursing-home persona (see ``homes``)."""

    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(homes["users"][name])
        return client

    return client_for


@pytest.fixture(scope="session")
def synthetic_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One synthetic 2026Q3 PBJ XML (SYN000001, NC) and MDS extract (CCN 100000)."""
    folder = tmp_path_factory.mktemp("nh-synth")
    xml = folder / "oakwood-2026Q3.xml"
    # A one-row profile makes the submission's stateCode NC, Oakwood's state
    # (unprofiled, seed 7 draws OH and the submission days get no hours).
    profile = folder / "oakwood-profile.csv"
    profile.write_text(
        "state,avg_daily_census,avg_total_nurse_hprd,avg_rn_hprd\nNC,80,3.9,0.75\n",
        encoding="utf-8",
    )
    synth_pbj_xml(xml, facilities=1, quarter=QUARTER, seed=7, reference=profile)
    mds = folder / "oakwood-mds.csv"
    synth_mds(mds, facilities=1, start=date(2026, 4, 1), end=date(2026, 9, 30), seed=7)
    return {"pbj_xml": xml, "mds": mds}


@pytest.fixture
def loaded_facility(homes: dict[str, Any], synthetic_files: dict[str, Path]) -> Facility:
    """Oakwood with its 2026Q3 PBJ hours and MDS census in its store."""
    oakwood: Facility = homes["oakwood"]
    with facility_store(oakwood) as con:
        load_xml(con, synthetic_files["pbj_xml"], submitted_on=date(2026, 10, 15))
        load_mds(con, [synthetic_files["mds"]])
        refresh_submission_days(con, oakwood, [QUARTER])
    return oakwood
