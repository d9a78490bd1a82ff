"""A facility's own files: one synthetic 2026Q3 PBJ XML and MDS extract (CCN 100000)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from carecover.mds.synth import synth_mds
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.synth import synth_pbj_xml

QUARTER = Quarter(2026, 3)


@pytest.fixture(scope="session")
def own_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files of ``write_own_files``, written once."""
    return write_own_files(tmp_path_factory.mktemp("own-files"))


def write_own_files(folder: Path) -> dict[str, Path]:
    """The whole quarter's XML, the same with August's work days cut out, and the MDS."""
    profile = folder / "profile.csv"
    profile.write_text(
        "state,avg_daily_census,avg_total_nurse_hprd,avg_rn_hprd\nNC,80,3.9,0.75\n",
        encoding="utf-8",
    )
    xml = folder / "oakwood-2026Q3.xml"
    synth_pbj_xml(xml, facilities=1, quarter=QUARTER, seed=7, reference=profile)
    no_august = folder / "oakwood-2026Q3-no-august.xml"
    no_august.write_text(
        re.sub(
            r"<workDay><date>2026-08-\d\d</date>.*?</workDay>\n",
            "",
            xml.read_text(encoding="ascii"),
            flags=re.DOTALL,
        ),
        encoding="ascii",
    )
    mds = folder / "oakwood-mds.csv"
    synth_mds(mds, facilities=1, start=date(2026, 4, 1), end=date(2026, 9, 30), seed=7)
    return {"pbj_xml": xml, "no_august": no_august, "mds": mds}
