"""Check one uploaded file against its facility, then load it into the facility's store.

One function per kind of file. Each judges the file completely before it
writes anything, so a rejected file leaves the store as it was:

- **PBJ XML/ZIP**: CMS's edits (``validate_submission``) and the header's
  ``facilityId``/``stateCode`` against the facility; then ``load_xml``.
- **Time-clock CSV**: every row checked (``parse_timeclock``), then turned
  into a PBJ file for the facility's ``pbj_facility_id`` and state
  (``export_timeclock``), which goes through the PBJ path above.
- **MDS extract/XML/ZIP** and **CMS Daily Nurse Staffing CSV**: loaded first
  into a scratch in-memory store by the domain loader itself (so the checks
  are exactly the loader's), the A0100B/PROVNUM of every record compared
  with the facility's CCN; only then loaded into the real store.

The domain loaders skip bytes they have loaded before (by SHA-256), which
makes a second upload of the same file harmless; the report says so. The
caller holds the store's lock and turns ``InputError`` into a rejected report.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.mds.store import connect as mds_scratch
from carecover.mds.store import load_file as mds_check
from carecover.mds.store import load_files as load_mds_files
from carecover.pbj.calendar import Quarter
from carecover.pbj.columns import FileKind
from carecover.pbj.derived import refresh as refresh_derived
from carecover.pbj.jobmap import load_job_mapping
from carecover.pbj.publicfile.loading import load_file as load_public_file
from carecover.pbj.store import connect as pbj_scratch
from carecover.pbj.submission.store import load_xml
from carecover.pbj.submission.validation import ValidationReport, validate_submission
from carecover.pbj.submission.writer import SubmissionHeader
from carecover.pbj.timeclock.export import export_timeclock, parse_timeclock
from carecover.portal.nursinghome.models import Facility
from carecover.portal.nursinghome.stores import refresh_submission_days
from carecover.portal.nursinghome.upload_reports import (
    MAX_FINDINGS,
    Renamer,
    edit_rows,
    empty_report,
    finding,
    mds_finding,
    pbj_report,
    reject,
)

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "Outcome",
    "TimeclockOptions",
    "load_mds",
    "load_pbj",
    "load_public",
    "load_timeclock",
    "quarters_with_hours",
]

ALREADY_LOADED = "Already loaded: these exact bytes were uploaded before, so nothing changed."


@dataclass
class Outcome:
    """What an upload came to: its report, the quarters it touched, a generated PBJ file."""

    report: dict[str, Any]
    quarters: list[str] = field(default_factory=list)
    already_loaded: bool = False
    generated_xml: Path | None = None


@dataclass(frozen=True)
class TimeclockOptions:
    """What a time-clock export needs besides the CSV."""

    quarter: Quarter
    process_type: str = "merge"
    mapping: Path | None = None


def _foreign_headers(
    facility: Facility, validation: ValidationReport, rename: Renamer
) -> list[dict[str, Any]]:
    """Findings for every document whose header names another facility or state."""
    found = []
    several = len(validation.files) > 1
    for doc in validation.files:
        facility_id = (doc.header.get("facilityId") or "").strip()
        state = (doc.header.get("stateCode") or "").strip().upper()
        record = rename(doc.name) if several else None
        if facility_id and facility_id != facility.pbj_facility_id:
            message = f"facilityId is {facility_id}; {facility.name} submits as "
            message += facility.pbj_facility_id
            found.append(finding("facility", "fatal", message, record=record, field="facilityId"))
        if state and state != facility.state.upper():
            message = f"stateCode is {state}; {facility.name} is in {facility.state}"
            found.append(finding("facility", "fatal", message, record=record, field="stateCode"))
    return found


def load_pbj(
    con: DuckDBPyConnection,
    facility: Facility,
    path: Path,
    original: str,
    rename: Renamer,
    today: date,
) -> Outcome:
    """Validate a PBJ XML or ZIP like CMS, check it is this facility's, load it if accepted."""
    validation = validate_submission(path, submitted_on=today)
    report = pbj_report(original, validation, rename)
    foreign = _foreign_headers(facility, validation, rename)
    if foreign:
        reject(report, f"{original}: this PBJ file is for another facility", foreign)
    if report["status"] == "rejected":
        return Outcome(report)
    result = load_xml(con, path, submitted_on=today)
    if result.skipped:
        report["notes"].append(ALREADY_LOADED)
    else:
        removed = result.rows_removed
        replaced = f"; replaced {removed:,} earlier entries" if removed else ""
        report["notes"].append(
            f"Loaded {result.rows_loaded:,} hour entries of {result.employees:,} employees"
            f" for {', '.join(result.quarters)}{replaced}."
        )
        if result.outside_quarter:
            report["notes"].append(
                f"{result.outside_quarter:,} hour entries fall outside the quarter and were not"
                " loaded (CMS does not process them either)."
            )
        refresh_submission_days(con, facility, [Quarter.parse(q) for q in result.quarters])
    return Outcome(report, list(result.quarters), result.skipped)


