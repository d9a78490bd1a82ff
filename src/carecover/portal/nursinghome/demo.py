"""Demo nursing homes: a chain of two facilities with two quarters of PBJ and MDS data.

Oakwood staffs well; Pinecrest has RN gaps on some weekends (its RN hours on
those days are taken out after loading, as if nobody had been scheduled), so
the coverage calendar, the one-star rule and the what-if have something to
show. The data is synthetic (``carecover synth pbj-xml`` / ``synth mds``).
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from carecover.mds.store import load_files as load_mds
from carecover.mds.synth import synth_mds
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.store import load_xml
from carecover.pbj.submission.synth import synth_pbj_xml
from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import facility_store, refresh_submission_days

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["load_nursing_home_demo"]

#: (CCN, name, state, profile: census, total HPRD, RN HPRD, stars: inspection, QM)
_HOMES = (
    ("100000", "Oakwood Nursing and Rehabilitation", "NC", (92, 4.3, 0.95), (3, 4)),
    ("100001", "Pinecrest Health Center", "NC", (64, 3.4, 0.45), (2, 3)),
)


def _split_mds(source: Path, ccn: str, out: Path) -> Path:
    """The records of one facility (A0100B) of a synthetic extract."""
    with source.open(encoding="utf-8", newline="") as src, out.open("w", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        writer.writerows(r for r in reader if r["A0100B"] == ccn)
    return out


def _weekend_rn_gaps(con: DuckDBPyConnection, quarter: Quarter) -> None:
    """Take the RN hours out of a few weekend days: the gaps the demo's calendar shows."""
    saturdays = [
        quarter.start + timedelta(days=i)
        for i in range(quarter.days)
        if (quarter.start + timedelta(days=i)).weekday() == 5
    ]
    gaps = [d for s in saturdays[1::4] for d in (s, s + timedelta(days=1))]
    con.executemany(
        "DELETE FROM employee_hours WHERE workdate = ? AND job_title_code IN (5, 6, 7)",
        [[d] for d in gaps],
    )


def load_nursing_home_demo(*, today: date, hashed_password: str, seed: int) -> list[User]:
    """Create the chain, its two facilities, their users and data; return the users."""
    chain = Organisation.objects.create(
        name="Carolina Care Group", kind=OrganisationKind.CHAIN, code="CAROLINA"
    )
    users = [
        User(
            username="carolina-corporate",
            password=hashed_password,
            organisation=chain,
            role=Role.CORPORATE,
        )
    ]
    last = Quarter.containing(today).previous()
    quarters = [last.previous(), last]
    with tempfile.TemporaryDirectory(prefix="carecover-nh-demo-") as folder:
        work = Path(folder)
        extract = work / "mds.csv"
        synth_mds(
            extract,
            facilities=len(_HOMES),
            start=quarters[0].start - timedelta(days=90),
            end=last.end,
            seed=seed,
        )
        for index, (ccn, name, state, (census, total, rn), (inspection, qm)) in enumerate(_HOMES):
            operator = Organisation.objects.create(
                name=f"{name.split()[0]} Operating LLC",
                kind=OrganisationKind.FACILITY,
                code=f"NH{ccn}",
            )
            facility = Facility.objects.create(
                ccn=ccn,
                name=name,
                state=state,
                pbj_facility_id="SYN000001",
                organisation=operator,
                chain=chain,
                health_inspection_stars=inspection,
                quality_measure_stars=qm,
            )
            profile = work / f"{ccn}-profile.csv"
            profile.write_text(
                "state,avg_daily_census,avg_total_nurse_hprd,avg_rn_hprd\n"
                f"{state},{census},{total},{rn}\n",
                encoding="utf-8",
            )
            with facility_store(facility) as con:
                for quarter in quarters:
                    xml = work / f"{ccn}-{quarter}.xml"
                    synth_pbj_xml(
                        xml, facilities=1, quarter=quarter, seed=seed + index, reference=profile
                    )
                    load_xml(con, xml, submitted_on=quarter.deadline - timedelta(days=10))
                    if index == 1:
                        _weekend_rn_gaps(con, quarter)
                load_mds(con, [_split_mds(extract, ccn, work / f"{ccn}-mds.csv")])
                refresh_submission_days(con, facility, quarters)
            prefix = f"{name.split()[0].lower()}"
            users.extend(
                User(
                    username=f"{prefix}-{role.value.replace('_', '-')}",
                    password=hashed_password,
                    organisation=operator,
                    role=role,
                )
                for role in (Role.NH_ADMINISTRATOR, Role.DON, Role.MDS_COORDINATOR)
            )
    return User.objects.bulk_create(users)
