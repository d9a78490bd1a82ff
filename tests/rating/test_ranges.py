"""Provider-file numbers outside their range are refused, never rated (issue 12 §1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.rating.providerfile import read_provider_info
from carecover.rating.ranges import ranges
from carecover.rating.recompute import rated_fields, recompute
from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]
FIXTURE = REPO / "tests" / "fixtures" / "rating" / "NH_ProviderInfo_Sep2025_real1_subset.csv"
TOTAL = "Adjusted Total Nurse Staffing Hours per Resident per Day"


def changed(tmp_path: Path, column: str, value: str | None, *, rename: str | None = None) -> Path:
    """The one-facility fixture with ``column`` set to ``value`` (or its header renamed)."""
    rows = list(csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8-sig"))))
    at = rows[0].index(column)
    if rename is not None:
        rows[0][at] = rename
    if value is not None:
        rows[1][at] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "provider.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["inf", "1e308", "-5", "24.5", "1" * 400, "-inf"])
def test_an_impossible_adjusted_hprd_is_refused_naming_file_line_and_column(
    tmp_path: Path, value: str
) -> None:
    path = changed(tmp_path, TOTAL, value)
    with pytest.raises(InputError, match=rf"provider.csv:2: {TOTAL}: .* is out of range") as e:
        recompute(path)
    assert "0 to 24 hours per resident per day" in str(e.value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Total nursing staff turnover", "-50"),
        ("Registered Nurse turnover", "150"),
        ("Number of administrators who have left the nursing home", "1.5"),
        ("Number of administrators who have left the nursing home", "-1"),
        ("Staffing Rating", "6"),
        ("Overall Rating", "0"),
        ("Reported RN Staffing Hours per Resident per Day", "nan" + "x"),
    ],
)
def test_every_numeric_column_is_checked(tmp_path: Path, column: str, value: str) -> None:
    with pytest.raises(InputError, match=rf"provider.csv:2: {column}: "):
        read_provider_info(changed(tmp_path, column, value))


def test_an_empty_cell_is_still_a_missing_value(tmp_path: Path) -> None:
    pf = read_provider_info(changed(tmp_path, "Total nursing staff turnover", ""))
    assert pf.number("total_turnover")[0] != pf.number("total_turnover")[0]  # NaN


def test_the_bounds_themselves_are_accepted(tmp_path: Path) -> None:
    assert read_provider_info(changed(tmp_path, TOTAL, "24")).number("adjusted_total")[0] == 24


def test_a_renamed_required_column_is_an_error_naming_it(tmp_path: Path) -> None:
    path = changed(tmp_path, TOTAL, None, rename="Adj. Total Nurse Staffing (HPRD)")
    with pytest.raises(InputError, match=r"provider.csv:1: no column 'adjusted total nurse"):
        recompute(path)


def test_a_renamed_turnover_column_is_an_error_for_the_six_measure_method(tmp_path: Path) -> None:
    path = changed(tmp_path, "Registered Nurse turnover", None, rename="RN turnover (%)")
    with pytest.raises(InputError, match=r"no column 'registered nurse turnover' \(the 2024-07"):
        recompute(path, "2024-07")
    # The two-measure methods do not rate with turnover: the file is fine for them.
    assert recompute(path, "2019-04").rows()[0]["staffing_rating"] is not None


def test_each_method_rates_with_fields_that_have_ranges() -> None:
    for name in ("2018-04", "2019-04", "2022-07", "2024-07"):
        from carecover.rating.methods import method

        assert set(rated_fields(method(name))) <= set(ranges())


@pytest.mark.parametrize(("column", "value"), [(TOTAL, "inf"), (TOTAL, "-5")])
def test_rating_stars_prints_one_error_line(
    cli: Cli, tmp_path: Path, column: str, value: str
) -> None:
    path = changed(tmp_path, column, value)
    result = cli("rating", "stars", "--provider-info", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}:2: {column}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_rating_stars_names_a_renamed_column(cli: Cli, tmp_path: Path) -> None:
    path = changed(tmp_path, TOTAL, None, rename="Adjusted Total Nurse Staffing (renamed)")
    result = cli("rating", "stars", "--provider-info", path)
    assert result.exit_code == 1
    assert "no column 'adjusted total nurse staffing hours per resident per day'" in result.stderr


def test_a_400_digit_footnote_code_is_an_unknown_code_not_an_overflow(tmp_path: Path) -> None:
    # Found by tests/test_fuzz_inputs.py (OverflowError: float infinity to integer).
    path = changed(tmp_path, "Registered Nurse turnover footnote", "1" * 400)
    assert recompute(path).rows()[0]["provnum"]
