"""Payroll-Based Journal: nurse staffing in nursing homes.

Every Medicare/Medicaid nursing home reports each paid hour of each staff member to
CMS quarterly. This package reads and writes those submissions and CMS's public files:

- ``codes``, ``calendar``, ``columns``, ``jobmap``: job-title and pay-type codes, calendar
  vs fiscal quarters and deadlines (reference data in ``carecover/data/pbj``); ``store``,
  ``sources``, ``ingest``, ``derived``: the staffing store and ``pbj load``.
- ``submission``: a facility's submission XML, checked the way CMS's intake does, its Final
  Validation style report, the XML store and CASPER-style reports.
- ``timeclock``: time-clock data turned into a submission; on-site RN.
- ``publicfile``: CMS's public Daily Nurse Staffing files, their loader rules and loading.
- ``measures``: the Five-Star staffing measures as Ibis expressions, RN coverage, state
  minimums, peer comparisons.
- ``history``: the national history store and its views.
- ``employees``: CMS's PBJ Employee Detail file.

The flat module paths before these sub-packages still import for one release (``moved``).
The names below are re-exported lazily: importing ``carecover.pbj`` does not import
Ibis, so commands that never compute measures start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from carecover.pbj import moved

moved.install()

if TYPE_CHECKING:
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.codes import job_title, job_titles, pay_type, pay_types
    from carecover.pbj.ingest import load_files
    from carecover.pbj.measures.coverage import month_grid, rn_coverage
    from carecover.pbj.measures.staffing import daily_measures, quarterly_measures, to_rows
    from carecover.pbj.publicfile.loading import LoadResult
    from carecover.pbj.publicfile.synth import synthesize_puf
    from carecover.pbj.store import connect, ibis_table
    from carecover.pbj.submission.fvr import render_html, render_json, render_text, report_to_dict
    from carecover.pbj.submission.reader import iter_hour_entries, read_submission
    from carecover.pbj.submission.synth import synth_pbj_xml
    from carecover.pbj.submission.validation import ValidationReport, validate_submission
    from carecover.pbj.submission.writer import SubmissionHeader, write_submission
    from carecover.pbj.timeclock.export import export_timeclock, read_timeclock

_HOMES = {
    "Quarter": "calendar",
    "job_title": "codes",
    "job_titles": "codes",
    "pay_type": "codes",
    "pay_types": "codes",
    "month_grid": "measures.coverage",
    "rn_coverage": "measures.coverage",
    "render_html": "submission.fvr",
    "render_json": "submission.fvr",
    "render_text": "submission.fvr",
    "report_to_dict": "submission.fvr",
    "LoadResult": "publicfile.loading",
    "load_files": "ingest",
    "daily_measures": "measures.staffing",
    "quarterly_measures": "measures.staffing",
    "to_rows": "measures.staffing",
    "iter_hour_entries": "submission.reader",
    "read_submission": "submission.reader",
    "connect": "store",
    "ibis_table": "store",
    "synthesize_puf": "publicfile.synth",
    "synth_pbj_xml": "submission.synth",
    "export_timeclock": "timeclock.export",
    "read_timeclock": "timeclock.export",
    "ValidationReport": "submission.validation",
    "validate_submission": "submission.validation",
    "SubmissionHeader": "submission.writer",
    "write_submission": "submission.writer",
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
