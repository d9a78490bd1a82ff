"""``carecover pbj export-xml``: a time-clock CSV becomes one XSD-valid PBJ file."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from carecover.pbj.submission.reader import read_submission
from tests.pbj.submission.test_writer import assert_valid

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pbj" / "timeclock"
Cli = Callable[..., Any]


def _export(cli: Cli, source: Path, out: Path, *extra: str) -> Any:
    return cli(
        "pbj", "export-xml", source, "--facility-id", "FAC-9", "--state", "oh",
        "--quarter", "2026Q3", "-o", out, *extra,
    )  # fmt: skip


def _xml_totals(path: Path) -> dict[tuple[str, int], Decimal]:
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for staff in etree.parse(str(path)).iterfind("staffingHours/staffHours"):
        employee = staff.findtext("employeeId") or ""
        for entry in staff.iterfind("workDays/workDay/hourEntries/hourEntry"):
            code = int(entry.findtext("jobTitleCode") or 0)
            totals[(employee, code)] += Decimal(entry.findtext("hours") or "0")
    return dict(totals)


def test_it_round_trips_daily_hours_with_the_same_totals(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    result = _export(cli, FIXTURES / "daily_hours.csv", out)
    assert result.exit_code == 0, result.stderr
    assert "4 employees" in result.stdout
    assert "FY2026 report quarter 4, due 2026-11-14" in result.stdout
    doc = assert_valid(out)
    assert doc.findtext("header/facilityId") == "FAC-9"
    assert doc.findtext("header/stateCode") == "OH"
    # The CSV summed independently: per employee, date and code, rounded half-up.
    by_day: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    codes = {"Registered Nurse": 7, "LPN": 9, "cna": 10, "CNA": 10}
    with (FIXTURES / "daily_hours.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = int(row["job_title_code"] or codes[row["job_title"]])
            by_day[(row["employee_id"], row["work_date"], code)] += Decimal(row["hours"])
    expected: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for (employee, _, code), hours in by_day.items():
        expected[(employee, code)] += hours.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert _xml_totals(out) == dict(expected)


def test_it_round_trips_punches_split_at_midnight(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    result = _export(cli, FIXTURES / "punches.csv", out, "--process-type", "replace")
    assert result.exit_code == 0, result.stderr
    doc = assert_valid(out)
    assert doc.find("staffingHours").get("processType") == "replace"
    n100 = doc.find("staffingHours/staffHours[employeeId='N100']")
    assert n100 is not None
    assert [d.findtext("date") for d in n100.iterfind("workDays/workDay")] == [
        "2026-07-01",
        "2026-07-02",
        "2026-07-03",
        "2026-07-04",
    ]
    assert _xml_totals(out) == {
        ("N100", 7): Decimal("24.50"),
        ("N200", 10): Decimal("8.58"),
        ("N200", 12): Decimal("8.08"),
    }


def test_it_writes_the_software_fields_given_as_options(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    result = _export(
        cli, FIXTURES / "punches.csv", out,
        "--software-vendor", "Acme Payroll", "--software-vendor-email", "pbj@acme.com",
        "--software-product", "Acme Clock", "--software-version", "5.2",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = assert_valid(out)
    assert doc.findtext("header/softwareVendorEmail") == "pbj@acme.com"
    assert doc.findtext("header/softwareProductVersion") == "5.2"


def test_it_uses_a_mapping_file_for_payroll_titles(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    result = _export(
        cli, FIXTURES / "agency_titles.csv", out, "--mapping", FIXTURES / "agency_mapping.csv"
    )
    assert result.exit_code == 0, result.stderr
    assert _xml_totals(out) == {("AG-1", 10): Decimal("12.00"), ("AG-2", 7): Decimal("8.00")}


def test_it_says_an_unmapped_title_is_an_error_without_a_mapping(cli: Cli, tmp_path: Path) -> None:
    result = _export(cli, FIXTURES / "agency_titles.csv", tmp_path / "pbj.xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "agency_titles.csv:2: job_title: job title 'agency cna' is not mapped" in result.stderr


def test_it_fails_over_the_daily_cap_naming_employee_date_and_lines(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "pbj.xml"
    result = _export(cli, FIXTURES / "over_cap.csv", out)
    assert result.exit_code == 1
    assert "E900 on 2026-07-06: 23.00 hours" in result.stderr
    assert "daily cap of 22.50 (lines 2, 3)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_it_fails_on_a_date_outside_the_quarter_naming_the_line(cli: Cli, tmp_path: Path) -> None:
    result = _export(cli, FIXTURES / "outside_quarter.csv", tmp_path / "pbj.xml")
    assert result.exit_code == 1
    assert "outside_quarter.csv:3: work_date: 2026-06-30 is outside 2026Q3" in result.stderr


def test_it_rejects_a_state_that_is_not_a_pbj_state(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "pbj", "export-xml", FIXTURES / "punches.csv", "--facility-id", "F", "--state", "ZZ",
        "--quarter", "2026Q3", "-o", tmp_path / "pbj.xml",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "state: 'ZZ' is not a PBJ state code" in result.stderr


def test_it_rejects_a_bad_quarter(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "pbj", "export-xml", FIXTURES / "punches.csv", "--facility-id", "F", "--state", "OH",
        "--quarter", "2026-07", "-o", tmp_path / "pbj.xml",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "not a quarter" in result.stderr


def test_a_missing_option_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "export-xml", FIXTURES / "punches.csv", "-o", tmp_path / "pbj.xml")
    assert result.exit_code == 2


def test_the_pbj_reader_reads_back_what_was_exported(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pbj.xml"
    assert _export(cli, FIXTURES / "daily_hours.csv", out).exit_code == 0
    submission = read_submission(out)
    assert (submission.header.facility_id, submission.header.state_code) == ("FAC-9", "OH")
    assert str(submission.header.quarter) == "2026Q3"
    assert submission.header.file_spec_version == "4.10.0"
    assert submission.process_type == "merge"
    hired = {e.employee_id: (e.hire_date, e.termination_date) for e in submission.employees}
    assert hired["E003"] == (date(2025, 1, 10), date(2026, 8, 31))
    assert hired["A-17"] == (None, None)
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for entry in submission.hour_entries:
        totals[(entry.employee_id, entry.job_title_code)] += Decimal(f"{entry.hours:.2f}")
    assert dict(totals) == _xml_totals(out)
    assert Decimal(f"{submission.total_hours:.2f}") == Decimal("64.08")


def test_it_notes_rows_left_out_for_other_facilities(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "pbj", "export-xml", FIXTURES / "two_facilities.csv", "--facility-id", "FAC-B",
        "--state", "NY", "--quarter", "2026Q3", "-o", tmp_path / "b.xml",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "2 employees" in result.stdout
    assert "note: 2 row(s) of other facilities" in result.stdout


def test_a_missing_csv_is_an_error_naming_the_file(cli: Cli, tmp_path: Path) -> None:
    result = _export(cli, tmp_path / "nope.csv", tmp_path / "pbj.xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "nope.csv" in result.stderr


def test_an_ambiguous_job_title_is_refused_listing_the_titles_to_map(
    cli: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "clock.csv"
    source.write_text(
        "employee_id,job_title,pay_type_code,work_date,hours\n"
        "E1,Infection Preventionist,2,2026-07-01,8\n"
        "E2,Staff Development Coordinator,2,2026-07-01,8\n"
    )
    out = tmp_path / "pbj.xml"
    result = _export(cli, source, out)
    assert result.exit_code == 1
    assert "'Infection Preventionist': 6 (" in result.stderr
    assert "'Staff Development Coordinator': 6 (" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "job_title,job_title_code\nInfection Preventionist,8\nStaff Development Coordinator,6\n"
    )
    assert _export(cli, source, out, "--mapping", mapping).exit_code == 0


def test_many_days_over_the_cap_are_one_readable_line(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "tc.csv"
    lines = ["employee_id,job_title_code,pay_type_code,work_date,hours"]
    for day in range(1, 11):  # ten days of two 12-hour rows each
        lines += [f"E1,7,1,2026-07-{day:02d},12", f"E1,8,1,2026-07-{day:02d},12"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pbj.xml"
    result = _export(cli, source, out)
    assert result.exit_code == 1
    assert result.stderr.count("exceed the daily cap") == 3
    assert result.stderr.endswith("(lines 6, 7) (and 7 more problems)\n")
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()
