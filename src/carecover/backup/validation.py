"""The rules a Failure to Provide Backup Staffing report must follow.

``problems`` lists every broken rule, each on the field it concerns (named
after the ``BackupReport`` attribute; member and contact fields as
``member.date_of_birth``, ``contact.email``), in words a provider
understands; ``validate_report`` raises them all at once. ``FIELD_HELP``
holds the help text of every field for the CLI docs and the portal form.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from carecover.backup.catalogue import find_reason, find_service, load_reasons
from carecover.backup.ids import REPORT_ID_PATTERN
from carecover.backup.report import BackupReport, BackupStatus, ReporterKind, ReportStatus
from carecover.backup.window import MAX_HOURS_PER_DATE, window_hours
from carecover.errors import FieldProblem, NotFoundError, ValidationError

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "EMAIL_PATTERN",
    "EOR_REASON_PREFIX",
    "FIELD_HELP",
    "MAX_LENGTHS",
    "MEDICAID_ID_PATTERN",
    "MIN_EXPLANATION_LENGTH",
    "OTHER_REASON",
    "branch_required",
    "problems",
    "validate_report",
]

#: NC Medicaid ids (the MID on the member's Medicaid card) are nine digits and
#: a letter, e.g. 123456789A. Kept here as one constant so a plan that uses its
#: own record number can change it in one place (domain notes §1.3: exact BUS
#: member fields are UNCONFIRMED).
MEDICAID_ID_PATTERN = re.compile(r"[0-9]{9}[A-Z]")
#: Deliberately loose: one @, no spaces, a dot in the domain.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: A US number: 10 digits, optionally a leading 1 and an extension.
_PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?)\s*\d{1,6}$", re.IGNORECASE)
_PHONE_PUNCTUATION = re.compile(r"[\s().\-+]")
#: A reason code that needs a written explanation (Partners: "If 'Other' is
#: chosen ... there must be an explanation of what 'other' means").
OTHER_REASON = "other"
#: Shorter than this, an explanation explains nothing ("n/a", "other").
MIN_EXPLANATION_LENGTH = 10
#: No member of a waiver program today was born before this: an earlier date is a typing slip.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
#: Reasons only an Employer of Record can give (self-direction: the EOR hires the
#: backup employee); an agency choosing one has picked the wrong line of the list.
EOR_REASON_PREFIX = "eor_"
#: The longest text each field holds (the portal's columns are as wide): longer is
#: refused with the field named, never cut.
MAX_LENGTHS: Mapping[str, int] = MappingProxyType(
    {
        "provider_id": 40,
        "provider_name": 200,
        "contact.name": 200,
        "contact.phone": 40,
        "contact.email": 254,
        "member.first_name": 100,
        "member.last_name": 100,
        "member.medicaid_id": 20,
        "service_code": 20,
        "reason": 60,
        "reason_other": 2000,
        "declined_reason": 2000,
        "mco_comment": 2000,
    }
)

FIELD_HELP: Mapping[str, str] = MappingProxyType(
    {
        "report_id": "The BUS id of the report, like BUS-2026-000123. Issued once, never reused.",
        "reporter_kind": "Who files: 'provider' (an agency) or 'eor' (an Employer of Record).",
        "provider_id": "Your provider (or Employer of Record) number with the MCO.",
        "provider_name": "The agency's or Employer of Record's name.",
        "site_id": "Optional: the site or office that staffs this member.",
        "contact.name": "The person the MCO can call about this report.",
        "contact.phone": "The contact's phone number, 10 digits, e.g. 919-555-0100.",
        "contact.email": "The contact's e-mail address.",
        "member.first_name": "The member's first name as on the Medicaid card.",
        "member.last_name": "The member's last name as on the Medicaid card.",
        "member.date_of_birth": (
            "The member's date of birth (YYYY-MM-DD): not before 1900, not after the incident."
        ),
        "member.medicaid_id": "The member's NC Medicaid id: 9 digits and a letter (123456789A).",
        "member_ssn": (
            "Optional, only to find the member: the full SSN. It is never stored; only a "
            "keyed hash and the last four digits are kept."
        ),
        "member.ssn_last4": (
            "Optional: last four digits of the member's SSN, to tell members with the same "
            "name apart. The full SSN is never stored."
        ),
        "incident_date": (
            "The one date staff was missing. One report per date: an interruption over "
            "several days needs one report for each day. It cannot be after today."
        ),
        "service_code": "The service that was not provided, e.g. T2013TF, from the service list.",
        "scheduled_start": "When the missed service was scheduled to start (HH:MM).",
        "scheduled_end": (
            "When the missed service was scheduled to end (HH:MM); an end at or before the "
            "start means the shift ran past midnight."
        ),
        "hours_without_staff": (
            "Hours the member was left without staff: more than 0, no more than the "
            "scheduled window and no more than 24."
        ),
        "backup_status": (
            "'not_available' if no backup staff could be found; 'offered_declined' if backup "
            "staff was offered and the member or their legally responsible person said no."
        ),
        "reason": (
            "Why BACKUP staff was not available (not why the regular staff was absent), "
            "from the reason list. Only when backup staff was not available; reasons "
            "starting 'eor_' only for an Employer of Record."
        ),
        "reason_other": ("When the reason is Other: what happened, in 10 to 2,000 characters."),
        "declined_by": (
            "Who declined the backup staff offered: 'member' or 'legally_responsible_person'. "
            "Only when backup staff was offered and declined."
        ),
        "declined_reason": (
            "Why the backup staff offered was declined, in 10 to 2,000 characters. "
            "Only when backup staff was offered and declined."
        ),
        "status": "draft, submitted, accepted or returned. A submitted report is never edited.",
        "submitted_at": "When the report was submitted to the MCO (set on submission).",
        "version": "1 for a new report; each correction keeps the old version and adds 1.",
        "mco_comment": "The MCO's note when it returns a report for correction.",
        "learned_on": (
            "Optional: the day you learned of the incident, when it was after the incident "
            "(e.g. the family told the supervisor days later). A report filed by the due date "
            "of the period containing this day is on time."
        ),
        "harm": (
            "The member was harmed or put at risk: the incident is escalated to the MCO "
            "(10A NCAC 27G .0602/.0604; applying it to missed shifts is UNCONFIRMED)."
        ),
        "correction_requested": (
            "A provider's pending request about a filed report: 'withdraw' (filed in error, "
            "e.g. it was a service break) or 'amend' (send it back to correct it)."
        ),
        "correction_reason": "Why the provider asks to withdraw or amend, 10 to 2,000 characters.",
        "first_submitted_at": (
            "When the report was first submitted (kept when a returned report is corrected "
            "and submitted again). Empty: the submission time."
        ),
    }
)

_REQUIRED_TEXT = (
    "provider_id",
    "provider_name",
    "contact.name",
    "contact.phone",
    "contact.email",
    "member.first_name",
    "member.last_name",
    "member.medicaid_id",
    "service_code",
)


def _value(report: BackupReport, field: str) -> object:
    target: object = report
    for part in field.split("."):
        target = getattr(target, part)
    return target


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _identity_problems(report: BackupReport, today: date) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if REPORT_ID_PATTERN.fullmatch(report.report_id) is None or report.report_id.endswith("000000"):
        found.append(FieldProblem("report_id", "must look like BUS-2026-000123"))
    for field in _REQUIRED_TEXT:
        if _blank(_value(report, field)):
            found.append(FieldProblem(field, "is required"))
    for field, longest in MAX_LENGTHS.items():
        text = _value(report, field)
        if isinstance(text, str) and len(text) > longest:
            found.append(FieldProblem(field, f"is too long: at most {longest:,} characters"))
    email = report.contact.email.strip()
    if email and EMAIL_PATTERN.fullmatch(email) is None:
        found.append(FieldProblem("contact.email", "is not an e-mail address (name@example.org)"))
    phone = report.contact.phone.strip()
    if phone:
        digits = _PHONE_PUNCTUATION.sub("", _PHONE_EXTENSION.sub("", phone))
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
            found.append(
                FieldProblem("contact.phone", "must be a 10-digit phone number (919-555-0100)")
            )
    member = report.member
    if member.medicaid_id.strip() and MEDICAID_ID_PATTERN.fullmatch(member.medicaid_id) is None:
        found.append(
            FieldProblem("member.medicaid_id", "must be 9 digits and a letter, e.g. 123456789A")
        )
    if member.date_of_birth < EARLIEST_BIRTH_DATE:
        found.append(
            FieldProblem(
                "member.date_of_birth",
                f"cannot be before {EARLIEST_BIRTH_DATE.isoformat()}: check the year",
            )
        )
    elif member.date_of_birth > today:
        found.append(FieldProblem("member.date_of_birth", "cannot be in the future"))
    elif member.date_of_birth > report.incident_date:
        found.append(FieldProblem("member.date_of_birth", "cannot be after the incident date"))
    if member.ssn_last4 is not None and not (
        len(member.ssn_last4) == 4 and member.ssn_last4.isascii() and member.ssn_last4.isdigit()
    ):
        found.append(FieldProblem("member.ssn_last4", "must be exactly four digits"))
    return found


def _service_problems(report: BackupReport, today: date) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if report.incident_date > today:
        # An incident cannot be reported before it happens (domain notes §7).
        found.append(FieldProblem("incident_date", f"cannot be after today ({today.isoformat()})"))
    if not _blank(report.service_code):
        try:
            find_service(report.service_code, on=report.incident_date)
        except NotFoundError as exc:
            found.append(FieldProblem("service_code", f"{exc}; use a code from the service list"))
    hours = report.hours_without_staff
    window = window_hours(report.scheduled_start, report.scheduled_end)
    if math.isnan(hours) or hours <= 0:
        found.append(FieldProblem("hours_without_staff", "must be more than 0"))
    elif hours > MAX_HOURS_PER_DATE:
        found.append(FieldProblem("hours_without_staff", "cannot be more than 24 on one date"))
    elif hours > window + 1e-9:
        found.append(
            FieldProblem(
                "hours_without_staff",
                f"cannot be more than the scheduled window ({window:g} hours from "
                f"{report.scheduled_start:%H:%M} to {report.scheduled_end:%H:%M})",
            )
        )
    return found


def _reason_problems(report: BackupReport) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if _blank(report.reason):
        found.append(FieldProblem("reason", "is required when backup staff was not available"))
        return found
    assert report.reason is not None
    try:
        reason = find_reason(report.reason, on=report.incident_date)
    except NotFoundError as exc:
        found.append(FieldProblem("reason", f"{exc}; use a code from the reason list"))
        return found
    if reason.code.startswith(EOR_REASON_PREFIX) and report.reporter_kind is not ReporterKind.EOR:
        found.append(
            FieldProblem("reason", f"{reason.label!r} is a reason for Employers of Record only")
        )
    if reason.requires_explanation or reason.code == OTHER_REASON:
        explanation = (report.reason_other or "").strip()
        if len(explanation) < MIN_EXPLANATION_LENGTH:
            found.append(
                FieldProblem(
                    "reason_other",
                    f"explain the reason in at least {MIN_EXPLANATION_LENGTH} characters",
                )
            )
    return found


def _status_problems(report: BackupReport) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if report.backup_status is BackupStatus.NOT_AVAILABLE:
        found.extend(_reason_problems(report))
        for field in ("declined_by", "declined_reason"):
            if not _blank(getattr(report, field)):
                found.append(FieldProblem(field, "leave empty when backup staff was not available"))
    else:
        if report.declined_by is None:
            found.append(
                FieldProblem(
                    "declined_by",
                    "say who declined: member or legally_responsible_person",
                )
            )
        declined = (report.declined_reason or "").strip()
        if len(declined) < MIN_EXPLANATION_LENGTH:
            found.append(
                FieldProblem(
                    "declined_reason",
                    f"say why backup staff was declined, in at least "
                    f"{MIN_EXPLANATION_LENGTH} characters",
                )
            )
        for field in ("reason", "reason_other"):
            if not _blank(getattr(report, field)):
                found.append(
                    FieldProblem(field, "leave empty when backup staff was offered and declined")
                )
    return found


def _lifecycle_problems(report: BackupReport, today: date) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if report.version < 1:
        found.append(FieldProblem("version", "must be 1 or more"))
    if report.status is ReportStatus.DRAFT:
        if report.submitted_at is not None:
            found.append(FieldProblem("submitted_at", "a draft has not been submitted yet"))
    elif report.submitted_at is None:
        found.append(FieldProblem("submitted_at", f"is required for a {report.status} report"))
    elif report.submitted_at.date() > today:
        found.append(FieldProblem("submitted_at", "cannot be in the future"))
    elif report.submitted_at.date() < report.incident_date:
        # Partners: "Do not submit a report for a date of the incident prior to
        # the actual date of the incident."
        found.append(FieldProblem("submitted_at", "cannot be before the incident date"))
    if report.learned_on is not None:
        # Seed row 6: the provider can learn of an incident days later, never before it.
        if report.learned_on < report.incident_date:
            found.append(FieldProblem("learned_on", "cannot be before the incident date"))
        elif report.learned_on > today:
            found.append(FieldProblem("learned_on", "cannot be in the future"))
    if report.status is ReportStatus.RETURNED and _blank(report.mco_comment):
        found.append(FieldProblem("mco_comment", "say what the provider must correct"))
    return found


def branch_required(backup_status: BackupStatus, reason: str | None) -> tuple[str, ...]:
    """The fields the report type (and the reason chosen) make required.

    Not available: the reason, and its explanation for a reason that needs one
    (``other`` and any reason the list marks so). Offered but declined: who
    declined and why. For forms that list what a draft still needs before
    ``problems`` can judge it; ``problems`` enforces the same.
    """
    if backup_status is BackupStatus.OFFERED_DECLINED:
        return ("declined_by", "declined_reason")
    explained = {r.code for r in load_reasons() if r.requires_explanation} | {OTHER_REASON}
    return ("reason", "reason_other") if reason in explained else ("reason",)


def problems(report: BackupReport, *, today: date) -> list[FieldProblem]:
    """Every rule ``report`` breaks, in field order; empty if it is valid."""
    return [
        *_identity_problems(report, today),
        *_service_problems(report, today),
        *_status_problems(report),
        *_lifecycle_problems(report, today),
    ]


def validate_report(report: BackupReport, *, today: date) -> None:
    """Raise ``ValidationError`` holding every broken rule, or return if ``report`` is valid."""
    found = problems(report, today=today)
    if found:
        raise ValidationError(found)
