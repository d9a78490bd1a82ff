"""Bad numbers in a public file are refused on every path, never computed (issue 12 §1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.columns import FileKind
from carecover.pbj.measures.compiled import quarterly_rows, quarterly_text
from carecover.pbj.measures.coverage import rn_coverage
from carecover.pbj.publicfile.loading import load_file
from carecover.pbj.publicfile.plausible import value_bounds
from carecover.pbj.publicfile.scan import scan_view, view_problems
from carecover.pbj.store import connect
from tests.conftest import REPO, CliResult

FIXTURES = REPO / "tests" / "fixtures" / "pbj"
PLAIN = FIXTURES / "nurse_2024Q2_plain.csv"
Cli = Callable[..., CliResult]
# Every line of the plain file: census 40, Hrs_RN 24, Hrs_LPN 30, Hrs_CNA 100.
HEADER = PLAIN.read_text().splitlines()[0].split(",")
NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e308", "1" * 400]


def with_value(tmp_path: Path, column: str, value: str, *, line: int = 3) -> Path:
    """The plain file with ``column`` of ``line`` set to ``value``."""
    lines = PLAIN.read_text().splitlines()
    # The name holds no comma, so a plain split finds the fields.
    fields = lines[line - 1].split(",")
    fields[HEADER.index(column)] = value
    lines[line - 1] = ",".join(fields)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def con() -> Iterator[Any]:
    connection = connect(":memory:")
    yield connection
    connection.close()


def stored(con: Any) -> int:
    return int(con.execute("SELECT count(*) FROM daily_nurse_staffing").fetchall()[0][0])


@pytest.mark.parametrize("value", NOT_FINITE)
@pytest.mark.parametrize("column", ["Hrs_RN", "Hrs_CNA_ctr", "Hrs_LPN_emp"])
def test_a_non_finite_or_absurd_hours_value_stops_the_load_naming_line_and_column(
    con: Any, tmp_path: Path, column: str, value: str
) -> None:
    path = with_value(tmp_path, column, value)
    reason = "negative hours" if value.startswith("-") else "not a finite number|implausible"
    with pytest.raises(InputError, match=rf"bad.csv:3: {column}: ({reason})") as caught:
        load_file(con, path)
    assert "\n" not in str(caught.value)
    assert len(caught.value.reason) < 150  # a 400-digit number is not echoed whole
    assert stored(con) == 0


def test_more_hours_in_a_day_than_the_census_allows_are_refused(con: Any, tmp_path: Path) -> None:
    # 40 residents: at most 24 x 40 + 240 = 1200 hours in one column.
    assert value_bounds().hours_limit(40) == 1200
    path = with_value(tmp_path, "Hrs_CNA", "1200.5")
    with pytest.raises(InputError, match=r"bad.csv:3: Hrs_CNA: implausible hours 1200.5 in one"):
        load_file(con, path)
    assert stored(con) == 0


def test_the_bound_itself_still_loads(con: Any, tmp_path: Path) -> None:
    assert load_file(con, with_value(tmp_path, "Hrs_CNA", "1200")).rows_loaded == 7


def test_a_day_without_residents_may_still_hold_the_margin(con: Any, tmp_path: Path) -> None:
    path = with_value(tmp_path, "MDScensus", "0")
    assert load_file(con, path).rows_loaded == 7


@pytest.mark.parametrize("census", ["3000000000", "2001", "1" * 400, "nan", "inf"])
def test_an_absurd_census_is_one_line_naming_the_column(
    con: Any, tmp_path: Path, census: str
) -> None:
    path = with_value(tmp_path, "MDScensus", census)
    with pytest.raises(InputError, match=r"bad.csv:3: MDScensus: ") as caught:
        load_file(con, path)
    assert "\n" not in str(caught.value)
    assert stored(con) == 0


def test_an_absurd_census_is_quarantined_with_the_rest_loaded(con: Any, tmp_path: Path) -> None:
    result = load_file(con, with_value(tmp_path, "MDScensus", "3000000000"), quarantine=True)
    assert (result.rows_loaded, result.rows_quarantined) == (6, 1)
    [(line, reason)] = con.execute("SELECT line, reason FROM quarantine").fetchall()
    assert line == 3
    assert "implausible census 3000000000" in reason


def test_a_nan_hours_row_is_quarantined_with_the_rest_loaded(con: Any, tmp_path: Path) -> None:
    result = load_file(con, with_value(tmp_path, "Hrs_RN", "nan"), quarantine=True)
    assert (result.rows_loaded, result.rows_quarantined) == (6, 1)
    assert con.execute("SELECT count(*) FROM daily_nurse_staffing WHERE isnan(hrs_rn)").fetchall()[
        0
    ] == (0,)


@pytest.mark.parametrize("value", ["nan", "inf", "1e308", "1" * 400, "5000"])
def test_the_fast_scan_counts_a_bad_number_as_a_problem(
    con: Any, tmp_path: Path, value: str
) -> None:
    scan_view(con, with_value(tmp_path, "Hrs_RN_emp", value), "v", tmp_path)
    assert view_problems(con, "v", FileKind.NURSE) == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Hrs_RN", "nan"),
        ("Hrs_RN_emp", "inf"),
        ("Hrs_CNA_ctr", "1e308"),
        ("Hrs_RN", "1" * 400),
        ("Hrs_LPN_emp", "5000"),
    ],
)
def test_measures_of_a_file_refuse_what_the_loader_refuses(
    tmp_path: Path, column: str, value: str
) -> None:
    path = with_value(tmp_path, column, value)
    for measure in (
        lambda: quarterly_text(path, layout="csv"),
        lambda: quarterly_text(path, layout="table"),
        lambda: quarterly_rows(path),
        lambda: rn_coverage(path),
    ):
        with pytest.raises(InputError, match=rf"bad.csv:3: {column}: "):
            measure()


def test_measures_of_an_absurd_census_are_refused(tmp_path: Path) -> None:
    path = with_value(tmp_path, "MDScensus", "3000000000")
    with pytest.raises(InputError, match=r"bad.csv:3: MDScensus: implausible census"):
        quarterly_text(path)


def test_a_quarter_beyond_cms_exclusions_is_computed_and_marked_excluded(tmp_path: Path) -> None:
    # 1,000 aide hours for 40 residents is 25 aide HPRD: implausible to CMS
    # (aide HPRD > 5.25 excludes the quarter), but a possible day's number.
    lines = PLAIN.read_text().splitlines()
    path = tmp_path / "high.csv"
    high = [line.replace(",100,100,", ",1000,1000,") for line in lines[1:]]
    path.write_text("\n".join([lines[0], *high]))
    [row] = quarterly_rows(path)
    assert row["excluded"] is True
    assert row["aide_hprd"] == pytest.approx(25.0)


@pytest.mark.parametrize(
    "command",
    [
        ["pbj", "load", "--db", "{db}", "{file}"],
        ["pbj", "measures", "{file}"],
        ["pbj", "measures", "{file}", "--format", "json"],
        ["pbj", "coverage", "{file}"],
    ],
)
@pytest.mark.parametrize("value", ["nan", "1" * 400])
def test_every_command_prints_one_error_line_for_a_bad_number(
    cli: Cli, tmp_path: Path, command: list[str], value: str
) -> None:
    path = with_value(tmp_path, "Hrs_RN", value)
    args = [a.format(db=tmp_path / "s.duckdb", file=path) for a in command]
    result = cli(*args)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith(f"error: {path}:3: Hrs_RN: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_unchanged_fixture_measures_cleanly() -> None:
    # Guard for the cases above: only the changed value makes them fail.
    assert quarterly_rows(PLAIN)[0]["days_reported"] == 7


@cache
def _compiled_ibis_rule() -> str:
    """DuckDB SQL the Ibis form of the rule compiles to, over a table ``day(h, c)``."""
    import ibis

    from carecover.pbj.publicfile.plausible import census_too_large, too_many_hours
    from carecover.pbj.store import quiet_ibis

    with quiet_ibis():
        t = ibis.table({"h": "float64", "c": "int64"}, name="day")
        expr = t.select(x=too_many_hours(t.h, t.c), y=census_too_large(t.c))
        return str(ibis.to_sql(expr, dialect="duckdb"))


@settings(max_examples=60, deadline=None)
@given(
    census=st.integers(min_value=0, max_value=2_500),
    hours=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=0, max_value=70_000).map(float),
    ),
)
def test_the_rule_agrees_with_its_bounds(census: int, hours: float) -> None:
    import duckdb

    bounds = value_bounds()
    expected = not (hours <= bounds.hours_limit(census))  # NaN is never within
    compiled = _compiled_ibis_rule()
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TEMP TABLE day AS SELECT ?::DOUBLE AS h, ?::BIGINT AS c", [hours, census]
        )
        ((by_ibis, too_large),) = con.execute(compiled).fetchall()
    finally:
        con.close()
    assert by_ibis is expected
    assert too_large is (census > bounds.max_census)
