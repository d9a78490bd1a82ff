"""Validating whole submissions: each CMS edit, counts, ZIPs and hostile input."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.submission.validation import validate_submission
from carecover.pbj.submission.xmlsafe import Limits

XML = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "xml"
IN_TIME = date(2026, 7, 20)  # FY2026 Q3 (Apr-Jun 2026) is due 2026-08-14


def _counts(name: str, on: date = IN_TIME) -> tuple[str, dict[str, int]]:
    report = validate_submission(XML / name, submitted_on=on)
    return report.status, report.counts


def test_it_accepts_a_valid_file_without_findings() -> None:
    report = validate_submission(XML / "valid.xml", submitted_on=IN_TIME)
    assert report.status == "accepted"
    assert report.findings == []
    file = report.files[0]
    assert file.quarter == "2026Q2"
    assert file.deadline == date(2026, 8, 14)
    assert (file.records_processed, file.records_accepted, file.records_rejected) == (6, 6, 0)
    assert file.hours_by_job_title == {6: 4.25, 7: 15.5, 10: 34.5}
    assert file.hours_by_pay_type == {1: 4.25, 2: 15.5, 3: 34.5}


@pytest.mark.parametrize(
    ("name", "status", "edit_id"),
    [
        ("version_missing.xml", "rejected", "-4003"),
        ("version_old.xml", "rejected", "-1019"),
        ("facility_missing.xml", "rejected", "-3702"),
        ("state_missing.xml", "rejected", "CC-04"),
        ("state_invalid.xml", "rejected", "CC-05"),
        ("quarter_invalid.xml", "rejected", "CC-06"),
        ("fiscal_year_out_of_range.xml", "rejected", "-3679"),
        ("date_outside_quarter.xml", "accepted", "-1010"),
        ("date_malformed.xml", "rejected", "-3677"),
        ("hours_negative.xml", "rejected", "-3679"),
        ("hours_three_decimals.xml", "rejected", "CC-08"),
        ("hours_entry_over_limit.xml", "rejected", "CC-09"),
        ("hours_day_over_limit.xml", "rejected", "-4025"),
        ("job_code_unknown.xml", "rejected", "CC-10"),
        ("pay_code_unknown.xml", "rejected", "-3676"),
        ("employee_id_characters.xml", "rejected", "-4018"),
        ("employee_id_missing.xml", "rejected", "-4004"),
        ("employee_undeclared.xml", "accepted", "-4016"),
        ("work_before_hire.xml", "accepted", "-4011"),
        ("work_after_termination.xml", "accepted", "-4012"),
        ("termination_before_hire.xml", "rejected", "CC-12"),
        ("duplicate_work_day.xml", "accepted", "CC-13"),
        ("replace_empty.xml", "accepted", "CC-14"),
        ("process_type_missing.xml", "rejected", "-4008"),
        ("no_sections.xml", "rejected", "CC-15"),
        ("employee_declared_twice.xml", "accepted", "CC-16"),
        ("unknown_element.xml", "rejected", "CC-03"),
        ("truncated.xml", "rejected", "CC-01"),
        ("wrong_encoding.xml", "rejected", "CC-01"),
        ("billion_laughs.xml", "rejected", "CC-02"),
        ("external_entity.xml", "rejected", "CC-02"),
    ],
)
def test_it_raises_the_edit_each_broken_fixture_breaks(
    name: str, status: str, edit_id: str
) -> None:
    got_status, counts = _counts(name)
    assert edit_id in counts
    assert got_status == status


def test_it_reports_only_the_specific_edit_when_the_schema_says_the_same() -> None:
    assert _counts("version_missing.xml")[1] == {"-4003": 1}
    assert _counts("hours_negative.xml")[1] == {"-3679": 1}


def test_it_locates_a_schema_violation_no_specific_edit_covers() -> None:
    report = validate_submission(XML / "unknown_element.xml", submitted_on=IN_TIME)
    (finding,) = report.findings
    assert "facilityName" in finding.message
    lines = (XML / "unknown_element.xml").read_text().splitlines()
    assert finding.line is not None
    assert "facilityName" in lines[finding.line - 1]


def test_it_puts_employee_date_and_line_on_an_hours_finding() -> None:
    report = validate_submission(XML / "hours_negative.xml", submitted_on=IN_TIME)
    (finding,) = report.findings
    assert (finding.edit, finding.severity, finding.employee, finding.date) == (
        "-3679",
        "fatal",
        "RN-001",
        "2026-04-01",
    )
    assert "negative" in finding.message
    lines = (XML / "hours_negative.xml").read_text().splitlines()
    assert finding.line is not None
    assert "<hourEntry>" in lines[finding.line - 1]


def test_it_warns_about_the_old_version_before_the_cutover() -> None:
    _, counts = _counts("version_old.xml", date(2026, 3, 1))
    assert counts == {"-1018": 1, "-4002": 4}  # the quarter is still to come on 2026-03-01


def test_it_rejects_work_dates_after_the_submission_date() -> None:
    status, counts = _counts("valid.xml", date(2026, 6, 15))
    assert (status, counts) == ("rejected", {"-4002": 1})


def test_it_warns_when_the_file_is_submitted_after_the_deadline() -> None:
    assert _counts("valid.xml", date(2026, 8, 15)) == ("accepted", {"CC-07": 1})
    assert _counts("valid.xml", date(2026, 8, 14)) == ("accepted", {})


def test_it_allows_24_hours_a_day_for_work_before_march_22_2026() -> None:
    report = validate_submission(
        XML / "hours_day_before_cutover.xml", submitted_on=date(2026, 5, 1)
    )
    assert report.counts == {"-4015": 1}
    assert report.findings[0].date == "2026-03-11"  # 24.5 hours; 23 on 2026-03-10 is allowed


def test_it_does_not_process_work_days_outside_the_quarter() -> None:
    report = validate_submission(XML / "date_outside_quarter.xml", submitted_on=IN_TIME)
    file = report.files[0]
    assert file.records_not_processed == 1
    assert file.records_accepted == file.records_processed - 1


def test_it_counts_every_finding_but_lists_only_the_first_ones(tmp_path: Path) -> None:
    days = "".join(
        f"<workDay><date>2026-04-{d:02d}</date><hourEntries><hourEntry><hours>1</hours>"
        "<jobTitleCode>99</jobTitleCode><payTypeCode>2</payTypeCode></hourEntry></hourEntries>"
        "</workDay>"
        for d in range(1, 31)
    )
    text = (XML / "employee_undeclared.xml").read_text()
    start, end = text.index("<staffHours>"), text.rindex("</staffHours>") + len("</staffHours>")
    staff = f"<staffHours><employeeId>RN-001</employeeId><workDays>{days}</workDays></staffHours>"
    path = tmp_path / "many.xml"
    path.write_text(text[:start] + staff + text[end:])
    report = validate_submission(path, submitted_on=IN_TIME, max_findings_per_edit=5)
    assert report.counts == {"CC-10": 30}
    assert len(report.findings) == 5
    assert report.files[0].truncated == {"CC-10": 25}


def test_it_validates_every_xml_file_of_a_zip(tmp_path: Path) -> None:
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(XML / "valid.xml", "valid.xml")
        archive.write(XML / "job_code_unknown.xml", "job_code_unknown.xml")
    report = validate_submission(upload, submitted_on=IN_TIME)
    assert [f.status for f in report.files] == ["accepted", "rejected"]
    assert report.status == "rejected"
    assert report.findings[0].file == "upload.zip!job_code_unknown.xml"


def test_it_refuses_an_upload_over_the_size_limit_before_parsing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="over the limit"):
        validate_submission(XML / "valid.xml", limits=Limits(max_file_bytes=10))


def test_it_never_expands_the_external_entity(tmp_path: Path) -> None:
    report = validate_submission(XML / "external_entity.xml", submitted_on=IN_TIME)
    assert all("root:" not in f.message for f in report.findings)


def test_it_adds_up_a_day_that_comes_in_two_staff_hours_blocks(tmp_path: Path) -> None:
    text = (XML / "valid.xml").read_text()
    extra = (
        "<staffHours><employeeId>RN-001</employeeId><workDays><workDay><date>2026-04-01</date>"
        "<hourEntries><hourEntry><hours>15</hours><jobTitleCode>7</jobTitleCode>"
        "<payTypeCode>2</payTypeCode></hourEntry></hourEntries></workDay></workDays></staffHours>"
    )
    path = tmp_path / "split.xml"
    path.write_text(text.replace("</staffingHours>", extra + "</staffingHours>"))
    report = validate_submission(path, submitted_on=IN_TIME)
    assert report.counts == {"CC-13": 1, "-4025": 1}  # 8 + 15 hours on 2026-04-01


def test_it_checks_the_daily_total_even_when_the_header_is_unreadable() -> None:
    report = validate_submission(XML / "quarter_invalid.xml", submitted_on=IN_TIME)
    assert report.counts == {"CC-06": 1}
    assert report.files[0].tally.days == 4


def _document(days: dict[int, list[int]]) -> str:
    """A valid one-employee file with the given hundredths of an hour per April day."""
    work = "".join(
        f"<workDay><date>2026-04-{d:02d}</date><hourEntries>"
        + "".join(
            f"<hourEntry><hours>{c // 100}.{c % 100:02d}</hours><jobTitleCode>{7 + i % 3}"
            "</jobTitleCode><payTypeCode>2</payTypeCode></hourEntry>"
            for i, c in enumerate(entries)
        )
        + "</hourEntries></workDay>"
        for d, entries in sorted(days.items())
    )
    return (
        '<nursingHomeData><header fileSpecVersion="4.10.0"><facilityId>F1</facilityId>'
        "<stateCode>OH</stateCode><reportQuarter>3</reportQuarter>"
        "<federalFiscalYear>2026</federalFiscalYear></header><employees><employee>"
        "<employeeId>E1</employeeId></employee></employees>"
        '<staffingHours processType="merge"><staffHours><employeeId>E1</employeeId>'
        f"<workDays>{work}</workDays></staffHours></staffingHours></nursingHomeData>"
    )


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=30),
        st.lists(st.integers(min_value=0, max_value=2250), min_size=1, max_size=3),
        min_size=1,
        max_size=8,
    )
)
def test_it_flags_exactly_the_days_over_22_5_hours(days: dict[int, list[int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gen.xml"
        path.write_text(_document(days))
        report = validate_submission(path, submitted_on=IN_TIME)
    over = sorted(f"2026-04-{d:02d}" for d, entries in days.items() if sum(entries) > 2250)
    assert sorted(f.date or "" for f in report.findings if f.edit == "-4025") == over
    assert set(report.counts) <= {"-4025"}
    assert report.files[0].tally.entries == sum(len(e) for e in days.values())
    total = sum(sum(e) for e in days.values())
    assert round(sum(report.files[0].hours_by_job_title.values()) * 100) == total


def test_it_takes_a_nil_hire_date_as_no_date(tmp_path: Path) -> None:
    text = (XML / "valid.xml").read_text()
    nil = '<hireDate xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>'
    path = tmp_path / "nil.xml"
    path.write_text(text.replace("<hireDate>2020-01-15</hireDate>", nil))
    report = validate_submission(path, submitted_on=IN_TIME)
    assert (report.status, report.counts) == ("accepted", {})


def test_it_flags_an_empty_hire_date_tag(tmp_path: Path) -> None:
    text = (XML / "valid.xml").read_text()
    path = tmp_path / "empty.xml"
    path.write_text(text.replace("<hireDate>2020-01-15</hireDate>", "<hireDate></hireDate>"))
    report = validate_submission(path, submitted_on=IN_TIME)
    assert report.counts == {"-3677": 1}
    assert "omit the tag" in report.findings[0].message


@pytest.mark.parametrize("hours", ["1" * 400, "99999999999999999999", "99999999"])
def test_absurd_hours_are_a_fatal_finding_not_an_overflow(tmp_path: Path, hours: str) -> None:
    # Found by tests/test_fuzz_inputs.py: 20 digits overflowed the day totals,
    # 400 digits the hours per job code (issue 12 §1).
    import re

    text = re.sub(
        r"<hours>[^<]*</hours>", f"<hours>{hours}</hours>", (XML / "valid.xml").read_text()
    )
    path = tmp_path / "big.xml"
    path.write_text(text)
    report = validate_submission(path, submitted_on=date(2026, 8, 1))
    assert report.status == "rejected"
    assert "CC-09" in report.counts
    assert all(v < 1e12 for f in report.files for v in f.hours_by_job_title.values())
    assert all(len(f.message) < 200 for f in report.findings)
