"""A facility's quarter as the portal shows it, without the portal (issue 14 §1).

``compute_figures`` is framework-free: any caller with the facility's store
gets the page's figures, the same as the CLI's ``own_figures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from carecover.facility import load_own_files, own_figures
from carecover.facility.overview import compute_figures
from carecover.pbj.store import connect
from tests.facility.conftest import QUARTER


@dataclass(frozen=True)
class Settings:
    """A facility's settings, as a plain value (the portal passes its model)."""

    ccn: str
    pbj_facility_id: str = ""
    cmi_ratio: float | None = None
    audit_failed: bool = False
    health_inspection_stars: int | None = None
    quality_measure_stars: int | None = None


def test_the_page_figures_come_from_the_library_and_agree_with_the_cli_figures(
    own_files: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "100000.duckdb"
    con = connect(store)
    ccn = load_own_files(
        con, [own_files["pbj_xml"]], [own_files["mds"]], QUARTER, submitted_on=date(2026, 10, 15)
    )
    cli = own_figures(con, ccn, QUARTER)
    page = compute_figures(con, Settings(ccn), None, store=store, today=date(2026, 11, 20))
    con.close()
    assert page.quarter == QUARTER
    assert len(page.own_measures) == 1
    for name in ("rn_hprd", "total_hprd", "days_reported", "zero_rn_days"):
        assert page.own_measures[0][name] == pytest.approx(cli.measures[name])
    assert len(page.coverage) == 92
    assert page.zero_rn_days == cli.zero_rn_days
