"""Correctness bar: our arithmetic reproduces figures CMS published.

Sources of the published figures used here:

- ``tests/fixtures/rating/NH_ProviderInfo_Aug2024_real3.csv``: three rows
  (015009, 015010, 015012) of CMS's NH_ProviderInfo_Aug2024.csv (Processing
  Date 2024-08-01), transcribed from a public GitHub notebook module
  ("app.Providers", which downloads that file from data.cms.gov; repository
  not identified by the search index) into the release's 103-column layout.
- ``tests/fixtures/rating/NH_ProviderInfo_Sep2025_real1_subset.csv``: the row
  of 015009 from CMS's NH_ProviderInfo_Sep2025.csv (Processing Date
  2025-09-01), quoted in a public GitHub script (repository not identified),
  keeping only the identifying, rating and staffing columns.
- ``../shared/data/reference/staffing_rating_boundaries_2019-2022.csv``: the
  smallest and largest adjusted HPRD of every (RN rating, staffing rating)
  group in CMS's national August 2021 provider file.
- ``../shared/README.md``: CMS's published 2024Q2 figures for facility 015009.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from carecover.pbj.calendar import Quarter
from carecover.rating.casemix import adjusted_hprd, casemix_hprd, release_figures
from carecover.rating.measures import FacilityMeasures
from carecover.rating.methods import method
from carecover.rating.overall import overall_rating
from carecover.rating.projection import pbj_days, project
from carecover.rating.providerfile import read_provider_info
from carecover.rating.scoring import rate
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "rating"
REAL = ("NH_ProviderInfo_Aug2024_real3.csv", "NH_ProviderInfo_Sep2025_real1_subset.csv")


@pytest.mark.parametrize("name", REAL)
def test_recomputed_staffing_stars_equal_cms_published_stars(name: str) -> None:
    pf = read_provider_info(FIXTURES / name)
    r = rate(pf.measures(), method("2024-07"))
    assert list(r.staffing_rating) == list(pf.number("staffing_rating"))


def test_the_aug_2024_points_are_those_of_cms_bands() -> None:
    pf = read_provider_info(FIXTURES / REAL[0])
    r = rate(pf.measures(), method("2024-07"))
    # 015010/015012: turnover missing (footnote 6) -> lowest points, as CMS did.
    assert list(r.points) == [310, 235, 245]


@pytest.mark.parametrize("name", REAL)
def test_recomputed_overall_stars_equal_cms_published_overall_stars(name: str) -> None:
    pf = read_provider_info(FIXTURES / name)
    m = method("2024-07")
    r = rate(pf.measures(), m)
    overall = overall_rating(
        pf.number("health_inspection_rating"), r.staffing_rating, pf.number("qm_rating"), m
    )
    assert list(overall) == list(pf.number("overall_rating"))


def test_before_july_2022_a_four_star_staffing_rating_would_have_added_a_star() -> None:
    # 015009 in Aug 2024: inspection 2, staffing 4, QM 4 -> CMS published 2 (the
    # 2022 rule); the 2019 rule would have given 3.
    assert overall_rating([2], [4], [4], method("2024-07"))[0] == 2
    assert overall_rating([2], [4], [4], method("2019-04"))[0] == 3


def test_case_mix_and_adjusted_hprd_match_the_aug_2024_release() -> None:
    pf = read_provider_info(FIXTURES / REAL[0])
    figures = release_figures("2024-08")
    ratio = pf.number("cmi_ratio")
    for measure, reported, casemix, adjusted in (
        ("rn", "reported_rn", "casemix_rn", "adjusted_rn"),
        ("total", "reported_total", "casemix_total", "adjusted_total"),
        (
            "weekend_total",
            "reported_weekend_total",
            "casemix_weekend_total",
            "adjusted_weekend_total",
        ),
    ):
        cm = casemix_hprd(ratio, figures[measure])
        # CMS works from the unrounded ratio; we have its 5-decimal print.
        np.testing.assert_allclose(cm, pf.number(casemix), atol=3e-5)
        adj = adjusted_hprd(pf.number(reported), pf.number(casemix), figures[measure])
        np.testing.assert_allclose(adj, pf.number(adjusted), atol=3e-5)
    cmi = pf.number("cmi") / ratio
    np.testing.assert_allclose(cmi, figures["cmi"].national_average, atol=3e-5)


def _boundary_rows(shared: Path) -> list[tuple[str, float, float, int, int]]:
    """(label, adjusted RN, adjusted total, RN rating, staffing rating) at every observed edge."""
    path = shared / "data/reference/staffing_rating_boundaries_2019-2022.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    rn_range = {
        int(r["group"]): (float(r["min_value"]), float(r["max_value"]))
        for r in rows
        if r["relationship"].startswith("adjusted_rn_hprd")
    }
    out = []
    for r in rows:
        if not r["relationship"].startswith("adjusted_total_hprd"):
            continue
        rn_part, staff_part = r["group"].split(";")
        rn_stars, staff = int(rn_part.split("=")[1]), int(staff_part.split("=")[1])
        for rn in rn_range[rn_stars]:
            for total in (float(r["min_value"]), float(r["max_value"])):
                out.append((r["group"], rn, total, rn_stars, staff))
    return out


def test_the_2019_method_reproduces_every_edge_of_cms_august_2021_ratings(shared: Path) -> None:
    rows = _boundary_rows(shared)
    m = FacilityMeasures.build(
        [label for label, *_ in rows],
        adjusted_rn=[rn for _, rn, *_ in rows],
        adjusted_total=[total for _, _, total, *_ in rows],
    )
    r = rate(m, method("2019-04"))
    assert list(r.rn_staffing_rating) == [rn for *_, rn, _ in rows]
    assert list(r.staffing_rating) == [staff for *_, staff in rows]


def test_projecting_a_finished_quarter_gives_cms_published_reported_hprd(shared: Path) -> None:
    q = Quarter.parse("2024Q2")
    days = pbj_days([shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"], "015009", q)
    p = project("015009", q, date(2024, 6, 30), days, method("2024-07"))
    assert round(p.projected["rn"] or 0, 5) == 1.28749
    assert round(p.projected["total"] or 0, 5) == 4.29361
    assert round(p.projected["weekend_total"] or 0, 5) == 3.30871
    assert p.days_remaining == 0
    assert p.zero_rn_days_so_far == 0
