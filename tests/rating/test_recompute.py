"""Recomputing a provider file's stars: published inputs are taken as CMS's, exclusions done."""

from __future__ import annotations

from pathlib import Path

from carecover.rating.recompute import recompute

HEADER = (
    "Federal Provider Number,Staffing Rating,RN Staffing Rating,"
    "Reported CNA Staffing Hours per Resident per Day,"
    "Reported RN Staffing Hours per Resident per Day,"
    "Reported Total Nurse Staffing Hours per Resident per Day,"
    "Adjusted RN Staffing Hours per Resident per Day,"
    "Adjusted Total Nurse Staffing Hours per Resident per Day,Processing Date\n"
)


def test_a_published_row_with_hprd_beyond_the_exclusion_limits_is_still_rated(
    tmp_path: Path,
) -> None:
    # Like 025018 in the August 2021 file: reported total 13.2 and aide 6.1 HPRD
    # (beyond the > 12 and > 5.25 tests), adjusted total 11.9: CMS rated it 5 stars.
    path = tmp_path / "NH_ProviderInfo_Aug2021.csv"
    path.write_text(HEADER + "Z25018,5,5,6.10000,3.40000,13.20000,2.90000,11.90000,2021-08-01\n")
    row = recompute(path).rows(explain=True)[0]
    assert (row["staffing_rating"], row["rn_staffing_rating"]) == (5, 5)
    assert row["decided_by"] != "implausible values: no rating"
    assert row["matches_published"] is True
