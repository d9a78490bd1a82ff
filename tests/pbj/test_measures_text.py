"""DuckDB prints the measures with the bytes Python's ``str(round(v, places))`` prints."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.pbj.measures_text import finish, text_query

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
