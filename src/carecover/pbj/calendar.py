"""PBJ quarters: calendar quarters, federal fiscal quarters and the deadline.

A ``Quarter`` is a calendar quarter (``2024Q2`` = April–June 2024), the way
CMS's public files label rows (``CY_Qtr``). PBJ submissions label the same
quarter in federal fiscal terms (cms-staffing-methodology.md §1.3, §1.5):
``reportQuarter`` 1 = Oct–Dec, 2 = Jan–Mar, 3 = Apr–Jun, 4 = Jul–Sep, and
the fiscal year is the calendar year in which the fiscal year *ends* — so
October–December 2024 is FY2025 report quarter 1.

Deadline: a submission is timely if it arrives by the end of the 45th
calendar day after the last day of the quarter (11:59 PM Eastern) [P] S8,
§1.5. The 45 days are counted *after* the quarter's last day, so the
deadline date is ``end + 45 days`` and that date itself is still on time
(Dec 31 → Feb 14, Mar 31 → May 15, Jun 30 → Aug 14, Sep 30 → Nov 14).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from carecover.errors import InputError

__all__ = ["DEADLINE_DAYS", "QUARTER_SPELLING", "Quarter"]

DEADLINE_DAYS = 45  # CMS PBJ page (S8): "45th calendar day after the last day of the quarter"

_BLANKS = r"[ \t\n\r\x0b\x0c]*"  # ASCII whitespace: the same class in Python, RE2 and Java
#: How a quarter may be written (``2024Q2``, ``CY2024Q2``, ``2024-q2``, ``CY_2024 Q2``...):
#: group 1 the year, group 2 the quarter. One pattern for ``Quarter.parse`` and the
#: Employee Detail rules' Ibis expression (``employee_rules``), so both accept the same
#: spellings; ASCII digits and whitespace only.
QUARTER_SPELLING = (
    rf"(?i)^{_BLANKS}(?:CY{_BLANKS}_?{_BLANKS})?([0-9]{{4}}){_BLANKS}[-_ ]?{_BLANKS}"
    rf"Q([1-4]){_BLANKS}$"
)
_PATTERN = re.compile(QUARTER_SPELLING)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: ``year`` and ``quarter`` 1–4 (1 = Jan–Mar)."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise InputError(f"quarter must be 1-4, got {self.quarter}")
        if not 1 <= self.year <= 9999:
            raise InputError(f"year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2024Q2`` (also ``CY2024Q2``, ``2024-Q2``, ``2024q2``)."""
        match = _PATTERN.match(text)
        if match is None:
            raise InputError(f"not a quarter: {text!r} (expected e.g. 2024Q2)", field="quarter")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The calendar quarter that contains ``day``."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_fiscal(cls, fiscal_year: int, report_quarter: int) -> Quarter:
        """The quarter a PBJ header's ``federalFiscalYear``/``reportQuarter`` names."""
        if not 1 <= report_quarter <= 4:
            raise InputError(f"reportQuarter must be 1-4, got {report_quarter}")
        # reportQuarter 1 is Oct–Dec of the *previous* calendar year.
        if report_quarter == 1:
            return cls(fiscal_year - 1, 4)
        return cls(fiscal_year, report_quarter - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """The quarter as ``2024Q2``."""
        return str(self)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        month = 3 * self.quarter
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def days(self) -> int:
        """Number of calendar days in the quarter (90, 91 or 92)."""
        return (self.end - self.start).days + 1

    @property
    def fiscal_year(self) -> int:
        """Federal fiscal year: the calendar year in which the fiscal year ends."""
        return self.year + 1 if self.quarter == 4 else self.year

    @property
    def report_quarter(self) -> int:
        """PBJ ``reportQuarter``: 1 = Oct–Dec, 2 = Jan–Mar, 3 = Apr–Jun, 4 = Jul–Sep."""
        return self.quarter % 4 + 1

    @property
    def deadline(self) -> date:
        """Last day a submission is timely: the 45th day after the quarter ends."""
        return self.end + timedelta(days=DEADLINE_DAYS)

    def countdown(self, today: date) -> int:
        """Days left until the deadline: 0 on the deadline day, negative after it."""
        return (self.deadline - today).days

    @classmethod
    def next_due(cls, today: date) -> Quarter:
        """The quarter whose submission is due next: the last one while its window is open."""
        last = cls.containing(today).previous()
        return last if last.deadline >= today else cls.containing(today)

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the quarter."""
        return self.start <= day <= self.end

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> Quarter:
        """The preceding quarter."""
        if self.quarter == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.quarter - 1)
