"""Rendering the Final-Validation-Report-style report as text, JSON and HTML."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from carecover.pbj.submission.fvr import render_html, render_json, render_text, report_to_dict
from carecover.pbj.submission.validation import ValidationReport, validate_submission

XML = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "xml"


def _report(name: str) -> ValidationReport:
    return validate_submission(XML / name, submitted_on=date(2026, 7, 20))


def test_it_gives_status_counts_and_findings_in_the_json() -> None:
    data = json.loads(render_json(_report("hours_negative.xml")))
    assert data["status"] == "rejected"
    assert data["counts"] == {"-3679": 1}
    (finding,) = data["findings"]
    assert finding["edit"] == "-3679"
    assert finding["severity"] == "fatal"
    assert finding["employee"] == "RN-001"
    assert finding["date"] == "2026-04-01"
    assert isinstance(finding["line"], int)
    assert "negative" in finding["message"]
    assert data["records_processed"] == 3
    assert data["files"][0]["quarter"] == "2026Q2"


def test_it_says_accepted_in_the_json_of_a_valid_file() -> None:
    data = report_to_dict(_report("valid.xml"))
    assert (data["status"], data["findings"], data["records_accepted"]) == ("accepted", [], 6)
    assert data["files"][0]["hours_by_job_title"] == {"6": 4.25, "7": 15.5, "10": 34.5}


def test_it_lists_each_edit_and_finding_in_the_text_report() -> None:
    text = render_text(_report("job_code_unknown.xml"))
    assert "Status: REJECTED" in text
    assert "CC-10" in text
    assert "Unknown jobTitleCode" in text
    assert "employee RN-001" in text
    assert "date 2026-04-01" in text


def test_it_says_no_findings_for_a_clean_file() -> None:
    text = render_text(_report("valid.xml"))
    assert "Status: ACCEPTED" in text
    assert "No findings." in text


def test_it_escapes_values_from_the_file_in_the_html_page(tmp_path: Path) -> None:
    source = (XML / "employee_id_characters.xml").read_text()
    path = tmp_path / "evil.xml"
    path.write_text(source.replace("RN#001", "&lt;script&gt;alert(1)&lt;/script&gt;"))
    page = render_html(validate_submission(path, submitted_on=date(2026, 7, 20)))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_it_makes_a_self_contained_html_page() -> None:
    page = render_html(_report("hours_day_over_limit.xml"))
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "http" not in page
    assert "<script" not in page
    assert "<link" not in page
    assert "-4025" in page
    assert "REJECTED" in page
