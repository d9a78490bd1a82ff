"""CLI command: ``carecover pbj export-xml`` (time-clock CSV to a PBJ 4.10.0 file)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ProcessType(StrEnum):
    """``staffingHours/@processType``: merge into or replace the quarter's hours."""

    MERGE = "merge"
    REPLACE = "replace"


def export_xml(
    timeclock: Annotated[
        Path,
        typer.Argument(
            help="Time-clock or payroll CSV (see docs/pbj-export.md for the columns).",
        ),
    ],
    facility_id: Annotated[
        str, typer.Option("--facility-id", help="The PBJ facility ID CMS assigned (1-16 chars).")
    ],
    state: Annotated[str, typer.Option("--state", help="The facility's state code, e.g. OH.")],
    quarter: Annotated[
        str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3 (= FY2026 Q4).")
    ],
    out: Annotated[Path, typer.Option("-o", "--output", help="The XML file to write.")],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="CSV job_title,job_title_code mapping payroll titles to PBJ codes "
            "(default: the shipped mapping of common titles).",
        ),
    ] = None,
    process_type: Annotated[
        ProcessType,
        typer.Option(
            "--process-type",
            help="merge adds to hours already submitted; replace deletes the quarter's "
            "submitted hours first.",
        ),
    ] = ProcessType.MERGE,
    software_vendor: Annotated[
        str | None, typer.Option("--software-vendor", help="header softwareVendorName.")
    ] = None,
    software_vendor_email: Annotated[
        str | None, typer.Option("--software-vendor-email", help="header softwareVendorEmail.")
    ] = None,
    software_product: Annotated[
        str | None, typer.Option("--software-product", help="header softwareProductName.")
    ] = None,
    software_version: Annotated[
        str | None, typer.Option("--software-version", help="header softwareProductVersion.")
    ] = None,
) -> None:
    """Write one XSD-valid PBJ 4.10.0 submission for one facility and quarter."""
    # Imported here: the writer pulls in lxml and pydantic models, which the
    # other `pbj` commands (e.g. `pbj measures`) should not pay for at start-up.
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.submission.writer import SubmissionHeader
    from carecover.pbj.timeclock.export import export_timeclock

    header = SubmissionHeader(
        facility_id=facility_id,
        state_code=state.strip().upper(),
        quarter=Quarter.parse(quarter),
        process_type=process_type.value,
        software_vendor_name=software_vendor,
        software_vendor_email=software_vendor_email,
        software_product_name=software_product,
        software_product_version=software_version,
    )
    result = export_timeclock(timeclock, out, header, mapping_path=mapping)
    s = result.summary
    q = header.quarter
    typer.echo(
        f"wrote {s.path}: facility {header.facility_id}, {header.state_code}, {q} "
        f"(FY{q.fiscal_year} report quarter {q.report_quarter}, due {q.deadline}); "
        f"{s.employees} employees, {s.work_days} work days, {s.hour_entries} hour entries, "
        f"{s.total_hours} hours"
    )
    if result.rows_for_other_facilities:
        typer.echo(
            f"note: {result.rows_for_other_facilities} row(s) of other facilities "
            "(facility_id column) were left out"
        )
    if result.pieces_outside_quarter:
        typer.echo(
            f"note: {result.pieces_outside_quarter} piece(s) of shifts crossing midnight at the "
            "quarter's edge fall in the neighbouring quarter and were left for its file"
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("export-xml")(export_xml)
