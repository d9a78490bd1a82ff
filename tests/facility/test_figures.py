"""A facility's figures from its own PBJ XML and MDS files (issue 15 §5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.facility import load_own_files, own_figures
from carecover.mds.census import daily_census
from carecover.pbj.store import connect
from carecover.rating.methods import method
from carecover.rating.overall import overall_steps
from tests.conftest import REPO
from tests.facility.conftest import QUARTER

ON_TIME = date(2026, 10, 15)


def _figures(xml: Path, mds: Path) -> tuple[Any, str]:
    con = connect(":memory:")
    ccn = load_own_files(con, [xml], [mds], QUARTER, submitted_on=ON_TIME)
    return con, ccn


def test_hprd_are_the_files_nurse_hours_over_the_mds_census(own_files: dict[str, Path]) -> None:
    con, ccn = _figures(own_files["pbj_xml"], own_files["mds"])
    figures = own_figures(con, ccn, QUARTER)
    # By hand: hours of job codes 5-7 (RN) and 5-12 (nurses) over the census days.
    rn, total = con.execute(
        "SELECT sum(hours) FILTER (WHERE job_title_code BETWEEN 5 AND 7),"
        " sum(hours) FILTER (WHERE job_title_code BETWEEN 5 AND 12) FROM employee_hours"
    ).fetchone()
    census = sum(c.census for c in daily_census(con, QUARTER.start, QUARTER.end, facility=ccn))
    assert ccn == "100000"
    assert figures.measures["rn_hprd"] == pytest.approx(rn / census)
    assert figures.measures["total_hprd"] == pytest.approx(total / census)
    assert (figures.measures["days_reported"], figures.measures["days_missing"]) == (92, 0)
    assert figures.warnings == []


def test_the_case_mix_ratio_comes_from_the_mds_and_adjusts_the_hprd(
    own_files: dict[str, Path],
) -> None:
    con, ccn = _figures(own_files["pbj_xml"], own_files["mds"])
    figures = own_figures(con, ccn, QUARTER)
    assert figures.cmi_ratio is not None
    assert "MDS assessments" in figures.cmi_source
    given = own_figures(con, ccn, QUARTER, cmi_ratio=1.25)
    # A higher case-mix ratio lowers each adjusted HPRD in proportion.
    for key in ("rn", "total"):
        ratio = given.adjusted[key] / figures.adjusted[key]  # type: ignore[operator]
        assert ratio == pytest.approx(figures.cmi_ratio / 1.25)


def test_the_stars_give_the_overall_rating_steps(own_files: dict[str, Path]) -> None:
    con, ccn = _figures(own_files["pbj_xml"], own_files["mds"])
    figures = own_figures(con, ccn, QUARTER, inspection_stars=3, qm_stars=5)
    expected = overall_steps(3, figures.card["staffing_rating"], 5, method(figures.method))
    assert figures.overall_steps == expected
    assert own_figures(con, ccn, QUARTER).overall_steps == []


def test_a_named_release_rates_the_quarter(own_files: dict[str, Path]) -> None:
    con, ccn = _figures(own_files["pbj_xml"], own_files["mds"])
    assert own_figures(con, ccn, QUARTER).release == "2027-01"
    assert own_figures(con, ccn, QUARTER, release="2024-07").method == "2024-07"


def test_a_month_without_hours_is_never_silent(own_files: dict[str, Path]) -> None:
    con, ccn = _figures(own_files["no_august"], own_files["mds"])
    figures = own_figures(con, ccn, QUARTER)
    assert figures.measures["days_without_nurse_staffing"] == 31
    assert figures.measures["excluded"] is True
    assert any("31 day(s) with residents and no nurse hours" in w for w in figures.warnings)


def test_files_of_several_facilities_need_a_ccn(own_files: dict[str, Path]) -> None:
    con = connect(":memory:")
    several = REPO / "tests" / "fixtures" / "mds" / "extract.csv"
    with pytest.raises(InputError, match="several CCNs"):
        load_own_files(con, [own_files["pbj_xml"]], [several], QUARTER, submitted_on=ON_TIME)


def test_expected_hprd_is_the_case_mix_hprd_the_adjustment_divides_by(
    own_files: dict[str, Path],
) -> None:
    from carecover.rating.casemix import release_figures
    from carecover.rating.releases import release

    con, ccn = _figures(own_files["pbj_xml"], own_files["mds"])
    figures = own_figures(con, ccn, QUARTER, cmi_ratio=1.1)
    national = release_figures(release(figures.release).national_figures or "")
    for key, measure in (("rn", "rn_hprd"), ("total", "total_hprd")):
        expected, at_ratio_1 = figures.expected[key], national[key].casemix_at_ratio_1
        assert expected is not None
        assert at_ratio_1 is not None
        assert expected == pytest.approx(at_ratio_1 * 1.1)
        # adjusted = reported × national average ÷ expected (§3b)
        assert figures.adjusted[key] == pytest.approx(
            figures.measures[measure] * national[key].national_average / expected
        )
    assert "expected" in figures.to_text()
