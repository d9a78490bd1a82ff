"""What a provider must do when a scheduled service did not happen.

There are two kinds of service interruption (Partners Backup Staffing
Guidelines, the seed's 15-scenario table):

* a **service break** is member-driven (the member or family cancelled, or the
  provider was closed for a holiday or bad weather): document it in the
  member's record, no backup staffing report (J266, Clinical Coverage Policy
  8P);
* a **failure to provide backup staffing** is provider-driven: the regularly
  scheduled staff could not work and backup staff was not available (J256
  trigger 1) or was offered and declined by the member or legally responsible
  person (J256 trigger 2). It is a Level I incident reported to the LME-MCO,
  one report per incident date, explaining why BACKUP staff was not provided.

When backup staff covered the shift there is no interruption at all. Which
cause is member-, closure- or staff-driven is data
(``carecover/data/backup/causes.csv``); this module only applies the rules.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from carecover.errors import ConfigError, InputError

__all__ = [
    "Backup",
    "Cause",
    "CauseCategory",
    "CauseInfo",
    "Outcome",
    "OutcomeKind",
    "cause_info",
    "causes",
    "classify",
    "parse_backup",
    "parse_cause",
]

CAUSES_FILE = "causes.csv"


class Cause(StrEnum):
    """Why the scheduled service did not take place (a public code)."""

    MEMBER_APPOINTMENT = "member_appointment"
    MEMBER_VACATION = "member_vacation"
    MEMBER_UNUSED_UNITS = "member_unused_units"
    MEMBER_HOLIDAY = "member_holiday"
    MEMBER_REQUESTED_BREAK = "member_requested_break"
    MEMBER_WEATHER = "member_weather"
    MEMBER_ILLNESS = "member_illness"
    MEMBER_HOSPITALIZED = "member_hospitalized"
    MEMBER_SCHEDULING_CONFLICT = "member_scheduling_conflict"
    PROVIDER_HOLIDAY_CLOSURE = "provider_holiday_closure"
    PROVIDER_WEATHER_CLOSURE = "provider_weather_closure"
    STAFF_ILLNESS = "staff_illness"
    STAFF_QUIT = "staff_quit"
    STAFF_NO_SHOW = "staff_no_show"
    STAFF_VACANCY = "staff_vacancy"
    STAFF_OTHER = "staff_other"


class Backup(StrEnum):
    """What happened with backup staff (a public code)."""

    PROVIDED = "provided"
    UNAVAILABLE = "unavailable"
    DECLINED = "declined"  # offered, declined by the member or legally responsible person
    NOT_OFFERED = "not_offered"


class CauseCategory(StrEnum):
    """Who drove the interruption."""

    MEMBER = "member"
    PROVIDER_CLOSURE = "provider_closure"
    STAFF = "staff"


class OutcomeKind(StrEnum):
    """The kind of service interruption."""

    SERVICE_BREAK = "service_break"
    FAILURE_TO_PROVIDE_BACKUP = "failure_to_provide_backup"
    NO_INTERRUPTION = "no_interruption"


@dataclass(frozen=True)
class CauseInfo:
    """One row of the cause catalogue, for guided question flows."""

    code: Cause
    category: CauseCategory
    label: str
    help: str
    source: str


@dataclass(frozen=True)
class Outcome:
    """What the provider must do, the rule applied and why, in plain words."""

    kind: OutcomeKind
    report_required: bool
    document_in_member_record: bool
    incident_level: str | None
    escalate: bool
    rule: str
    explanation: str

    def to_dict(self) -> dict[str, object]:
        """The outcome as JSON-ready data (exactly the seven public keys)."""
        return {
            "kind": str(self.kind),
            "report_required": self.report_required,
            "document_in_member_record": self.document_in_member_record,
            "incident_level": self.incident_level,
            "escalate": self.escalate,
            "rule": self.rule,
            "explanation": self.explanation,
        }


def _normalise(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def parse_cause(text: str) -> Cause:
    """Read a cause code (case-insensitive; ``-`` or space may stand for ``_``)."""
    try:
        return Cause(_normalise(text))
    except ValueError:
        valid = ", ".join(c.value for c in Cause)
        raise InputError(f"unknown code {text!r}; valid codes: {valid}", field="cause") from None


def parse_backup(text: str) -> Backup:
    """Read a backup code (case-insensitive; ``-`` or space may stand for ``_``)."""
    try:
        return Backup(_normalise(text))
    except ValueError:
        valid = ", ".join(b.value for b in Backup)
        raise InputError(f"unknown code {text!r}; valid codes: {valid}", field="backup") from None


@cache
def _catalogue() -> dict[Cause, CauseInfo]:
    text = resources.files("carecover").joinpath("data", "backup", CAUSES_FILE).read_text("utf-8")
    reader = csv.DictReader(text.splitlines())
    wanted = ["code", "category", "label", "help", "source"]
    missing = [c for c in wanted if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{CAUSES_FILE}:1: missing column(s) {', '.join(missing)}")
    out: dict[Cause, CauseInfo] = {}
    for row in reader:
        line = reader.line_num
        try:
            code = Cause(row["code"])
        except ValueError:
            raise ConfigError(
                f"{CAUSES_FILE}:{line}: column code: unknown cause {row['code']!r}"
            ) from None
        try:
            category = CauseCategory(row["category"])
        except ValueError:
            raise ConfigError(
                f"{CAUSES_FILE}:{line}: column category: {row['category']!r} is not one of "
                + ", ".join(c.value for c in CauseCategory)
            ) from None
        if code in out:
            raise ConfigError(f"{CAUSES_FILE}:{line}: column code: {code} listed twice")
        out[code] = CauseInfo(code, category, row["label"], row["help"], row["source"])
    absent = [c.value for c in Cause if c not in out]
    if absent:
        raise ConfigError(f"{CAUSES_FILE}: no row for cause(s) {', '.join(absent)}")
    return out


def causes() -> list[CauseInfo]:
    """Every cause with its category, label and help text, in catalogue order."""
    return list(_catalogue().values())


def cause_info(cause: Cause) -> CauseInfo:
    """The catalogue row of one cause."""
    return _catalogue()[cause]


_LATE_NOTICE = (
    " Hearing about it late (the family told the supervisor days after the fact) does not"
    " change this: it is still a failure to provide backup staffing; report it for the date"
    " the service was missed."
)
_HARM = (
    " Because the member was harmed or their health or safety was threatened, this is ALSO a"
    " Level II or III incident: report it through the state incident system (IRIS) within"
    " 72 hours of learning of it."
)
_HARM_NOTE = (
    " (Escalation rule: 10A NCAC 27G .0602/.0604; applying it to missed shifts is UNCONFIRMED.)"
)


def classify(
    cause: Cause, backup: Backup, *, late_notice: bool = False, harm: bool = False
) -> Outcome:
    """Decide what the provider must do about one missed service on one date.

    Member-driven causes and provider closures are service breaks whatever
    happened with backup (J266, seed rows 1-2, 5, 8-15). A staff-driven cause
    is a Level I failure to provide backup staffing unless backup staff
    covered the shift (J256 triggers 1 and 2; seed rows 3, 4, 6, 7).
    ``late_notice`` never changes the kind; ``harm`` always escalates.
    """
    info = cause_info(cause)
    harm_text = _HARM + _HARM_NOTE if harm else ""
    if info.category is not CauseCategory.STAFF:
        member_driven = info.category is CauseCategory.MEMBER
        rule = (
            "J266: member-driven service break"
            if member_driven
            else "J266/DMA scenarios: provider closure service break"
        )
        why = (
            "the member or family cancelled the service"
            if member_driven
            else "the provider was closed for a holiday or bad weather"
        )
        return Outcome(
            kind=OutcomeKind.SERVICE_BREAK,
            report_required=False,
            document_in_member_record=True,
            incident_level=None,
            escalate=harm,
            rule=rule,
            explanation=(
                f"This is a service break: {why} ({info.label.lower()}). Document the service"
                " break in the member's record; do not submit a Failure to Provide Backup"
                " Staffing report." + harm_text
            ),
        )
    if backup is Backup.PROVIDED:
        late = " Hearing about it late does not change this." if late_notice else ""
        return Outcome(
            kind=OutcomeKind.NO_INTERRUPTION,
            report_required=False,
            document_in_member_record=False,
            incident_level=None,
            escalate=harm,
            rule="J256: backup staff provided, no interruption",
            explanation=(
                "Backup staff covered the shift, so the service was not interrupted and there is"
                " nothing to report as backup staffing." + late + harm_text
            ),
        )
    if backup is Backup.DECLINED:
        rule = "J256 trigger 2: backup offered and declined"
        what = "backup staff was offered but the member or legally responsible person declined it"
    else:
        rule = "J256 trigger 1: backup staff not available"
        what = (
            "backup staff was not available"
            if backup is Backup.UNAVAILABLE
            else "no backup staff was offered, so backup was not available"
        )
    return Outcome(
        kind=OutcomeKind.FAILURE_TO_PROVIDE_BACKUP,
        report_required=True,
        document_in_member_record=False,
        incident_level="I",
        escalate=harm,
        rule=rule,
        explanation=(
            f"This is a failure to provide backup staffing, a Level I incident: the regular staff"
            f" could not work ({info.label.lower()}) and {what}. Submit a Failure to Provide"
            " Backup Staffing report to the LME-MCO, one report per incident date. The report"
            " must explain why BACKUP staff was not provided, not why the regular staff was"
            " absent." + (_LATE_NOTICE if late_notice else "") + harm_text
        ),
    )