def load_timeclock(
    con: DuckDBPyConnection,
    facility: Facility,
    path: Path,
    original: str,
    rename: Renamer,
    today: date,
    options: TimeclockOptions,
) -> Outcome:
    """Check every row of a time-clock CSV, turn it into this facility's PBJ file and load that."""
    rows, problems = parse_timeclock(path, load_job_mapping(options.mapping))
    if problems:
        report = empty_report(original)
        report["records_processed"] = len(rows) + len(problems)
        bad = [
            finding(
                "file",
                "fatal",
                rename(p.reason),
                line=p.line,
                record=f"line {p.line}" if p.line else None,
                field=p.field,
            )
            for p in problems[:MAX_FINDINGS]
        ]
        reject(report, f"{rename(str(problems[0]))} ({len(problems)} bad row(s) in all)", bad)
        report["records_rejected"] = len(problems)
        report["records_accepted"] = len(rows)
        return Outcome(report)
    header = SubmissionHeader(
        facility_id=facility.pbj_facility_id,
        state_code=facility.state.upper(),
        quarter=options.quarter,
        process_type=options.process_type,
        software_vendor_name="carecover",
        software_product_name="carecover portal",
    )
    xml = path.with_name("generated-pbj.xml")
    exported = export_timeclock(path, xml, header, mapping_path=options.mapping)
    generated = f"{original} as PBJ XML"
    outcome = load_pbj(con, facility, xml, original, rename.with_name(xml, generated), today)
    summary = exported.summary
    notes = [
        f"Turned {len(rows):,} rows into a PBJ file for {header.facility_id} ({header.state_code}),"
        f" {options.quarter}, processType {options.process_type}: {summary.employees:,} employees,"
        f" {summary.work_days:,} work days, {summary.total_hours} hours."
    ]
    if exported.rows_for_other_facilities:
        notes.append(
            f"{exported.rows_for_other_facilities:,} rows of other facilities (facility_id"
            " column) were left out."
        )
    if exported.pieces_outside_quarter:
        notes.append(
            f"{exported.pieces_outside_quarter:,} pieces of shifts crossing midnight at the"
            " quarter's edge belong to the neighbouring quarter and were left for its file."
        )
    outcome.report["notes"] = notes + outcome.report["notes"]
    if outcome.report["status"] == "accepted":
        outcome.generated_xml = xml
    return outcome


