from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.ids import (
    DuckDBIdLedger,
    ReportIdIssuer,
    format_report_id,
    parse_report_id,
)
from carecover.errors import InputError, RuleError


class CountingLedger:
    """A ledger in memory, standing in for the portal's database."""

    def __init__(self, start: int = 0) -> None:
        self.last: dict[int, int] = {}
        self.start = start

    def reserve(self, year: int) -> int:
        self.last[year] = self.last.get(year, self.start) + 1
        return self.last[year]


def test_it_formats_an_id_with_six_digits() -> None:
    assert format_report_id(2026, 42) == "BUS-2026-000042"


@given(st.integers(1000, 9999), st.integers(1, 999_999))
def test_it_parses_what_it_formats(year: int, number: int) -> None:
    assert parse_report_id(format_report_id(year, number)) == (year, number)


@pytest.mark.parametrize(
    "bad", ["BUS-2026-42", "bus-2026-000042", "BUS-26-000042", "BUS-2026-000000", "", "X"]
)
def test_it_refuses_a_malformed_id_naming_the_field(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_report_id(bad)
    assert caught.value.field == "report_id"


def test_it_issues_a_thousand_unique_increasing_ids(tmp_path: Path) -> None:
    with DuckDBIdLedger(tmp_path / "ids.duckdb") as ledger:
        issuer = ReportIdIssuer(ledger)
        ids = [issuer.issue(date(2026, 3, 1)) for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert ids == sorted(ids)
    assert ids[0] == "BUS-2026-000001"
    assert ids[-1] == "BUS-2026-001000"


def test_it_continues_after_the_ledger_file_is_reopened(tmp_path: Path) -> None:
    path = tmp_path / "ids.duckdb"
    with DuckDBIdLedger(path) as ledger:
        first = [ReportIdIssuer(ledger).issue(date(2026, 1, 5)) for _ in range(3)]
    with DuckDBIdLedger(path) as ledger:
        again = ReportIdIssuer(ledger).issue(date(2026, 1, 5))
    assert first[-1] == "BUS-2026-000003"
    assert again == "BUS-2026-000004"


def test_it_starts_each_year_at_one(tmp_path: Path) -> None:
    with DuckDBIdLedger(tmp_path / "ids.duckdb") as ledger:
        issuer = ReportIdIssuer(ledger)
        old = [issuer.issue(date(2026, 12, 31)) for _ in range(2)]
        new = issuer.issue(date(2027, 1, 1))
        old_again = issuer.issue(date(2026, 12, 31))
    assert old == ["BUS-2026-000001", "BUS-2026-000002"]
    assert new == "BUS-2027-000001"
    assert old_again == "BUS-2026-000003"


def test_it_works_over_any_ledger_that_reserves_numbers() -> None:
    issuer = ReportIdIssuer(CountingLedger())
    assert issuer.issue(date(2026, 5, 1)) == "BUS-2026-000001"


def test_it_refuses_to_issue_past_the_last_six_digit_number() -> None:
    issuer = ReportIdIssuer(CountingLedger(start=999_999))
    with pytest.raises(RuleError, match="2026"):
        issuer.issue(date(2026, 5, 1))


def test_it_names_a_ledger_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "ids.duckdb"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(InputError, match="report id ledger") as caught:
        DuckDBIdLedger(path)
    assert caught.value.file == str(path)
