"""The life of a report: draft -> submitted -> accepted | returned -> submitted ...

Alpha+ works as SAVE then SUBMIT, and the MCO accepts or sends back (domain
notes §1.3, §7). A submitted report is locked: nothing here edits a report in
place. Every step returns a new version (``version`` + 1) and
``ReportHistory`` keeps all of them, so the MCO can see what changed.

After submission a provider can ask to withdraw a report filed in error or
to amend it, with a reason (``request_correction``); the MCO approves or
declines (``decide_correction``). An approved withdrawal makes the report
``withdrawn`` (kept, no longer filed); an approved amendment returns it, so
the provider corrects and submits it again (its first submission still
decides timeliness).
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from carecover.backup.report import BackupReport, CorrectionKind, ReportStatus
from carecover.backup.validation import MIN_EXPLANATION_LENGTH, validate_report
from carecover.errors import InputError, RuleError

__all__ = [
    "CORRECTABLE_STATUSES",
    "EDITABLE_STATUSES",
    "ReportHistory",
    "accept",
    "amend",
    "decide_correction",
    "request_correction",
    "return_to_provider",
    "submit",
]

#: A provider may change a report only before submission or after the MCO returned it.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
#: Set by the life cycle, never by an amendment.
_LIFECYCLE_FIELDS = frozenset(
    {
        "report_id",
        "status",
        "version",
        "submitted_at",
        "first_submitted_at",
        "mco_comment",
        "correction_requested",
        "correction_reason",
    }
)
#: A provider may ask to withdraw or amend a report the MCO holds (not a returned
#: one: that the provider corrects itself).
CORRECTABLE_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})
#: The longest reason or decision comment kept.
_MAX_REASON = 2000
_FIELDS = frozenset(f.name for f in dataclasses.fields(BackupReport))


def _refuse(report: BackupReport, action: str) -> RuleError:
    return RuleError(f"cannot {action} {report.report_id}: it is {report.status}")


def submit(report: BackupReport, *, now: datetime, today: date) -> BackupReport:
    """Submit a draft or returned report to the MCO (validated first); a new version."""
    if report.status not in EDITABLE_STATUSES:
        raise _refuse(report, "submit")
    submitted = replace(
        report,
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        # A correction after a return keeps the first filing time: it decides timeliness.
        first_submitted_at=report.first_submitted_at or now,
        mco_comment=None,  # the returned version keeps the MCO's comment
        version=report.version + 1,
    )
    validate_report(submitted, today=today)
    return submitted


def accept(report: BackupReport, *, now: datetime) -> BackupReport:
    """The MCO accepts a submitted report; a new, final version."""
    if report.status is not ReportStatus.SUBMITTED:
        raise _refuse(report, "accept")
    _no_pending_request(report, "accept")
    _not_before_submission(report, now)
    return replace(report, status=ReportStatus.ACCEPTED, version=report.version + 1)


def return_to_provider(report: BackupReport, *, comment: str, now: datetime) -> BackupReport:
    """The MCO sends a submitted report back for correction, saying what to correct."""
    if report.status is not ReportStatus.SUBMITTED:
        raise _refuse(report, "return")
    _no_pending_request(report, "return")
    if not comment.strip():
        raise InputError("say what the provider must correct", field="mco_comment")
    _not_before_submission(report, now)
    return replace(
        report,
        status=ReportStatus.RETURNED,
        mco_comment=comment.strip(),
        version=report.version + 1,
    )


def _no_pending_request(report: BackupReport, action: str) -> None:
    if report.correction_requested is not None:
        raise RuleError(
            f"cannot {action} {report.report_id}: the provider asked to "
            f"{report.correction_requested} it; approve or decline that first"
        )


def _explained(text: str, field: str, what: str) -> str:
    text = text.strip()
    if len(text) < MIN_EXPLANATION_LENGTH:
        raise InputError(f"{what}, in at least {MIN_EXPLANATION_LENGTH} characters", field=field)
    if len(text) > _MAX_REASON:
        raise InputError(f"is too long: at most {_MAX_REASON:,} characters", field=field)
    return text


def request_correction(
    report: BackupReport, kind: CorrectionKind, *, reason: str, now: datetime
) -> BackupReport:
    """The provider asks the MCO to withdraw or amend a filed report, saying why.

    The report is unchanged until the MCO decides; one request at a time.
    """
    if report.status not in CORRECTABLE_STATUSES:
        raise _refuse(report, f"ask to {kind}")
    if report.correction_requested is not None:
        raise RuleError(
            f"{report.report_id} already has a request to {report.correction_requested} "
            "waiting for the MCO"
        )
    _not_before_submission(report, now)
    done = "withdrawn" if kind is CorrectionKind.WITHDRAW else "amended"
    why = _explained(reason, "correction_reason", f"say why the report should be {done}")
    return replace(
        report, correction_requested=kind, correction_reason=why, version=report.version + 1
    )


def decide_correction(
    report: BackupReport, *, approve: bool, comment: str, now: datetime
) -> BackupReport:
    """The MCO approves or declines the provider's pending request; a new version.

    Approving a withdrawal withdraws the report (kept, no longer filed);
    approving an amendment returns it for correction. Declining keeps the
    report as it was and needs a comment saying why.
    """
    kind = report.correction_requested
    if kind is None:
        raise RuleError(f"{report.report_id} has no request to withdraw or amend it")
    _not_before_submission(report, now)
    note = comment.strip()
    if not approve and not note:
        raise InputError("say why the request is declined", field="mco_comment")
    cleared = replace(report, correction_requested=None, correction_reason=None)
    if not approve:
        return replace(cleared, mco_comment=note, version=report.version + 1)
    if kind is CorrectionKind.WITHDRAW:
        status = ReportStatus.WITHDRAWN
        note = note or f"Withdrawal approved: {report.correction_reason}"
    else:
        status = ReportStatus.RETURNED
        note = note or f"Amendment approved: {report.correction_reason}"
    return replace(cleared, status=status, mco_comment=note, version=report.version + 1)


def _not_before_submission(report: BackupReport, now: datetime) -> None:
    if report.submitted_at is not None and now < report.submitted_at:
        raise RuleError(
            f"cannot decide on {report.report_id} at {now.isoformat()}: "
            f"it was submitted at {report.submitted_at.isoformat()}"
        )


def amend(report: BackupReport, **changes: Any) -> BackupReport:
    """A corrected copy of a draft or returned report, as a new version.

    Status, id, version, submission time and MCO comment belong to the life
    cycle and cannot be amended.
    """
    if report.status not in EDITABLE_STATUSES:
        raise _refuse(report, "change")
    for name in changes:
        if name not in _FIELDS:
            raise InputError("is not a field of a backup staffing report", field=name)
        if name in _LIFECYCLE_FIELDS:
            raise RuleError(f"{name} is set by submitting, accepting or returning, not by editing")
    return replace(report, **changes, version=report.version + 1)


def _content(report: BackupReport) -> BackupReport:
    """The report without its life-cycle fields: what a provider wrote."""
    return replace(
        report,
        status=ReportStatus.DRAFT,
        version=1,
        submitted_at=None,
        first_submitted_at=None,
        mco_comment=None,
        correction_requested=None,
        correction_reason=None,
    )


_NEXT: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.DRAFT, ReportStatus.SUBMITTED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.RETURNED, ReportStatus.SUBMITTED}),
    # A submitted or accepted report stays so while a correction request is pending.
    ReportStatus.SUBMITTED: frozenset(
        {
            ReportStatus.SUBMITTED,
            ReportStatus.ACCEPTED,
            ReportStatus.RETURNED,
            ReportStatus.WITHDRAWN,
        }
    ),
    ReportStatus.ACCEPTED: frozenset(
        {ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.WITHDRAWN}
    ),
    ReportStatus.WITHDRAWN: frozenset(),
}


class ReportHistory:
    """Every version of one report, oldest first; append-only."""

    def __init__(self, first: BackupReport) -> None:
        self._versions: list[BackupReport] = [first]

    @property
    def report_id(self) -> str:
        """The id all versions share."""
        return self._versions[0].report_id

    @property
    def versions(self) -> tuple[BackupReport, ...]:
        """All versions, oldest first (a tuple: history cannot be rewritten)."""
        return tuple(self._versions)

    @property
    def current(self) -> BackupReport:
        """The latest version."""
        return self._versions[-1]

    def record(self, version: BackupReport) -> None:
        """Append the next version; refuse other ids, skipped numbers, edits of a locked report."""
        current = self.current
        if version.report_id != current.report_id:
            raise RuleError(
                f"{version.report_id} cannot be recorded in the history of {current.report_id}"
            )
        if version.version != current.version + 1:
            raise RuleError(
                f"{current.report_id} is at version {current.version}: the next version is "
                f"{current.version + 1}, not {version.version}"
            )
        if version.status not in _NEXT[current.status]:
            raise RuleError(
                f"{current.report_id} cannot go from {current.status} to {version.status}"
            )
        if current.status not in EDITABLE_STATUSES and _content(version) != _content(current):
            raise RuleError(
                f"{current.report_id} is {current.status}: it cannot be edited; "
                "the MCO must return it first"
            )
        self._versions.append(version)
