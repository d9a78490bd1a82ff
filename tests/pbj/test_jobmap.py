"""Payroll job titles mapped to PBJ job title codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError, NotFoundError
from carecover.pbj.jobmap import load_job_mapping, normalize_title

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pbj" / "timeclock"


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("RN", 7),
        ("Registered Nurse", 7),
        ("LPN", 9),
        ("CNA", 10),
        ("DON", 5),
        ("Director of Nursing", 5),
        ("MDS Coordinator", 6),
        ("Administrator", 1),
        ("Med Tech", 12),
    ],
)
def test_it_maps_common_payroll_titles_with_the_shipped_mapping(title: str, code: int) -> None:
    assert load_job_mapping().code_for(title) == code


def test_it_matches_titles_ignoring_case_and_extra_spaces() -> None:
    mapping = load_job_mapping()
    assert mapping.code_for("  director   of NURSING ") == 5
    assert "registered nurse" in mapping
    assert normalize_title("  Staff \t RN ") == "staff rn"


def test_it_reads_a_facility_mapping_file() -> None:
    mapping = load_job_mapping(FIXTURES / "agency_mapping.csv")
    assert len(mapping) == 2
    assert mapping.code_for("AGENCY CNA") == 10
    assert mapping.code_for("agency nurse (rn)") == 7


def test_it_says_which_title_is_not_mapped() -> None:
    with pytest.raises(NotFoundError, match="'Night Owl' is not mapped"):
        load_job_mapping().code_for("Night Owl")


def test_it_rejects_a_code_outside_1_to_40_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("job_title,job_title_code\nRN,7\nWizard,41\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_job_mapping(path)
    assert (caught.value.line, caught.value.field) == (3, "job_title_code")


def test_it_rejects_a_title_mapped_to_two_codes(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("job_title,job_title_code\nRN,7\n rn ,6\n", encoding="utf-8")
    with pytest.raises(InputError, match="mapped to both 7 and 6"):
        load_job_mapping(path)


def test_it_rejects_a_mapping_file_without_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("title,code\nRN,7\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing job_title, job_title_code"):
        load_job_mapping(path)


def test_the_shipped_mapping_holds_many_titles_all_with_valid_codes() -> None:
    mapping = load_job_mapping()
    assert len(mapping) > 90
    assert set(mapping.codes.values()) <= set(range(1, 41))


def test_it_says_a_mapping_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes("job_title,job_title_code\nEnfermer\xeda,7\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_job_mapping(path)
