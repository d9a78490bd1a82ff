"""Days missing, blank or without nurse staffing: measures and warnings (issue 15 §2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.pbj.measures.compiled import quarterly_rows, quarterly_text
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.timeclock.missing_days import day_warnings, printed_warnings, summarised
from tests.conftest import REPO, CliResult

PLAIN = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"
Cli = Callable[..., CliResult]


def _edited(tmp_path: Path, *, blank_rn: bool = False, no_nurse: bool = False) -> Path:
    """The 7-day plain fixture; its first day with blank RN cells or with no nurse hours."""
    lines = PLAIN.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    if blank_rn:
        cells[9:18] = [""] * 9
    if no_nurse:
        cells[9:] = ["0"] * len(cells[9:])
    lines[1] = ",".join(cells)
    out = tmp_path / "edited.csv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_days_absent_from_the_file_are_counted_missing(tmp_path: Path) -> None:
    [row] = quarterly_rows([PLAIN])
    assert (row["days_reported"], row["days_missing"], row["days_blank"]) == (7, 84, 0)
    assert row["days_without_nurse_staffing"] == 0


def test_a_blank_rn_cell_adds_no_hours_but_keeps_its_census(tmp_path: Path) -> None:
    [row] = quarterly_rows([_edited(tmp_path, blank_rn=True)])
    [whole] = quarterly_rows([PLAIN])
    assert row["days_blank"] == 1
    assert row["resident_days"] == whole["resident_days"]
    assert row["rn_hours"] == whole["rn_hours"] - 24


def test_a_day_with_residents_and_no_nurse_hours_excludes_the_facility(tmp_path: Path) -> None:
    path = _edited(tmp_path, no_nurse=True)
    [row] = quarterly_rows([path])
    assert (row["days_without_nurse_staffing"], row["excluded"]) == (1, True)
    # The Ibis form (other backends) counts the same.
    [ibis_row] = to_rows(quarterly_measures([path]))
    assert ibis_row["days_without_nurse_staffing"] == 1
    assert ibis_row["excluded"] is True


@pytest.mark.parametrize(("quarter", "days"), [("2024Q1", 91), ("2023Q1", 90), ("2024Q4", 92)])
def test_days_missing_count_the_calendar_days_of_the_quarter(
    tmp_path: Path, quarter: str, days: int
) -> None:
    first = {"2024Q1": "20240105", "2023Q1": "20230105", "2024Q4": "20241105"}[quarter]
    lines = PLAIN.read_text(encoding="utf-8").splitlines()[:2]
    lines[1] = lines[1].replace("2024Q2", quarter).replace("20240401", first)
    path = tmp_path / "one.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [row] = quarterly_rows([path])
    assert row["days_missing"] == days - 1


def test_the_printed_table_and_csv_give_the_same_warnings_as_the_rows(tmp_path: Path) -> None:
    path = _edited(tmp_path, blank_rn=True)
    [row] = quarterly_rows([path])
    expected = day_warnings(row)
    assert len(expected) == 2
    for layout in ("table", "csv"):
        text = quarterly_text([path], layout=layout)
        assert printed_warnings(text, layout) == expected


@given(st.lists(st.tuples(*[st.sampled_from(["0", "1", "12", ""])] * 3), max_size=12))
def test_csv_warnings_are_those_of_every_row_in_order(counts: list[tuple[str, ...]]) -> None:
    # Rows counting no day are skipped unread: the rest must come out in order.
    names = ["provnum", "quarter", "days_reported", "days_missing", "days_blank"]
    names.append("days_without_nurse_staffing")
    lines = [",".join(names)]
    rows = []
    for n, (missing, blank, no_nurse) in enumerate(counts):
        row = [f"{n:06d}", "2024Q2", "90", missing, blank, no_nurse]
        lines.append(",".join(row))
        rows.append(dict(zip(names, row, strict=True)))
    expected = [w for row in rows for w in day_warnings(row)]
    assert printed_warnings("\n".join(lines) + "\n", "csv") == expected


def test_many_warnings_are_summarised() -> None:
    lines = summarised([f"w{i}" for i in range(25)])
    assert lines[:10] == [f"w{i}" for i in range(10)]
    assert lines[10] == "... and 15 more warning(s) of missing days"


def test_pbj_measures_warns_of_missing_days_on_stderr(cli: Cli) -> None:
    for fmt in ("table", "csv", "json"):
        result = cli("pbj", "measures", PLAIN, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "warning: 015001 2024Q2: 84 day(s) of the quarter missing" in result.stderr
