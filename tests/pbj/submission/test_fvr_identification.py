"""The Final-Validation-style report names the submission, its processing time, the facility
and the days of the quarter without work days (issue 15 §2, §6)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from carecover.pbj.submission.fvr import render_html, render_json, render_text
from carecover.pbj.submission.validation import validate_submission
from tests.conftest import REPO, CliResult

VALID = REPO / "tests" / "fixtures" / "pbj" / "xml" / "valid.xml"
Cli = Callable[..., CliResult]


def test_the_submission_id_is_the_files_digest_and_the_same_each_time() -> None:
    first = validate_submission(VALID, submitted_on=date(2026, 8, 1))
    again = validate_submission(VALID, submitted_on=date(2026, 8, 1))
    assert first.submission_id == hashlib.sha256(VALID.read_bytes()).hexdigest()[:16]
    assert first.submission_id == again.submission_id
    assert first.processed_at is not None


def test_days_of_the_quarter_without_a_work_day_are_counted_and_warned() -> None:
    report = validate_submission(VALID, submitted_on=date(2026, 8, 1))
    [file] = report.files
    assert (file.dates_reported, file.days_missing) == (3, 88)
    text = render_text(report)
    assert "Warning: 88 day(s) of 2026Q2 have no workDay" in text
    data = json.loads(render_json(report))
    assert (data["files"][0]["dates_reported"], data["files"][0]["days_missing"]) == (3, 88)


def test_the_header_has_id_processing_time_facility_name_and_our_rules() -> None:
    report = replace(
        validate_submission(VALID, submitted_on=date(2026, 8, 1)), facility_name="Oak <Home>"
    )
    text = render_text(report)
    assert f"Submission ID: {report.submission_id}" in text
    assert re.search(r"Processing completion date/time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)
    assert "Facility name: Oak <Home>" in text
    assert "UNCONFIRMED by a CMS source" in text
    html = render_html(report)
    assert "Oak &lt;Home&gt;" in html
    assert "Oak <Home>" not in html
    data = json.loads(render_json(report))
    assert data["facility_name"] == "Oak <Home>"
    assert data["submission_id"] == report.submission_id


def test_pbj_validate_takes_the_facility_name(cli: Cli) -> None:
    result = cli("pbj", "validate", VALID, "--submitted-on", "2026-08-01", "--facility-name", "Oak")
    assert result.exit_code == 0, result.stderr
    assert "Facility name: Oak" in result.stdout
    plain = cli("pbj", "validate", VALID, "--submitted-on", "2026-08-01")
    assert "Facility name: (not in a PBJ file; give --facility-name)" in plain.stdout
