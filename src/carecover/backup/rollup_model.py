"""What a roll-up is: its kinds, tables, headline figures and their labels.

Plain frozen records (``carecover.backup.rollup`` builds them; exports and
pages read them). Import them from ``carecover.backup.rollup``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from carecover.backup.periods import month_bounds, quarter_bounds
from carecover.backup.report import ReportStatus

__all__ = [
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

#: Statuses whose reports enter a roll-up (returned reports are not final).
COUNTED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})


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
        tables=("by_provider", "by_reason", "by_service", "by_period", "repeated_members"),
    ),
    RollupKind.QUARTERLY_HRC: KindSpec(
        "Quarterly Human Rights Committee report",
        quarterly=True,
        tables=("by_provider", "by_reason", "by_service", "by_month", "repeated_members"),
    ),
    # The State report is aggregated: no member table, no member identifiers.
    RollupKind.QUARTERLY_STATE: KindSpec(
        "Quarterly report to the State (Division)",
        quarterly=True,
        tables=("by_provider", "by_reason", "by_service", "by_month"),
    ),
}


@dataclass(frozen=True)
class Table:
    """A titled table of plain cells, ready for any export format."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


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
    "late_submissions": "Late provider-periods",
    "missing_submissions": "Missing provider-periods",
}
