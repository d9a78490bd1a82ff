"""Payroll job titles mapped to PBJ job title codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from carecover.errors import InputError, NotFoundError
from carecover.pbj.jobmap import ambiguous_titles, load_job_mapping, normalize_title
from carecover.pbj.timeclock.export import read_timeclock
from tests.conftest import REPO

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
        ("RN MDS Coordinator", 6),
        ("LPN MDS Coordinator", 8),
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
    assert len(mapping) > 80
    assert set(mapping.codes.values()) <= set(range(1, 41))


def test_it_says_a_mapping_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes("job_title,job_title_code\nEnfermer\xeda,7\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_job_mapping(path)


AMBIGUOUS = (
    "MDS Coordinator",
    "Unit Manager",
    "Nurse Manager",
    "Infection Preventionist",
    "Staff Development Coordinator",
    "ADON",
)


@pytest.mark.parametrize("title", AMBIGUOUS)
def test_an_unprefixed_nursing_management_title_is_never_defaulted(title: str) -> None:
    mapping = load_job_mapping()
    assert title not in mapping
    assert mapping.is_ambiguous(title)
    with pytest.raises(NotFoundError, match=rf"'{title}': 6 \(.*\) or 8 \("):
        mapping.code_for(title)


def test_the_shipped_mapping_and_the_ambiguous_list_do_not_overlap_and_cite_a_source() -> None:
    mapping = load_job_mapping()
    assert not set(mapping.codes) & set(ambiguous_titles())
    rows = list(csv.DictReader(io.StringIO(_data("job_title_mapping.csv"))))
    assert all(r["source"].strip() for r in rows)
    for row in csv.DictReader(io.StringIO(_data("ambiguous_job_titles.csv"))):
        assert len(row["candidate_codes"].split()) >= 2, row
        assert row["source"].strip()


def test_a_users_mapping_decides_an_ambiguous_title(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("job_title,job_title_code\nMDS Coordinator,8\n", encoding="utf-8")
    mapping = load_job_mapping(path)
    assert mapping.code_for("mds  coordinator") == 8
    assert not mapping.is_ambiguous("MDS Coordinator")


def test_a_time_clock_file_with_ambiguous_titles_lists_them_all_in_one_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clock.csv"
    path.write_text(
        "employee_id,job_title,pay_type_code,work_date,hours\n"
        "E1,RN,2,2026-07-01,8\n"
        "E2,Unit Manager,2,2026-07-01,8\n"
        "E3,ADON,1,2026-07-01,8\n"
        "E4,unit  manager,2,2026-07-02,8\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_timeclock(path)
    error = caught.value
    assert (error.line, error.field) == (3, "job_title")
    assert "'Unit Manager': 6 (" in error.reason
    assert "'ADON': 6 (" in error.reason
    assert "--mapping" in error.reason
    assert "more problem" not in error.reason


def _data(name: str) -> str:
    return (REPO / "src" / "carecover" / "data" / "pbj" / name).read_text(encoding="utf-8")
