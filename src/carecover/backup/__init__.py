"""Backup staffing in NC Innovations home and community based services.

How the parts fit:

- ``classify`` decides whether an interruption is a service break (documented in
  the member's record) or a Failure to Provide Backup Staffing (a Level I
  incident reported to the LME-MCO), from ``cause`` and ``backup`` codes.
- ``report`` is the record of one failure on one date; ``validation`` holds its
  rules, ``catalogue`` the service codes and reasons they refer to, ``identity``
  the SSN hashing, ``ids`` the never-reused ``BUS-<year>-<n>`` numbers,
  ``split`` one report per date, ``lifecycle`` draft → submitted → accepted |
  returned with every version kept, ``duplicates`` the one-report-per-day guard.
- ``reading`` / ``writing`` move reports in and out of CSV and JSON Lines files.
- ``periods`` cuts the calendar into reporting periods, ``compliance`` says who
  reported, attested, was late or is missing, ``correction`` issues plans of
  correction, ``rollup`` builds the MCO's monthly and quarterly reports and
  ``export`` renders them (CSV, JSON, XLSX, text) safely.
- ``visits`` turns EVV visit records (read by ``visit_layout`` through a
  generic layout or a vendor's mapping file) into interruptions, each
  classified; ``synth_visits`` makes a month of them.
- ``synth`` makes realistic demo data.
"""

from carecover.backup.catalogue import (
    Reason,
    Service,
    find_reason,
    find_service,
    load_reasons,
    load_services,
    search_services,
)
from carecover.backup.classify import Backup, Cause, Outcome, classify
from carecover.backup.compliance import Attestation, ProviderPeriodStatus, period_compliance
from carecover.backup.correction import PlanOfCorrection, issue_plan, plans_needed
from carecover.backup.lifecycle import ReportHistory, accept, amend, return_to_provider, submit
from carecover.backup.periods import PeriodScheme, ReportingPeriod
from carecover.backup.reading import check_reports, load_reports
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    Member,
    ReporterKind,
    ReportStatus,
)
from carecover.backup.rollup import (
    Rollup,
    build_rollup,
    monthly_snapshot,
    quarterly_hrc,
    quarterly_state,
)
from carecover.backup.split import reports_for_range
from carecover.backup.validation import validate_report

__all__ = [
    "Attestation",
    "Backup",
    "BackupReport",
    "BackupStatus",
    "Cause",
    "Contact",
    "DeclinedBy",
    "Member",
    "Outcome",
    "PeriodScheme",
    "PlanOfCorrection",
    "ProviderPeriodStatus",
    "Reason",
    "ReportHistory",
    "ReportStatus",
    "ReporterKind",
    "ReportingPeriod",
    "Rollup",
    "Service",
    "accept",
    "amend",
    "build_rollup",
    "check_reports",
    "classify",
    "find_reason",
    "find_service",
    "issue_plan",
    "load_reasons",
    "load_reports",
    "load_services",
    "monthly_snapshot",
    "period_compliance",
    "plans_needed",
    "quarterly_hrc",
    "quarterly_state",
    "reports_for_range",
    "return_to_provider",
    "search_services",
    "submit",
    "validate_report",
]
