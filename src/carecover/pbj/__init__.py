"""Payroll-Based Journal: nurse staffing in nursing homes.

Every Medicare/Medicaid nursing home reports each paid hour of each staff member to
CMS quarterly. This package reads and writes those submissions and CMS's public files:

- ``codes``, ``calendar``: job-title and pay-type codes, calendar vs fiscal quarters
  and deadlines (reference data in ``carecover/data/pbj``).
- ``validation`` (with ``reader``, ``edits``, ``checker``, ``fvr``, ``xmlsafe``): check a
  submission XML the way CMS's intake does and render a Final Validation style report.
- ``timeclock``, ``writer``, ``shifts``, ``jobmap``: turn time-clock data into a submission.
- ``loading``, ``store``, ``measures``, ``coverage``: load the public Daily Nurse Staffing
  files into DuckDB and compute the Five-Star staffing measures as Ibis expressions.
- ``synth_puf``, ``synth_xml``: synthetic data of national size.

The names below are re-exported lazily: importing ``carecover.pbj`` does not import
Ibis, so commands that never compute measures start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.codes import job_title, job_titles, pay_type, pay_types
    from carecover.pbj.coverage import month_grid, rn_coverage
    from carecover.pbj.fvr import render_html, render_json, render_text, report_to_dict
    from carecover.pbj.ingest import load_files
    from carecover.pbj.loading import LoadResult
    from carecover.pbj.measures import daily_measures, quarterly_measures, to_rows
    from carecover.pbj.reader import iter_hour_entries, read_submission
    from carecover.pbj.store import connect, ibis_table
    from carecover.pbj.synth_puf import synthesize_puf
    from carecover.pbj.synth_xml import synth_pbj_xml
    from carecover.pbj.timeclock import export_timeclock, read_timeclock
    from carecover.pbj.validation import ValidationReport, validate_submission
    from carecover.pbj.writer import SubmissionHeader, write_submission

_HOMES = {
    "Quarter": "calendar",
    "job_title": "codes",
    "job_titles": "codes",
    "pay_type": "codes",
    "pay_types": "codes",
    "month_grid": "coverage",
    "rn_coverage": "coverage",
    "render_html": "fvr",
    "render_json": "fvr",
    "render_text": "fvr",
    "report_to_dict": "fvr",
    "LoadResult": "loading",
    "load_files": "ingest",
    "daily_measures": "measures",
    "quarterly_measures": "measures",
    "to_rows": "measures",
    "iter_hour_entries": "reader",
    "read_submission": "reader",
    "connect": "store",
    "ibis_table": "store",
    "synthesize_puf": "synth_puf",
    "synth_pbj_xml": "synth_xml",
    "export_timeclock": "timeclock",
    "read_timeclock": "timeclock",
    "ValidationReport": "validation",
    "validate_submission": "validation",
    "SubmissionHeader": "writer",
    "write_submission": "writer",
}

__all__ = [
    "LoadResult",
    "Quarter",
    "SubmissionHeader",
    "ValidationReport",
    "connect",
    "daily_measures",
    "export_timeclock",
    "ibis_table",
    "iter_hour_entries",
    "job_title",
    "job_titles",
    "load_files",
    "month_grid",
    "pay_type",
    "pay_types",
    "quarterly_measures",
    "read_submission",
    "read_timeclock",
    "render_html",
    "render_json",
    "render_text",
    "report_to_dict",
    "rn_coverage",
    "synth_pbj_xml",
    "synthesize_puf",
    "to_rows",
    "validate_submission",
    "write_submission",
]


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'carecover.pbj' has no attribute {name!r}")
    return getattr(importlib.import_module(f"carecover.pbj.{home}"), name)
