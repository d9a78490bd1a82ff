"""Reading NH_ProviderInfo of any release: encodings, header eras, CCNs, footnotes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carecover.errors import InputError, NotFoundError
from carecover.rating.footnotes import footnote, parse_codes
from carecover.rating.providerfile import normalise, read_provider_info
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "rating"

HEADER_2024 = (
    '"CMS Certification Number (CCN)","Provider Name","Staffing Rating",'
    '"Staffing Rating Footnote","Adjusted RN Staffing Hours per Resident per Day",'
    '"Adjusted Total Nurse Staffing Hours per Resident per Day","Processing Date"\n'
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "NH_ProviderInfo.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_it_reads_the_three_header_eras_to_one_shape() -> None:
    eras = {
        "NH_ProviderInfo_Aug2024_real3.csv": "CMS Certification Number (CCN)",
        "NH_ProviderInfo_Aug2021_style.csv": "Federal Provider Number",
        "ProviderInfo_Download_2018_style.csv": "provnum",
    }
    for name, ccn_header in eras.items():
        pf = read_provider_info(FIXTURES / name)
        assert pf.headers["provnum"] == ccn_header
        assert not np.isnan(pf.number("adjusted_rn")).all()


def test_a_cp1252_file_keeps_its_curly_apostrophes() -> None:
    pf = read_provider_info(FIXTURES / "NH_ProviderInfo_Aug2021_style.csv")
    assert "ST. MARY\u2019S" in pf.text["provname"][2]
    assert "\u2013" in pf.text["provname"][3]


def test_a_utf8_file_with_a_bom_is_read() -> None:
    pf = read_provider_info(FIXTURES / "NH_ProviderInfo_Sep2025_real1_subset.csv")
    assert pf.provnum == ["015009"]
    assert str(pf.processing_date()) == "2025-09-01"


def test_hashed_and_truncated_headers_match_by_prefix(tmp_path: Path) -> None:
    text = (
        "Federal Provider Number,Staffing Rating,"
        "Adjusted RN Staffing Hours per Resident per Day-8cd5ab5e,"
        "Adjusted Total Nurse Staffing Hours per Resi-1a2b3c4d,"
        "Total number of nurse staff hours per resident per day-0f0f0f0f\n"
        "015009,4,1.317,4.35288,3.40867\n"
    )
    pf = read_provider_info(write(tmp_path, text))
    assert pf.number("adjusted_total")[0] == 4.35288
    assert pf.number("reported_weekend_total")[0] == 3.40867


def test_a_ccn_keeps_its_leading_zero_and_may_hold_letters(tmp_path: Path) -> None:
    pf = read_provider_info(
        write(
            tmp_path,
            HEADER_2024 + "015009,A,4,,1.3,4.3,2024-08-01\n05A123,B,3,,0.9,4.0,2024-08-01\n",
        )
    )
    assert pf.provnum == ["015009", "05A123"]


def test_a_float_mangled_ccn_is_refused_naming_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER_2024 + "015009,A,4,,1.3,4.3,x\n15010.0,B,3,,0.9,4.0,x\n")
    with pytest.raises(InputError, match=r":3: CMS Certification Number \(CCN\): float-mangled"):
        read_provider_info(path)


def test_a_ccn_that_lost_its_leading_zero_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="leading zero lost"):
        read_provider_info(write(tmp_path, HEADER_2024 + "15009,A,4,,1.3,4.3,x\n"))


def test_a_bad_number_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER_2024 + "015009,A,4,,1.3,four,x\n")
    with pytest.raises(InputError, match=r":2: Adjusted Total .*: not a number: 'four'"):
        read_provider_info(path)


def test_missing_cells_are_missing_not_zero(tmp_path: Path) -> None:
    pf = read_provider_info(write(tmp_path, HEADER_2024 + "015009,A,,,.,NA,x\n"))
    assert np.isnan(pf.number("adjusted_rn")[0])
    assert np.isnan(pf.number("adjusted_total")[0])


def test_a_file_without_a_ccn_or_staffing_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no CCN column"):
        read_provider_info(write(tmp_path, "Provider Name,Staffing Rating\nA,3\n"))
    with pytest.raises(InputError, match="no adjusted staffing columns"):
        read_provider_info(write(tmp_path, "Federal Provider Number,Provider Name\n015009,A\n"))


def test_a_short_row_and_a_binary_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=":2: 3 fields where the header has 7"):
        read_provider_info(write(tmp_path, HEADER_2024 + "015009,A,4\n"))
    with pytest.raises(InputError, match="UTF-16"):
        read_provider_info(write(tmp_path, HEADER_2024, encoding="utf-16"))


def test_an_unknown_facility_is_not_found() -> None:
    pf = read_provider_info(FIXTURES / "NH_ProviderInfo_Aug2024_real3.csv")
    with pytest.raises(NotFoundError, match="999999"):
        pf.index_of("999999")


def test_footnote_12_forces_one_star_and_footnote_1_withholds_the_rating() -> None:
    m = read_provider_info(FIXTURES / "NH_ProviderInfo_Aug2021_style.csv").measures()
    assert m.forced_one_star[2].startswith("CMS footnote 12")
    assert m.forced_no_rating[3].startswith("CMS footnote 1 ")


def test_turnover_footnotes_26_and_27_set_the_missing_measure_policy(tmp_path: Path) -> None:
    text = (
        "CMS Certification Number (CCN),Adjusted RN Staffing Hours per Resident per Day,"
        "Registered Nurse turnover,Registered Nurse turnover footnote\n"
        "015009,1.2,,26\n015010,1.2,,27\n015012,1.2,,6\n"
    )
    m = read_provider_info(write(tmp_path, text)).measures()
    assert list(m.policy["rn_turnover_pct"]) == ["lowest", "drop", ""]


def test_footnote_cells_are_read_in_every_spelling() -> None:
    assert parse_codes("12") == (12,)
    assert parse_codes("12.0") == (12,)
    assert parse_codes("1, 12") == (1, 12)
    assert parse_codes("") == ()
    note = footnote(12)
    assert note is not None
    assert note.effect == "one_star"
    assert footnote(99) is None


def test_header_names_are_compared_without_case_quotes_spaces_or_hash() -> None:
    assert normalise(' "Adjusted  RN Staffing Hours per Resident per Day-8cd5ab5e" ') == (
        "adjusted rn staffing hours per resident per day"
    )


def test_line_numbers_count_the_lines_of_a_quoted_multi_line_cell(tmp_path: Path) -> None:
    text = (
        "Federal Provider Number,Location,Adjusted RN Staffing Hours per Resident per Day\n"
        '015009,"701 MONROE STREET NW\nRUSSELLVILLE, AL 35653\n(34.5, -87.7)",1.3\n'
        "015010,x,bad\n"
    )
    with pytest.raises(InputError, match=r"NH_ProviderInfo.csv:5: .*not a number: 'bad'"):
        read_provider_info(write(tmp_path, text))
