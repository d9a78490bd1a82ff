"""Case-mix: facility nursing CMI from MDS resident-days, ratio, adjusted HPRD."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carecover.errors import InputError, NotFoundError
from carecover.mds import connect as mds_connect
from carecover.mds import load_files
from carecover.rating.casemix import (
    adjusted_hprd,
    casemix_hprd,
    facility_cmi,
    facility_cmi_from_store,
    nursing_weights,
    release_figures,
)
from tests.conftest import REPO


def test_the_cmi_is_the_resident_day_weighted_average_of_the_weights() -> None:
    weights = {"ES3": 3.84, "PA1": 0.66}
    cmi = facility_cmi({"ES3": 10, "PA1": 30, "": 5}, weights)
    assert cmi.cmi == pytest.approx((10 * 3.84 + 30 * 0.66) / 40)
    assert (cmi.resident_days, cmi.weighted_days, cmi.ungrouped_days) == (45, 40, 5)
    assert cmi.ratio(1.36771) == pytest.approx(cmi.cmi / 1.36771)


def test_an_unknown_nursing_group_is_an_error_naming_it() -> None:
    with pytest.raises(InputError, match=r"nursing_group: .*XYZ"):
        facility_cmi({"XYZ": 3}, nursing_weights("pdpm"))


def test_the_shipped_weight_tables_cover_25_pdpm_and_66_rug_iv_groups() -> None:
    assert len(nursing_weights("pdpm")) == 25
    assert len(nursing_weights("rug-iv")) == 66
    with pytest.raises(NotFoundError):
        nursing_weights("rug-iii")


def test_adjusted_is_reported_times_national_over_case_mix() -> None:
    rn = release_figures("2024-08")["rn"]
    cm = casemix_hprd(1.0, rn)
    assert float(cm) == rn.casemix_at_ratio_1
    assert float(adjusted_hprd(1.0, cm, rn)) == pytest.approx(rn.national_average / cm)
    assert str(adjusted_hprd(1.0, 0.0, rn)) == "nan"


def test_a_release_without_case_mix_hprd_uses_its_national_average() -> None:
    total = release_figures("2018-04")["total"]
    assert float(casemix_hprd(2.0, total)) == pytest.approx(2 * 3.228514)
    with pytest.raises(NotFoundError, match="known"):
        release_figures("1999-01")


def test_the_cmi_comes_from_the_mds_store(tmp_path: Path) -> None:
    con = mds_connect(tmp_path / "mds.duckdb")
    load_files(con, [REPO / "tests/fixtures/rating/mds_two_residents.csv"])
    cmi = facility_cmi_from_store(con, "015009", date(2026, 1, 1), date(2026, 1, 10), "pdpm")
    con.close()
    assert cmi.resident_days == 20
    weights = nursing_weights("pdpm")
    assert cmi.cmi == pytest.approx((weights["LBC1"] + weights["ES3"]) / 2)
