"""Time-clock CSVs read row by row and exported as one PBJ file per facility-quarter."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from carecover.errors import InputError, ValidationError
from carecover.pbj.calendar import Quarter
from carecover.pbj.jobmap import load_job_mapping
from carecover.pbj.submission.reader import read_submission
from carecover.pbj.submission.writer import SubmissionHeader
from carecover.pbj.timeclock.export import export_timeclock, parse_timeclock, read_timeclock

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "timeclock"
HEADER = SubmissionHeader("FAC1", "OH", Quarter.parse("2026Q3"))
DAILY = (
    "employee_id,hire_date,termination_date,job_title_code,job_title,pay_type_code,"
    "work_date,hours\n"
)
PUNCH = "employee_id,hire_date,job_title_code,pay_type_code,punch_in,punch_out\n"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tc.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_daily_hours_rows_with_codes_and_mapped_titles() -> None:
    rows = read_timeclock(FIXTURES / "daily_hours.csv")
    assert len(rows) == 9
    first, by_title = rows[0], rows[2]
    assert (first.line, first.employee_id, first.job_title_code, first.pay_type_code) == (
        2,
        "E001",
        5,
        1,
    )
    assert (first.hire_date, first.work_date, first.hours) == (
        date(2020, 3, 1),
        date(2026, 7, 1),
        8,
    )
    assert by_title.job_title_code == 7  # "Registered Nurse" through the shipped mapping
    assert rows[4].hours == Fraction(3333, 1000)


def test_it_reads_punch_rows_and_splits_a_night_shift_at_midnight() -> None:
    rows = read_timeclock(FIXTURES / "punches.csv")
    assert rows[0].punch_in == datetime(2026, 7, 1, 19)
    pieces = rows[0].worked_time()
    assert [(p.day, p.hours) for p in pieces] == [
        (date(2026, 7, 1), Fraction(5)),
        (date(2026, 7, 2), Fraction(15, 2)),
    ]


def test_it_maps_titles_through_a_facility_mapping_file() -> None:
    mapping = load_job_mapping(FIXTURES / "agency_mapping.csv")
    rows = read_timeclock(FIXTURES / "agency_titles.csv", mapping)
    assert [r.job_title_code for r in rows] == [10, 7]


def test_it_collects_every_bad_row_with_its_line_and_field(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        DAILY
        + "E1,,,7,,2,2026-07-01,8\n"
        + "E#2,,,7,,2,2026-07-01,8\n"
        + "E3,,,41,,2,2026-07-01,8\n"
        + "E4,,,,Wizard,2,2026-07-01,8\n"
        + "E5,,,7,,4,2026-07-01,8\n"
        + "E6,,,7,,2,07/01/2026,8\n"
        + "E7,,,7,,2,2026-07-01,-1\n"
        + "E8,,,7,,2,2026-07-01,eight\n"
        + "E9,2026-07-02,2026-07-01,7,,2,2026-07-01,8\n"
        + "E10,,,,,2,2026-07-01,8\n",
    )
    rows, problems = parse_timeclock(path)
    assert [r.employee_id for r in rows] == ["E1"]
    assert [(p.line, p.field) for p in problems] == [
        (3, "employee_id"),
        (4, "job_title_code"),
        (5, "job_title"),
        (6, "pay_type_code"),
        (7, "work_date"),
        (8, "hours"),
        (9, "hours"),
        (10, "termination_date"),
        (11, "job_title_code"),
    ]
    assert all(p.file == str(path) for p in problems)
    with pytest.raises(InputError, match=r"tc\.csv:3: employee_id: .*\(and 8 more problems\)"):
        read_timeclock(path)


def test_it_names_the_columns_a_file_lacks(tmp_path: Path) -> None:
    path = _csv(tmp_path, "employee_id,hours\nE1,8\n")
    with pytest.raises(InputError, match="pay_type_code; job_title_code or job_title; work_date"):
        read_timeclock(path)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("E1,,7,2,2026-07-01T08:00,2026-07-01T07:00", "punch_out", "is not after punch_in"),
        ("E1,,7,2,2026-07-01T08:00,", "punch_out", "missing timestamp"),
        ("E1,,7,2,2026-07-01 8am,2026-07-01T16:00", "punch_in", "not an ISO timestamp"),
        ("E1,,7,2,2026-07-01T08:00+00:00,2026-07-01T16:00", "punch_out", "UTC offset"),
        ("E1,,7,2,2026-07-01T08:00,2026-07-02T08:01", "punch_out", "more than 24 hours after"),
        ("E1,,7,2,2026-07-01T08:00,9999-12-31T08:00", "punch_out", "a missed punch-out?"),
    ],
)
def test_it_rejects_bad_punches(tmp_path: Path, row: str, field: str, message: str) -> None:
    _, problems = parse_timeclock(_csv(tmp_path, PUNCH + row + "\n"))
    assert [(p.line, p.field) for p in problems] == [(2, field)]
    assert message in problems[0].reason


def test_it_rejects_a_row_with_both_daily_hours_and_punches(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "employee_id,job_title_code,pay_type_code,work_date,hours,punch_in,punch_out\n"
        "E1,7,2,2026-07-01,8,2026-07-01T08:00,2026-07-01T16:00\n",
    )
    _, problems = parse_timeclock(path)
    assert "not both" in problems[0].reason


def test_it_exports_daily_hours_rounded_after_summing(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    result = export_timeclock(FIXTURES / "daily_hours.csv", out, HEADER)
    assert result.summary.employees == 4
    assert result.summary.total_hours == Decimal("64.08")
    doc = etree.parse(str(out))
    e3 = doc.find("staffingHours/staffHours[employeeId='E003']")
    assert e3 is not None
    # Two rows on 2026-07-01 (7.5 + 0.5) become one 8.00 entry.
    assert [h.text for h in e3.iterfind("workDays/workDay/hourEntries/hourEntry/hours")] == [
        "8.00",
        "8.00",
    ]
    e2_hours = doc.xpath(
        "staffingHours/staffHours[employeeId='E002']//hourEntry[jobTitleCode=9]/hours"
    )
    assert [h.text for h in e2_hours] == ["3.33"]


def test_it_fails_when_an_employee_passes_the_daily_cap_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    with pytest.raises(ValidationError, match=r"E900 on 2026-07-06: 23\.00 hours"):
        export_timeclock(FIXTURES / "over_cap.csv", out, HEADER)
    assert not out.exists()


def test_it_names_the_line_of_a_date_outside_the_quarter(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        export_timeclock(FIXTURES / "outside_quarter.csv", tmp_path / "pbj.xml", HEADER)
    assert (caught.value.line, caught.value.field) == (3, "work_date")
    assert "2026-06-30 is outside 2026Q3" in str(caught.value)


def test_it_leaves_the_next_quarters_piece_of_a_boundary_night_shift(tmp_path: Path) -> None:
    path = _csv(tmp_path, PUNCH + "N1,2020-01-01,7,2,2026-09-30T22:00,2026-10-01T06:00\n")
    result = export_timeclock(path, tmp_path / "q3.xml", HEADER)
    assert (result.summary.total_hours, result.pieces_outside_quarter) == (Decimal("2.00"), 1)
    q4 = SubmissionHeader("FAC1", "OH", Quarter.parse("2026Q4"))
    result = export_timeclock(path, tmp_path / "q4.xml", q4)
    assert (result.summary.total_hours, result.pieces_outside_quarter) == (Decimal("6.00"), 1)


def test_it_refuses_hours_before_hire_or_after_termination(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        DAILY + "E1,2026-07-05,,7,,2,2026-07-01,8\nE2,,2026-07-10,7,,2,2026-07-11,8\n",
    )
    with pytest.raises(InputError, match=r"before the hire date 2026-07-05 \(and 1 more problem\)"):
        export_timeclock(path, tmp_path / "pbj.xml", HEADER)


def test_it_refuses_two_different_hire_dates_for_one_employee(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, DAILY + "E1,2020-01-01,,7,,2,2026-07-01,8\nE1,2021-01-01,,7,,2,2026-07-02,8\n"
    )
    with pytest.raises(InputError) as caught:
        export_timeclock(path, tmp_path / "pbj.xml", HEADER)
    assert (caught.value.line, caught.value.field) == (3, "hire_date")


def test_it_refuses_a_file_without_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no rows"):
        export_timeclock(_csv(tmp_path, DAILY), tmp_path / "pbj.xml", HEADER)


hour_rows = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2", "A-3"]),
        st.integers(0, 91),
        st.sampled_from([5, 7, 10]),
        st.integers(0, 600).map(lambda q: Decimal(q) / 100),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(hour_rows)
def test_written_files_read_back_with_the_same_totals(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int, int, Decimal]]
) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    start = Quarter.parse("2026Q3").start
    lines = [f"{e},,,{c},,2,{start + timedelta(days=d % 92)},{h}" for e, d, c, h in rows]
    source = _csv(tmp, DAILY + "\n".join(lines) + "\n")
    out = tmp / "pbj.xml"
    per_day: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for employee, day, _, hours in rows:
        per_day[(employee, day % 92)] += hours
    if max(per_day.values()) > Decimal("22.5"):
        with pytest.raises(ValidationError, match="daily cap"):
            export_timeclock(source, out, HEADER)
        return
    summary = export_timeclock(source, out, HEADER).summary
    expected: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for employee, _, code, hours in rows:
        expected[(employee, code)] += hours
    got: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for entry in read_submission(out).hour_entries:
        got[(entry.employee_id, entry.job_title_code)] += Decimal(f"{entry.hours:.2f}")
    assert got == expected
    assert summary.total_hours == sum(expected.values())


def test_it_exports_only_the_rows_of_the_facility_named_in_a_facility_id_column(
    tmp_path: Path,
) -> None:
    source = FIXTURES / "two_facilities.csv"
    header = SubmissionHeader("FAC-A", "OH", Quarter.parse("2026Q3"))
    result = export_timeclock(source, tmp_path / "a.xml", header)
    assert result.rows_for_other_facilities == 1
    ids = [e.employee_id for e in read_submission(tmp_path / "a.xml").employees]
    assert ids == ["E1", "E3", "E4"]  # E4's blank facility_id counts for every facility
    only_a = _csv(
        tmp_path,
        "facility_id,employee_id,job_title_code,pay_type_code,work_date,hours\n"
        "FAC-A,E1,7,2,2026-07-01,8\n",
    )
    other = SubmissionHeader("FAC-C", "OH", header.quarter)
    with pytest.raises(InputError, match="no rows to export for facility FAC-C"):
        export_timeclock(only_a, tmp_path / "c.xml", other)


@pytest.mark.parametrize(("day", "allowed"), [("2026-03-21", True), ("2026-03-22", False)])
def test_23_hours_across_two_job_codes_pass_only_before_the_4_10_cap(
    tmp_path: Path, day: str, allowed: bool
) -> None:
    path = _csv(tmp_path, DAILY + f"E1,,,7,,2,{day},12\nE1,,,6,,2,{day},11\n")
    header = SubmissionHeader("FAC1", "OH", Quarter.parse("2026Q1"))
    if allowed:
        summary = export_timeclock(path, tmp_path / "pbj.xml", header).summary
        assert summary.total_hours == Decimal("23.00")
    else:
        with pytest.raises(ValidationError, match=r"daily cap of 22\.50"):
            export_timeclock(path, tmp_path / "pbj.xml", header)


def test_it_says_a_file_is_not_utf8_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "tc.csv"
    rows = "E1,,,7,,2,2026-07-01,8\nJos\xe9,,,7,,2,2026-07-01,8\n"
    path.write_bytes(DAILY.encode() + rows.encode("latin-1"))
    with pytest.raises(InputError, match="not a readable UTF-8 CSV"):
        read_timeclock(path)


def test_a_punch_of_exactly_a_day_is_one_shift(tmp_path: Path) -> None:
    rows, problems = parse_timeclock(
        _csv(tmp_path, PUNCH + "E1,,7,2,2026-07-01T08:00,2026-07-02T08:00\n")
    )
    assert problems == []
    assert len(rows) == 1