def load_mds(
    con: DuckDBPyConnection, facility: Facility, path: Path, original: str, rename: Renamer
) -> Outcome:
    """Check an MDS file in a scratch store (records, A0100B), then load it if it is usable."""
    scratch = mds_scratch(None)
    try:
        checked = mds_check(scratch, path)
        foreign = scratch.execute(
            "SELECT record, ccn FROM (SELECT record, ccn FROM mds_assessments UNION ALL "
            "SELECT record, raw->>'A0100B' FROM mds_quarantine) "
            "WHERE coalesce(ccn, '') NOT IN ('', ?) ORDER BY len(record), record",
            [facility.ccn],
        ).fetchall()
        refused = scratch.execute(
            "SELECT record, coalesce(problem_list, '[]'), problems FROM mds_quarantine"
            " ORDER BY len(record), record"
        ).fetchall()
        days = scratch.execute("SELECT DISTINCT target_date FROM mds_assessments").fetchall()
    finally:
        scratch.close()
    report = empty_report(original)
    report["records_processed"] = checked.loaded + checked.quarantined
    report["records_accepted"] = checked.loaded
    report["records_rejected"] = checked.quarantined
    findings = [
        mds_finding(record, str(p.get("item", "")), str(p.get("problem", "")))
        for record, listed, _ in refused
        for p in (json.loads(listed) or [{"item": "", "problem": "refused"}])
    ]
    report["findings"] = findings[:MAX_FINDINGS]
    report["edits"] = edit_rows(Counter(f["field"] or "record" for f in findings), "refused")
    if foreign:
        message = f"A0100B is {{}}, not {facility.ccn} ({facility.name})"
        shown = [
            finding("facility", "fatal", message.format(ccn), record=record, field="A0100B")
            for record, ccn in foreign[:MAX_FINDINGS]
        ]
        reject(report, f"{original}: {len(foreign)} record(s) are for another facility", shown)
    elif checked.loaded == 0:
        reject(report, f"{original}: no usable MDS assessment in the file", [])
    if report["status"] == "rejected":
        return Outcome(report)
    quarters = sorted({str(Quarter.containing(d)) for (d,) in days})
    (result,) = load_mds_files(con, [path])
    if result.already_loaded:
        report["notes"].append(ALREADY_LOADED)
    else:
        report["notes"].append(
            f"Loaded {result.loaded:,} assessments; {result.quarantined:,} records refused."
        )
        refresh_submission_days(con, facility, quarters_with_hours(con, facility))
    return Outcome(report, quarters, result.already_loaded)


def quarters_with_hours(con: DuckDBPyConnection, facility: Facility) -> list[Quarter]:
    """Quarters the facility has PBJ hours for: the census changes their public-file days."""
    rows = con.execute(
        "SELECT DISTINCT quarter FROM employee_hours WHERE state = ? AND facility_id = ?",
        [facility.state.upper(), facility.pbj_facility_id],
    ).fetchall()
    return [Quarter.parse(q) for (q,) in rows]


def load_public(
    con: DuckDBPyConnection, facility: Facility, path: Path, original: str, rename: Renamer
) -> Outcome:
    """Check a CMS Daily Nurse (or Non-Nurse) Staffing CSV is this facility's, then load it."""
    scratch = pbj_scratch(None)
    try:
        checked = load_public_file(scratch, path)
        foreign = scratch.execute(
            f"SELECT provnum, count(*) FROM {FileKind(checked.kind).table}"
            " WHERE provnum <> ? GROUP BY provnum ORDER BY provnum",
            [facility.ccn],
        ).fetchall()
    finally:
        scratch.close()
    report = empty_report(original)
    report["records_processed"] = report["records_accepted"] = checked.rows_loaded
    if foreign:
        shown = [
            finding(
                "facility",
                "fatal",
                f"{n:,} rows for PROVNUM {provnum}, not {facility.ccn} ({facility.name})",
                field="PROVNUM",
            )
            for provnum, n in foreign[:MAX_FINDINGS]
        ]
        reject(report, f"{original}: the file holds rows of other facilities", shown)
        return Outcome(report)
    result = load_public_file(con, path)
    refresh_derived(con)  # the stored measures of its quarters, after its commit
    if result.skipped:
        report["notes"].append(ALREADY_LOADED)
    else:
        report["notes"].append(
            f"Loaded {result.rows_loaded:,} facility-days ({result.kind} staffing file)"
            f" for {', '.join(result.quarters)}."
        )
    return Outcome(report, list(result.quarters), result.skipped)
