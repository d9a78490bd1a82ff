"""Which reminders are due: reporting deadlines, returned reports, plans of correction.

A reminder is decided from the same facts the compliance pages show (each
provider's periods with their status, plans of correction, reports the MCO
returned) and today's date, so the people who must act hear of it before and
when a deadline passes:

* providers and Employers of Record: a period **due within** ``lead_days``
  with nothing filed or attested; a period **overdue** (missing); a report
  **returned** by the MCO; a plan of correction **due within** ``lead_days``
  or **overdue**; a plan **accepted**;
* the MCO: the providers **late or missing** for a period once its due date
  has passed; each plan **overdue**.

Every reminder has a ``key`` that names the fact it is about (a period, a
report version, a plan), so a scheduler that runs every hour sends each one
once. The lead time is data (``carecover/data/backup/reminders.toml``).
Reminders carry ids and dates, never a member's identity: they become
e-mails, and an e-mail holds a link to the page, not PHI.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

from carecover.backup.compliance import ProviderPeriod, ProviderPeriodStatus
from carecover.errors import ConfigError

__all__ = [
    "Audience",
    "PlanFact",
    "Reminder",
    "ReminderKind",
    "ReminderRules",
    "ReturnedReport",
    "due_reminders",
    "reminder_rules",
]


class ReminderKind(StrEnum):
    """What a reminder is about (the user chooses which of these reach them by e-mail)."""

    PERIOD_DUE_SOON = "period_due_soon"
    PERIOD_OVERDUE = "period_overdue"
    REPORT_RETURNED = "report_returned"
    PLAN_DUE_SOON = "plan_due_soon"
    PLAN_OVERDUE = "plan_overdue"
    PLAN_ACCEPTED = "plan_accepted"
    PROVIDERS_LATE_OR_MISSING = "providers_late_or_missing"
    MCO_PLAN_OVERDUE = "mco_plan_overdue"


class Audience(StrEnum):
    """Who a reminder is for: the provider's filers or the MCO's analysts."""

    PROVIDER = "provider"
    MCO = "mco"


#: Plain-words labels (pages, e-mail subjects, the preferences form).
LABELS: dict[ReminderKind, str] = {
    ReminderKind.PERIOD_DUE_SOON: "A reporting period is due soon with nothing filed",
    ReminderKind.PERIOD_OVERDUE: "A reporting period is overdue",
    ReminderKind.REPORT_RETURNED: "A report was returned by the MCO",
    ReminderKind.PLAN_DUE_SOON: "A plan of correction is due soon",
    ReminderKind.PLAN_OVERDUE: "A plan of correction is overdue",
    ReminderKind.PLAN_ACCEPTED: "A plan of correction was accepted",
    ReminderKind.PROVIDERS_LATE_OR_MISSING: "Providers late or missing for a period",
    ReminderKind.MCO_PLAN_OVERDUE: "A provider's plan of correction is overdue",
}
AUDIENCE: dict[ReminderKind, Audience] = {
    kind: (
        Audience.MCO
        if kind in (ReminderKind.PROVIDERS_LATE_OR_MISSING, ReminderKind.MCO_PLAN_OVERDUE)
        else Audience.PROVIDER
    )
    for kind in ReminderKind
}


@dataclass(frozen=True)
class ReminderRules:
    """How early reminders come (data, with its source)."""

    lead_days: int
    source: str


@cache
def reminder_rules() -> ReminderRules:
    """The shipped reminder rules (``data/backup/reminders.toml``)."""
    text = resources.files("carecover").joinpath("data", "backup", "reminders.toml").read_text()
    try:
        data = tomllib.loads(text)
        lead = int(data["lead_days"])
        source = str(data["source"])
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"reminders.toml: {exc}") from None
    if not 0 <= lead <= 30:
        raise ConfigError("reminders.toml: lead_days must be between 0 and 30")
    return ReminderRules(lead, source)


@dataclass(frozen=True)
class PlanFact:
    """A plan of correction as reminders need it."""

    plan_id: int
    provider_id: str
    period_start: date
    due_on: date
    answered: bool
    accepted: bool


@dataclass(frozen=True)
class ReturnedReport:
    """A report the MCO returned to its provider (one reminder per returned version)."""

    provider_id: str
    report_id: str
    version: int


@dataclass(frozen=True)
class Reminder:
    """One reminder: for whom, about what, and the key that makes it be sent once."""

    kind: ReminderKind
    audience: Audience
    provider_id: str
    key: str
    subject: str
    detail: str

    @property
    def label(self) -> str:
        """The kind in plain words."""
        return LABELS[self.kind]


def _period_reminders(rows: Iterable[ProviderPeriod], today: date, lead: int) -> Iterable[Reminder]:
    late_or_missing: dict[date, list[ProviderPeriod]] = {}
    for row in rows:
        p = row.period
        span = f"{p.start:%d %b} – {p.end:%d %b %Y}"
        days_left = (p.due - today).days
        if row.status is ProviderPeriodStatus.DUE and p.end < today and 0 <= days_left <= lead:
            yield Reminder(
                ReminderKind.PERIOD_DUE_SOON,
                Audience.PROVIDER,
                row.provider_id,
                f"period:{row.provider_id}:{p.start}:due",
                f"Reporting period {span} is due on {p.due:%d %b %Y}",
                "Nothing is filed or attested for it yet: submit your reports or attest"
                " that there were no backup staffing incidents.",
            )
        if row.status is ProviderPeriodStatus.MISSING:
            yield Reminder(
                ReminderKind.PERIOD_OVERDUE,
                Audience.PROVIDER,
                row.provider_id,
                f"period:{row.provider_id}:{p.start}:overdue",
                f"Reporting period {span} is overdue (due {p.due:%d %b %Y})",
                "Nothing was filed or attested by the due date: file now; the MCO may ask"
                " for a plan of correction.",
            )
        if row.non_compliant and p.due < today:
            late_or_missing.setdefault(p.start, []).append(row)
    for start, missing in sorted(late_or_missing.items()):
        p = missing[0].period
        yield Reminder(
            ReminderKind.PROVIDERS_LATE_OR_MISSING,
            Audience.MCO,
            "",
            f"mco:period:{start}:late-or-missing",
            f"{len(missing)} provider(s) late or missing for {p.start:%d %b} – {p.end:%d %b %Y}",
            "See the compliance page for who, and request plans of correction.",
        )


def _plan_reminders(plans: Iterable[PlanFact], today: date, lead: int) -> Iterable[Reminder]:
    for plan in plans:
        ref = f"plan:{plan.plan_id}"
        if plan.accepted:
            yield Reminder(
                ReminderKind.PLAN_ACCEPTED,
                Audience.PROVIDER,
                plan.provider_id,
                f"{ref}:accepted",
                f"Your plan of correction for the period from {plan.period_start:%d %b %Y}"
                " was accepted",
                "The MCO accepted the plan and closed it.",
            )
            continue
        if plan.answered:
            continue
        days = (plan.due_on - today).days
        if 0 <= days <= lead:
            yield Reminder(
                ReminderKind.PLAN_DUE_SOON,
                Audience.PROVIDER,
                plan.provider_id,
                f"{ref}:due",
                f"A plan of correction is due on {plan.due_on:%d %b %Y}",
                "Answer it with how, by when and who is responsible for each correction.",
            )
        elif days < 0:
            yield Reminder(
                ReminderKind.PLAN_OVERDUE,
                Audience.PROVIDER,
                plan.provider_id,
                f"{ref}:overdue",
                f"A plan of correction is overdue (due {plan.due_on:%d %b %Y})",
                "Answer it now.",
            )
            yield Reminder(
                ReminderKind.MCO_PLAN_OVERDUE,
                Audience.MCO,
                plan.provider_id,
                f"mco:{ref}:overdue",
                f"Plan of correction of {plan.provider_id} is overdue (due {plan.due_on:%d %b %Y})",
                "The provider has not answered the plan by its due date.",
            )


def due_reminders(
    periods: Sequence[ProviderPeriod],
    plans: Sequence[PlanFact],
    returned: Sequence[ReturnedReport],
    *,
    today: date,
    rules: ReminderRules | None = None,
) -> list[Reminder]:
    """Every reminder the facts call for on ``today`` (each with its once-only key)."""
    lead = (rules or reminder_rules()).lead_days
    out = list(_period_reminders(periods, today, lead))
    out += _plan_reminders(plans, today, lead)
    out += [
        Reminder(
            ReminderKind.REPORT_RETURNED,
            Audience.PROVIDER,
            r.provider_id,
            f"report:{r.report_id}:v{r.version}:returned",
            f"Report {r.report_id} was returned by the MCO",
            "Read the MCO's comment, correct the report and submit it again.",
        )
        for r in returned
    ]
    return out
