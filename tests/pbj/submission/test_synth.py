"""Synthetic PBJ 4.10.0 files: valid, realistic, deterministic, streamable."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.synth import synth_pbj_xml
from tests.pbj.submission.test_writer import assert_valid

Q3 = Quarter.parse("2026Q3")
REFERENCE = "data/reference/national_facility_quarter_summary_CY2025Q1-CY2026Q1.csv"


def test_it_writes_one_valid_file_per_facility_into_a_folder(tmp_path: Path) -> None:
    written = synth_pbj_xml(tmp_path / "out", facilities=3, quarter=Q3, seed=7)
    assert [s.path.name for s in written] == [f"pbj_SYN00000{i}_2026Q3.xml" for i in (1, 2, 3)]
    for summary in written:
        doc = assert_valid(summary.path)
        assert doc.findtext("header/reportQuarter") == "4"
        assert doc.findtext("header/federalFiscalYear") == "2026"
        assert summary.hour_entries > 1000


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    a = synth_pbj_xml(tmp_path / "a.xml", facilities=1, quarter=Q3, seed=3)[0].path
    b = synth_pbj_xml(tmp_path / "b.xml", facilities=1, quarter=Q3, seed=3)[0].path
    c = synth_pbj_xml(tmp_path / "c.xml", facilities=1, quarter=Q3, seed=4)[0].path
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_it_writes_exactly_the_number_of_entries_asked_for(tmp_path: Path) -> None:
    summary = synth_pbj_xml(tmp_path / "x.xml", facilities=1, quarter=Q3, seed=1, entries=20_000)[0]
    assert summary.hour_entries == 20_000
    doc = assert_valid(summary.path)
    assert len(doc.findall(".//hourEntry")) == 20_000


def test_it_sizes_the_roster_when_asked(tmp_path: Path) -> None:
    summary = synth_pbj_xml(
        tmp_path / "x.xml", facilities=1, quarter=Q3, employees_per_facility=40
    )[0]
    assert summary.employees == 40


def test_its_staffing_looks_like_a_nursing_home(tmp_path: Path) -> None:
    path = synth_pbj_xml(tmp_path / "x.xml", facilities=1, quarter=Q3, seed=11)[0].path
    doc = etree.parse(str(path))
    declared = {e.text for e in doc.iterfind("employees/employee/employeeId")}
    per_day: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_code: dict[int, Decimal] = defaultdict(Decimal)
    for staff in doc.iterfind("staffingHours/staffHours"):
        employee = staff.findtext("employeeId")
        assert employee in declared
        for day in staff.iterfind("workDays/workDay"):
            date = day.findtext("date")
            assert date is not None
            assert Q3.start.isoformat() <= date <= Q3.end.isoformat()
            for entry in day.iterfind("hourEntries/hourEntry"):
                hours = Decimal(entry.findtext("hours") or "0")
                per_day[(str(employee), date)] += hours
                by_code[int(entry.findtext("jobTitleCode") or 0)] += hours
    assert max(per_day.values()) <= Decimal("22.5")
    assert {1, 5, 7, 9, 10} <= set(by_code)
    nurse = sum(by_code[c] for c in range(5, 13))
    rn = sum(by_code[c] for c in (5, 6, 7))
    assert by_code[10] > by_code[9] > 0  # aides work the most nurse hours
    assert Decimal("0.05") < rn / nurse < Decimal("0.5")


def test_it_draws_facility_profiles_from_a_national_summary(tmp_path: Path, shared: Path) -> None:
    written = synth_pbj_xml(
        tmp_path / "out", facilities=2, quarter=Q3, seed=5, reference=shared / REFERENCE
    )
    for summary in written:
        assert_valid(summary.path)


def test_it_needs_a_folder_for_several_facilities(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder"):
        synth_pbj_xml(tmp_path / "x.xml", facilities=2, quarter=Q3)


def test_it_refuses_a_reference_file_without_the_profile_columns(tmp_path: Path) -> None:
    bad = tmp_path / "ref.csv"
    bad.write_text("ccn,state\n015009,AL\n", encoding="utf-8")
    with pytest.raises(InputError, match="no usable rows"):
        synth_pbj_xml(tmp_path / "x.xml", facilities=1, quarter=Q3, reference=bad)


@pytest.mark.parametrize("size", [1, 2, 5, 13, 250])
def test_the_roster_has_exactly_the_size_asked_for(tmp_path: Path, size: int) -> None:
    summary = synth_pbj_xml(
        tmp_path / "x.xml", facilities=1, quarter=Q3, employees_per_facility=size, seed=2
    )[0]
    assert summary.employees == size
    assert_valid(summary.path)


def test_it_says_when_a_fixed_roster_cannot_reach_the_entry_count(tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    with pytest.raises(InputError, match="raise --employees-per-facility"):
        synth_pbj_xml(out, facilities=1, quarter=Q3, employees_per_facility=2, entries=10_000)
    assert not out.exists()
