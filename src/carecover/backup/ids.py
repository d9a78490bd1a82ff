"""Report ids: ``BUS-<year>-<6 digits>``, unique and never reused.

Alpha+ assigns each backup staffing report a unique BUS id when it is
created (Partners' guidance, seed 000). An id, once issued, is never handed
out again, even if its draft is thrown away: MCO staff quote ids in e-mails
and a reused id would point at the wrong incident. Numbers come from a
ledger (``IdLedger``); ``DuckDBIdLedger`` keeps it in a DuckDB file so ids
survive restarts, and the future portal can implement the same Protocol on
its own database.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

import duckdb

from carecover.errors import InputError, RuleError

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "MAX_NUMBER",
    "REPORT_ID_PATTERN",
    "DuckDBIdLedger",
    "IdLedger",
    "ReportIdIssuer",
    "format_report_id",
    "parse_report_id",
]

#: ``BUS-2026-000123``: the year the id was issued, then six digits.
REPORT_ID_PATTERN = re.compile(r"BUS-(\d{4})-(\d{6})")
#: Six digits allow this many reports per year.
MAX_NUMBER = 999_999


def format_report_id(year: int, number: int) -> str:
    """``BUS-<year>-<number as 6 digits>``."""
    if not 1000 <= year <= 9999:
        raise InputError(f"the year {year} is not a four-digit year", field="report_id")
    if not 1 <= number <= MAX_NUMBER:
        raise InputError(
            f"the number {number} is not between 1 and {MAX_NUMBER}", field="report_id"
        )
    return f"BUS-{year}-{number:06d}"


def parse_report_id(text: str) -> tuple[int, int]:
    """(year, number) of a report id; InputError on field ``report_id`` if malformed."""
    match = REPORT_ID_PATTERN.fullmatch(text.strip())
    if match is None or int(match.group(2)) == 0:
        raise InputError(f"{text!r} is not a report id like BUS-2026-000123", field="report_id")
    return int(match.group(1)), int(match.group(2))


class IdLedger(Protocol):
    """Where the last issued number of each year is kept."""

    def reserve(self, year: int) -> int:
        """Reserve and return the next unused number for ``year`` (1, 2, 3, ...)."""
        ...


class ReportIdIssuer:
    """Issues report ids from a ledger; an id is never issued twice."""

    def __init__(self, ledger: IdLedger) -> None:
        self._ledger = ledger

    def issue(self, on: date) -> str:
        """A new report id for a report created on ``on`` (its year goes in the id)."""
        number = self._ledger.reserve(on.year)
        if number > MAX_NUMBER:
            raise RuleError(f"all {MAX_NUMBER} report ids of {on.year} have been issued")
        return format_report_id(on.year, number)


class DuckDBIdLedger:
    """An ``IdLedger`` in a DuckDB file: a table of (year, last_number).

    Each reservation is one transaction; DuckDB lets one process hold the file
    for writing, so two issuers cannot hand out the same number.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._con: DuckDBPyConnection = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise InputError(f"cannot open the report id ledger: {exc}", file=str(path)) from exc
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS report_id_ledger ("
            " year INTEGER PRIMARY KEY, last_number INTEGER NOT NULL)"
        )

    def reserve(self, year: int) -> int:
        """Reserve the next number for ``year`` in one transaction."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            row = self._con.execute(
                "INSERT INTO report_id_ledger VALUES (?, 1) ON CONFLICT (year)"
                " DO UPDATE SET last_number = report_id_ledger.last_number + 1"
                " RETURNING last_number",
                [year],
            ).fetchone()
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        return int(row[0])

    def close(self) -> None:
        """Release the file."""
        self._con.close()

    def __enter__(self) -> DuckDBIdLedger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
