"""Measures users ask for: licensed (RN + LPN) and nurse-care HPRD (issue 15 §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.pbj.measures.compiled import quarterly_rows
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from tests.conftest import REPO

PLAIN = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"


def _with_admin(tmp_path: Path) -> Path:
    """The plain fixture with 8 DON and 4 LPN-admin hours on every day."""
    lines = PLAIN.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        for column, hours in (("Hrs_RNDON", "8"), ("Hrs_LPNadmin", "4")):
            at = header.index(column)
            cells[at] = cells[at + 1] = hours
        out.append(",".join(cells))
    path = tmp_path / "admin.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_licensed_hprd_is_rn_and_lpn_hours_over_resident_days(tmp_path: Path) -> None:
    [row] = quarterly_rows([_with_admin(tmp_path)])
    # Per day: RN 24 + DON 8, LPN 30 + LPN admin 4, census 40.
    assert row["licensed_hprd"] == pytest.approx((32 + 34) / 40)


def test_nurse_care_hprd_leaves_out_don_and_admin_hours(tmp_path: Path) -> None:
    [row] = quarterly_rows([_with_admin(tmp_path)])
    assert row["total_hprd"] == pytest.approx((32 + 34 + 100) / 40)
    assert row["nurse_care_hprd"] == pytest.approx((24 + 30 + 100) / 40)
    [ibis_row] = to_rows(quarterly_measures([_with_admin(tmp_path)]))
    assert ibis_row["nurse_care_hprd"] == pytest.approx(row["nurse_care_hprd"])


def test_cms_file_licensed_hprd_is_its_rn_plus_lpn_hprd(shared: Path) -> None:
    [row] = quarterly_rows([shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"])
    assert row["licensed_hprd"] == pytest.approx(row["rn_hprd"] + row["lpn_hprd"])
    assert row["nurse_care_hprd"] < row["total_hprd"]
