"""What a roll-up is: its kinds, tables, headline figures and their labels.

Plain frozen records (``carecover.backup.rollup`` builds them; exports and
pages read them). Import them from ``carecover.backup.rollup``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from carecover.backup.compliance import FILED_STATUSES
from carecover.backup.periods import month_bounds, quarter_bounds

__all__ = [
    "COLUMN_LABELS",
    "COUNTED_STATUSES",
    "KINDS",
    "LABELS",
    "Cell",
    "Figure",
    "KindSpec",
    "Rollup",
    "RollupKind",
    "Table",
]

Cell = str | int | float | date | None

#: Statuses whose reports enter a roll-up: every filed report, as compliance
#: counts them. A returned report is an incident reported on time whose
#: details the MCO asked to correct; leaving it out would show a provider as
#: "reported" in compliance with no report in the roll-up, and make a provider
#: whose reports are returned look better than one whose reports are accepted.
COUNTED_STATUSES = FILED_STATUSES


class RollupKind(StrEnum):
    """The three audiences."""

    MONTHLY = "monthly"
    QUARTERLY_HRC = "quarterly-hrc"
    QUARTERLY_STATE = "quarterly-state"


@dataclass(frozen=True)
class KindSpec:
    """What one kind of roll-up shows."""

    title: str
    quarterly: bool
    tables: tuple[str, ...]

    def bounds(self, day: date) -> tuple[date, date]:
        """First and last day of the month or quarter containing ``day``."""
        return quarter_bounds(day) if self.quarterly else month_bounds(day)


KINDS: dict[RollupKind, KindSpec] = {
    RollupKind.MONTHLY: KindSpec(
        "Monthly Quality of Care Committee snapshot",
        quarterly=False,
        tables=(
            "by_provider",
            "by_reason",
            "by_service",
            "by_period",
            "repeated_members",
            "details",
        ),
    ),
    # Rights and safety: who keeps going without staff, whose legally responsible
    # person keeps declining, and how each such member's month-by-month count runs.
    RollupKind.QUARTERLY_HRC: KindSpec(
        "Quarterly Human Rights Committee report",
        quarterly=True,
        tables=(
            "harm",
            "repeated_members",
            "member_trend",
            "repeated_declines",
            "by_reason",
            "by_month",
            "by_provider",
            "by_service",
        ),
    ),
    # The State report is aggregated and de-identified: no member table, no member
    # identifiers, small cells suppressed, Employers of Record never named.
    RollupKind.QUARTERLY_STATE: KindSpec(
        "Quarterly report to the State (Division)",
        quarterly=True,
        tables=("by_provider", "timeliness", "by_reason", "by_service", "by_month"),
    ),
}


@dataclass(frozen=True)
class Table:
    """A titled table of plain cells, ready for any export format.

    ``columns`` are stable codes (JSON keys, tests); ``headers`` the words a
    person reads (pages, CSV, XLSX).
    """

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """Each column's label (``COLUMN_LABELS`` or a figure's label; else the code)."""
        return tuple(COLUMN_LABELS.get(c, LABELS.get(c, c)) for c in self.columns)


@dataclass(frozen=True)
class Figure:
    """One headline number with its previous-period value."""

    name: str
    label: str
    value: int | float | None
    previous: int | float | None

    @property
    def change(self) -> int | float | None:
        """Current minus previous, or None when either is unknown."""
        if self.value is None or self.previous is None:
            return None
        diff = self.value - self.previous
        return round(diff, 2) if isinstance(diff, float) else diff


@dataclass(frozen=True)
class Rollup:
    """A finished roll-up: headline figures and tables for one period."""

    kind: RollupKind
    title: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]

    def figure(self, name: str) -> Figure:
        """The headline figure called ``name``."""
        return next(f for f in self.figures if f.name == name)

    def table(self, name: str) -> Table:
        """The table called ``name`` (KeyError if this kind does not include it)."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


#: Headline figures in the order shown, with their labels.
LABELS = {
    "reports": "Reports",
    "members_affected": "Members affected (unduplicated)",
    "members_with_repeated_failures": "Members with 2+ reports",
    "highest_reports_one_member": "Highest number of reports for one member",
    "hours_without_staff_total": "Hours without staff (total)",
    "hours_without_staff_median": "Hours without staff (median per report)",
    "not_available": "Backup not available",
    "offered_declined": "Backup offered but declined",
    "late_reports": "Reports filed after the due date",
    "discovered_late": "Incidents the provider learned of after the day",
    "returned": "Reports returned for correction (counted)",
    "harm": "Incidents with harm or escalation",
    "on_time_pct": "Reports filed on time (%)",
    "late_submissions": "Late provider-periods",
    "missing_submissions": "Missing provider-periods",
}

#: Column headers in words. A code column keeps its code header's meaning with
#: "(code)" so a spreadsheet shows both the label and the code it stands for.
COLUMN_LABELS = {
    "figure": "Figure (code)",
    "label": "Figure",
    "value": "Value",
    "previous": "Previous period",
    "change": "Change",
    "period": "Period",
    "provider_id": "Provider / EOR number",
    "provider_name": "Provider / EOR",
    "reporter_kind": "Reporter kind (code)",
    "reporter_kind_label": "Reporter kind",
    "reports": "Reports",
    "not_available": "Backup not available",
    "offered_declined": "Backup offered but declined",
    "hours_without_staff": "Hours without staff",
    "members_affected": "Members affected",
    "late_reports": "Reports filed late",
    "late_periods": "Late periods",
    "missing_periods": "Missing periods",
    "periods_due": "Periods due",
    "periods_on_time": "Periods reported or attested on time",
    "attested_none_periods": "Periods attested with no incidents",
    "compliance_rate_pct": "Compliance rate (%)",
    "backup_status": "Backup status (code)",
    "backup_status_label": "Backup status",
    "reason": "Reason (code)",
    "reason_label": "Reason",
    "share_pct": "Share of reports (%)",
    "service_code": "Service code",
    "service_name": "Service",
    "medicaid_id": "Medicaid id",
    "providers": "Providers",
    "first_incident": "First incident",
    "last_incident": "Last incident",
    "declines": "Declines by the legally responsible person",
    "report_id": "Report id",
    "incident_date": "Incident date",
    "status": "Status (code)",
    "status_label": "Status",
    "learned_on": "Provider learned of it on",
    "period_start": "Period start",
    "period_end": "Period end",
    "due": "Due",
    "attested": "Attested",
    "first_submitted_at": "First filed at",
    "days_late": "Days late",
    "on_time_reports": "Reports filed on time",
    "standard_pct": "Standard (%)",
    "meets_standard": "Meets the standard",
}
