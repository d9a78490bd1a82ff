"""The streaming PBJ 4.10.0 writer: XSD-valid, escaped, header from its inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.reader import read_submission
from carecover.pbj.submission.writer import (
    EmployeeRecord,
    SubmissionHeader,
    check_written_file,
    write_submission,
)
from carecover.pbj.timeclock.shifts import DayHours
from tests.pipes import read_pipe

SHARED_XSD = Path(__file__).resolve().parents[4] / "shared" / "data" / "pbj" / "nhpbj_4_10_0.xsd"


def schema() -> etree.XMLSchema:
    """The 4.10.0 XSD: the package copy when it is there, else the shared one."""
    packaged = resources.files("carecover").joinpath("data", "pbj", "nhpbj_4_10_0.xsd")
    path = Path(str(packaged)) if packaged.is_file() else SHARED_XSD
    if not path.is_file():
        pytest.skip("nhpbj_4_10_0.xsd is not available")
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(path: Path) -> etree._ElementTree:
    doc = etree.parse(str(path))
    xsd = schema()
    assert xsd.validate(doc), xsd.error_log
    return doc


def _entry(emp: str, day: int, hours: str, code: int = 7, pay: int = 2) -> DayHours:
    return DayHours(emp, date(2026, 10, day), code, pay, Decimal(hours), ())


HEADER = SubmissionHeader("FAC-1", "WY", Quarter.parse("2026Q4"))


def test_it_writes_an_xsd_valid_4_10_0_file(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    summary = write_submission(
        out,
        HEADER,
        [EmployeeRecord("E1", date(2020, 1, 2)), EmployeeRecord("E2", None, date(2026, 10, 20))],
        [
            _entry("E1", 1, "8"),
            _entry("E1", 1, "4.5", 6),
            _entry("E1", 2, "8"),
            _entry("E2", 3, "12"),
        ],
    )
    doc = assert_valid(out)
    assert doc.getroot().find("header").get("fileSpecVersion") == "4.10.0"
    assert doc.findtext("header/stateCode") == "WY"
    assert [e.text for e in doc.iterfind("staffingHours/staffHours/employeeId")] == ["E1", "E2"]
    assert doc.findtext("employees/employee[2]/terminationDate") == "2026-10-20"
    assert doc.find("employees/employee[2]/hireDate") is None
    assert doc.find("staffingHours").get("processType") == "merge"
    assert (summary.employees, summary.staff_hours, summary.work_days) == (2, 2, 3)
    assert (summary.hour_entries, summary.total_hours) == (4, Decimal("32.5"))


def test_october_to_december_is_report_quarter_1_of_the_next_fiscal_year(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    write_submission(out, HEADER, [], [])
    doc = assert_valid(out)
    assert doc.findtext("header/reportQuarter") == "1"
    assert doc.findtext("header/federalFiscalYear") == "2027"


def test_it_escapes_text_and_writes_the_optional_software_fields(tmp_path: Path) -> None:
    header = SubmissionHeader(
        "A&B <1>",
        "PR",
        Quarter.parse("2026Q3"),
        process_type="replace",
        software_vendor_name="Smith & Jones",
        software_vendor_email="pbj@example.org",
        software_product_name="Clock's Export",
        software_product_version="2.1-b",
    )
    out = tmp_path / "pbj.xml"
    write_submission(out, header, [], [])
    doc = assert_valid(out)
    assert doc.findtext("header/facilityId") == "A&B <1>"
    assert doc.findtext("header/softwareVendorName") == "Smith & Jones"
    assert doc.findtext("header/reportQuarter") == "4"
    assert doc.find("staffingHours").get("processType") == "replace"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"state_code": "XX"}, "state"),
        ({"facility_id": "F" * 17}, "facility_id"),
        ({"facility_id": "  "}, "facility_id"),
        ({"process_type": "append"}, "process_type"),
        ({"software_vendor_email": "not an email"}, "software_vendor_email"),
        ({"software_vendor_name": "Caf\u00e9 Software"}, "software_vendor_name"),
        ({"quarter": Quarter.parse("2015Q2")}, "quarter"),
    ],
)
def test_it_refuses_header_values_the_xsd_would_reject(
    changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"facility_id": "F1", "state_code": "OH", "quarter": HEADER.quarter}
    values.update(changes)
    with pytest.raises(InputError) as caught:
        SubmissionHeader(**values)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_it_refuses_an_employee_id_outside_the_pbj_characters(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="employee_id"):
        write_submission(tmp_path / "pbj.xml", HEADER, [EmployeeRecord("E#1")], [])


def test_it_refuses_an_entry_over_22_5_hours_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    with pytest.raises(InputError, match=r"23\.00 is not 0-22\.5"):
        write_submission(out, HEADER, [], [_entry("E1", 1, "8"), _entry("E2", 1, "23.00")])
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_hours_with_more_than_two_decimals(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at most 2 decimals"):
        write_submission(tmp_path / "pbj.xml", HEADER, [], [_entry("E1", 1, "8.125")])


def test_it_needs_each_employees_entries_together_and_in_date_order(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not grouped"):
        write_submission(
            tmp_path / "a.xml",
            HEADER,
            [],
            [_entry("E1", 1, "8"), _entry("E2", 1, "8"), _entry("E1", 2, "8")],
        )
    with pytest.raises(ValueError, match="not in order"):
        write_submission(
            tmp_path / "b.xml", HEADER, [], [_entry("E1", 2, "8"), _entry("E1", 1, "8")]
        )


def test_it_replaces_an_existing_file_only_when_writing_succeeds(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    out.write_text("old", encoding="ascii")
    with pytest.raises(InputError):
        write_submission(out, HEADER, [], [_entry("E1", 1, "30")])
    assert out.read_text(encoding="ascii") == "old"


employee_ids = st.text(alphabet="abcXYZ019-\\,._ ", min_size=1, max_size=30).filter(
    lambda t: t.strip() != "" and "  " not in t and t == t.strip()
)
entry_lists = st.lists(
    st.tuples(employee_ids, st.integers(1, 31), st.integers(0, 2250), st.integers(1, 40)),
    max_size=25,
)


@settings(max_examples=50, deadline=None)
@given(entry_lists)
def test_any_valid_entries_write_an_xsd_valid_file_that_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, raw: list[tuple[str, int, int, int]]
) -> None:
    entries = sorted(
        {(e, d, c): h for e, d, h, c in raw}.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])
    )
    rows = [
        DayHours(e, date(2026, 10, d), c, 2, Decimal(h).scaleb(-2), ()) for (e, d, c), h in entries
    ]
    out = tmp_path_factory.mktemp("w") / "pbj.xml"
    employees = [EmployeeRecord(e) for e in sorted({r.employee_id for r in rows})]
    summary = write_submission(out, HEADER, employees, rows)
    assert_valid(out)
    back = read_submission(out)
    assert [e.employee_id for e in back.employees] == [e.employee_id for e in employees]
    got = [
        (h.employee_id, h.day, h.job_title_code, Decimal(f"{h.hours:.2f}"))
        for h in back.hour_entries
    ]
    assert got == [(r.employee_id, r.day, r.job_title_code, r.hours) for r in rows]
    assert summary.total_hours == sum((r.hours for r in rows), Decimal(0))


def test_a_written_file_that_breaks_the_xsd_is_refused_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    write_submission(out, HEADER, [], [_entry("E1", 1, "8")])
    check_written_file(out)  # a good file passes
    out.write_text(out.read_text(encoding="ascii").replace("<hours>8.00", "<hours>x"), "ascii")
    with pytest.raises(InputError, match=r"would fail nhpbj_4_10_0\.xsd"):
        check_written_file(out)
    assert not out.exists()


def test_it_can_check_the_finished_file_against_the_xsd_before_replacing(tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    summary = write_submission(out, HEADER, [], [_entry("E1", 1, "8")], validate=True)
    assert summary.hour_entries == 1
    assert [p.name for p in tmp_path.iterdir()] == ["pbj.xml"]


def test_a_pipe_gets_the_submission_unchecked_and_is_never_removed(tmp_path: Path) -> None:
    with read_pipe(tmp_path) as (pipe, received):
        summary = write_submission(pipe, HEADER, [], [_entry("E1", 1, "8")], validate=True)
    assert summary.hour_entries == 1
    assert received[0].startswith(b'<?xml version="1.0" encoding="ASCII"?>')
    assert pipe.is_fifo()
