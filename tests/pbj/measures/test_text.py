"""DuckDB prints the measures with the bytes Python's ``str(round(v, places))`` prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.pbj.measures.text import (
    aligned_table,
    csv_query,
    finish,
    finish_csv,
    finish_table,
    table_query,
    text_query,
)

_FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64)


def _printed(values: list[float | None], column: str) -> list[str]:
    con = duckdb.connect()
    try:
        sql = (
            f"SELECT printf('%06d', i) AS provnum, '2024Q2' AS quarter, v AS \"{column}\" FROM "
            "(SELECT unnest(range(len($1::DOUBLE[]))) AS i, unnest($1::DOUBLE[]) AS v)"
        )
        printed = text_query(con, sql, [values], ("provnum", "quarter"))
        assert printed is not None
        names, rows = finish(*_fetch(con, printed, [values]))
    finally:
        con.close()
    return [row[names.index(column)] for row in rows]


def _one_row(
    query: Callable[[str, list[tuple[str, str]], tuple[str, ...], str], str],
    values: list[float | None],
    column: str,
    where: str,
) -> tuple[Any, ...]:
    """The row of ``query`` (``csv_query`` or ``table_query``) over the values in ``column``.

    The rows also carry ``n`` (their index) and a flag ``_known`` (value not NULL).
    """
    con = duckdb.connect()
    try:
        sql = (
            f"SELECT printf('%06d', i) AS provnum, '2024Q2' AS quarter, i AS n, "
            f'v AS "{column}", v IS NOT NULL AS _known FROM '
            "(SELECT unnest(range(len($1::DOUBLE[]))) AS i, unnest($1::DOUBLE[]) AS v)"
        )
        names = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {sql}", [values]).fetchall()]
        ((*row,),) = con.execute(
            query(sql, names, ("provnum", "quarter"), where), [values]
        ).fetchall()
    finally:
        con.close()
    return tuple(row)


def _printed_csv(values: list[float | None], column: str, where: str = "true") -> list[str]:
    """The cells of ``column`` in the CSV text of ``csv_query`` and ``finish_csv``."""
    header, lines, unsafe, known = _one_row(csv_query, values, column, where)
    assert header == f"provnum,quarter,n,{column}"
    assert not unsafe
    assert known == all(v is not None for v in values)
    text = finish_csv(lines)
    return [line.split(",")[3] for line in text.splitlines()]


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> tuple:  # type: ignore[type-arg]
    result = con.execute(sql, params)
    return [d[0] for d in result.description], result.fetchall()


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_FLOATS | st.none(), min_size=1, max_size=40),
    column=st.sampled_from(["rn_hprd", "contract_share", "rn_hours", "avg_census"]),
)
def test_it_prints_what_str_of_round_prints(values: list[float | None], column: str) -> None:
    places = {"rn_hprd": 5, "contract_share": 4, "rn_hours": 2, "avg_census": 2}[column]
    expected = ["" if v is None else str(round(v, places)) for v in values]
    assert _printed(values, column) == expected


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(0, 10**8), tenths=st.integers(0, 10**7))
def test_it_agrees_beside_a_rounding_tie(whole: int, tenths: int) -> None:
    # Decimals like 2.675 sit just beside a tie in binary: the classic trap.
    value = whole + tenths / 10**7
    assert _printed([value], "total_hprd") == [str(round(value, 5))]


def test_tiny_zero_and_negative_zero_values_print_as_python_prints_them() -> None:
    values = [4e-05, 0.0, -0.0, 5e-06, 0.00015, 2.5e9, 1.0, 10.1]
    assert _printed(values, "rn_hprd") == [str(round(v, 5)) for v in values]
    assert _printed(values, "contract_share") == [str(round(v, 4)) for v in values]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_FLOATS | st.none(), min_size=1, max_size=40),
    column=st.sampled_from(["rn_hprd", "contract_share", "rn_hours", "avg_census"]),
)
def test_the_csv_lines_print_what_str_of_round_prints(
    values: list[float | None], column: str
) -> None:
    places = {"rn_hprd": 5, "contract_share": 4, "rn_hours": 2, "avg_census": 2}[column]
    expected = ["" if v is None else str(round(v, places)) for v in values]
    assert _printed_csv(values, column) == expected


def test_the_csv_lines_print_tiny_zero_and_whole_values_as_python_prints_them() -> None:
    values = [4e-05, 0.0, -0.0, 5e-06, 0.00015, 2.5e9, 1.0, 10.1, 100.0, -3.0]
    assert _printed_csv(values, "rn_hprd") == [str(round(v, 5)) for v in values]
    assert _printed_csv(values, "contract_share") == [str(round(v, 4)) for v in values]


def test_the_csv_lines_keep_only_matching_rows_in_order() -> None:
    assert _printed_csv([1.5, 2.5, 3.5], "rn_hours", where="n <> 1") == ["1.5", "3.5"]
    assert finish_csv(None) == ""


def test_text_that_csv_would_quote_is_flagged_not_printed() -> None:
    con = duckdb.connect()
    for text in ["A,B", 'A"B', "A.", "A~B"]:
        sql = "SELECT ? AS provnum, '2024Q2' AS quarter"
        query = csv_query(
            sql, [("provnum", "VARCHAR"), ("quarter", "VARCHAR")], ("provnum",), "true"
        )
        ((_, _, unsafe),) = con.execute(query, [text]).fetchall()
        assert unsafe, text


def _table(values: list[float | None], column: str) -> tuple[bool, str]:
    """(unsafe, text) of ``table_query`` and ``finish_table`` over the values."""
    printed, widths, lines, unsafe, _ = _one_row(table_query, values, column, "true")
    return unsafe, finish_table(printed, widths, lines)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_FLOATS | st.none(), min_size=1, max_size=30),
    column=st.sampled_from(["rn_hprd", "contract_share", "rn_hours"]),
)
def test_the_table_lines_are_the_python_layout_of_python_s_text(
    values: list[float | None], column: str
) -> None:
    places = {"rn_hprd": 5, "contract_share": 4, "rn_hours": 2}[column]
    cells = [
        (f"{i:06d}", "2024Q2", str(i), "" if v is None else str(round(v, places)))
        for i, v in enumerate(values)
    ]
    expected = aligned_table(["provnum", "quarter", "n", column], cells, empty="(none)")
    unsafe, text = _table(values, column)
    # Only a value of 1e9 or more is left to Python (the caller lays it out).
    assert unsafe == any(v is not None and abs(v) >= 1e9 for v in values)
    if not unsafe:
        assert text == expected


def test_a_table_without_rows_says_so_under_its_header() -> None:
    text = finish_table(["provnum", "rn_hprd"], [7, 7], None)
    assert text == "provnum  rn_hprd\n-------  -------\n(no facility-days match)\n"


@settings(max_examples=200, deadline=None)
@given(
    whole=st.integers(0, 10**8),
    fraction=st.integers(0, 10**6),
    column=st.sampled_from(["rn_hprd", "contract_share", "rn_hours"]),
)
def test_the_csv_lines_agree_beside_a_rounding_tie(whole: int, fraction: int, column: str) -> None:
    # Halfway values at each column's places (2.675 and the like) sit just
    # beside a tie in binary: the cast to DECIMAL would round some wrongly.
    places = {"rn_hprd": 5, "contract_share": 4, "rn_hours": 2}[column]
    values = [
        whole + fraction / 10**6,
        whole + (2 * fraction + 1) / 2 / 10**places,
        (2 * fraction + 1) / 2 / 10**places,
    ]
    assert _printed_csv(values, column) == [str(round(v, places)) for v in values]
