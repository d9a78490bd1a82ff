"""The loader rules, one table: every user reads the same predicates (issue 14 §1)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.pbj.columns import FileKind, hour_columns
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.publicfile.loading import load_file
from carecover.pbj.publicfile.rules import (
    Row,
    broken,
    broken_group,
    display_name,
    marked,
    quarter_of,
    rules,
)
from carecover.pbj.publicfile.scan import scan_view, view_problems
from carecover.pbj.store import connect, ibis_table

HOURS = hour_columns(FileKind.NURSE)
SCHEMA = {"provnum": "string", "quarter": "string", "day": "date", "census": "float64"}
SCHEMA |= dict.fromkeys(HOURS, "float64")

hours_values = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 8.0, -0.5, 2_000.0, 1e308]),
)
rows = st.fixed_dictionaries(
    {
        "provnum": st.one_of(
            st.none(), st.sampled_from(["015009", "15009", "15009.0", "1.5E+04", "01500X", "A1"])
        ),
        "quarter": st.one_of(st.none(), st.sampled_from(["2024Q2", "2024Q3", "2023Q2"])),
        "day": st.one_of(st.none(), st.dates(date(2024, 3, 25), date(2024, 7, 5))),
        "census": st.one_of(
            st.none(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, 40.0, 40.5, -1.0, 2_001.0]),
        ),
    }
).flatmap(lambda r: st.fixed_dictionaries(dict.fromkeys(HOURS, hours_values)).map(lambda h: r | h))


def _row(t: Any) -> Row:
    return Row(t.provnum, t.quarter, t.day, t.census, {c: t[c] for c in HOURS})


def _table(con: duckdb.DuckDBPyConnection, batch: list[dict[str, Any]]) -> Any:
    types = {"string": "VARCHAR", "date": "DATE", "float64": "DOUBLE"}
    columns = ", ".join(f"{c} {types[t]}" for c, t in SCHEMA.items())
    con.execute(f"CREATE TABLE r (i INTEGER, {columns})")
    con.executemany(
        f"INSERT INTO r VALUES ({', '.join('?' for _ in range(len(SCHEMA) + 1))})",
        [[i, *(r[c] for c in SCHEMA)] for i, r in enumerate(batch)],
    )
    return ibis_table(con, "r")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=8))
def test_the_quick_check_is_the_rules_predicates_ored(batch: list[dict[str, Any]]) -> None:
    # ``broken`` tests the hours columns with one LEAST and one GREATEST: it
    # must say exactly what the per-column rules say, row by row.
    con = duckdb.connect()
    try:
        t = _table(con, batch)
        row = _row(t)
        each = [
            rule.breaks(row).fill_null(False) for rule in rules(FileKind.NURSE) if not rule.parse
        ]
        one_by_one = each[0]
        for test in each[1:]:
            one_by_one = one_by_one | test
        expr = t.select(t.i, quick=broken(row, FileKind.NURSE), each=one_by_one).order_by("i")
        result = con.execute(str(ibis.to_sql(expr, dialect="duckdb"))).fetchall()
    finally:
        con.close()
    assert [quick for _, quick, _ in result] == [each for _, _, each in result]


# Few CCNs and quarters, so that groups hold several rows, and rows that
# mostly keep the other rules, so that the CCN, quarter and day decide.
grouped_rows = st.fixed_dictionaries(
    {
        "provnum": st.sampled_from(["015009", "015009", "015009", "15009.0", None]),
        "quarter": st.sampled_from(["2024Q2", "2024Q2", "2024Q2", "CY2024Q2", "2024", None]),
        "day": st.one_of(st.none(), st.dates(date(2024, 3, 25), date(2024, 7, 5))),
        "census": st.sampled_from([40.0] * 9 + [40.5]),
        **dict.fromkeys(HOURS, st.sampled_from([8.0, 8.0, None])),
    }
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(grouped_rows, min_size=1, max_size=12))
@example(  # only the last day is outside the quarter
    [
        {"provnum": "015009", "quarter": "2024Q2", "day": day, "census": 40.0}
        | dict.fromkeys(HOURS, 8.0)
        for day in (date(2024, 5, 1), date(2024, 7, 3))
    ]
)
def test_a_facility_quarter_breaks_the_same_rules_tested_per_group(
    batch: list[dict[str, Any]],
) -> None:
    # The measures test the CCN and quarter rules on each facility-quarter's
    # first and last day (``broken_group``) and the rest row by row: a group
    # must be refused exactly when one of its rows breaks a rule.
    con = duckdb.connect()
    try:
        t = _table(con, batch)
        m = t.mutate(
            whole=broken(_row(t), FileKind.NURSE),
            rest=broken(_row(t), FileKind.NURSE, grouped=True),
        )
        g = m.group_by(["provnum", "quarter"]).aggregate(
            whole=m.whole.any(), rest=m.rest.any(), first=m.day.min(), last=m.day.max()
        )

        def keys(day: Any) -> Row:
            return Row(g.provnum, g.quarter, day, ibis.null("float64"), {})

        split = g.rest | broken_group(keys(g.first), keys(g.last), FileKind.NURSE)
        expr = g.select(g.whole, split=split)
        result = con.execute(str(ibis.to_sql(expr, dialect="duckdb"))).fetchall()
    finally:
        con.close()
    assert [whole for whole, _ in result] == [split for _, split in result]


def test_a_good_row_breaks_nothing_and_a_bad_one_gets_every_message() -> None:
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE r AS SELECT i, provnum, quarter, day, census::DOUBLE AS census, "
            "census_text, hrs_rn::DOUBLE AS hrs_rn, hrs_rn_text FROM (VALUES "
            "(1, '015009', '2024Q2', DATE '2024-04-01', 40.0, '40', 8.0, '8'), "
            "(2, '15009', '2024Q2', DATE '2024-07-01', 40.5, '40.5', -1.0, '-1')"
            ") v(i, provnum, quarter, day, census, census_text, hrs_rn, hrs_rn_text)"
        )
        t = ibis_table(con, "r")
        hours = {c: (t.hrs_rn if c == "hrs_rn" else ibis.null("float64")) for c in HOURS}
        text = {"mdscensus": t.census_text, "hrs_rn": t.hrs_rn_text}
        text |= {c: ibis.null("string") for c in HOURS if c != "hrs_rn"}
        row = Row(t.provnum, t.quarter, t.day, t.census, hours, text)
        expr = marked(t, row, FileKind.NURSE).select("i", "reason", "field").order_by("i")
        good, bad = con.execute(str(ibis.to_sql(expr, dialect="duckdb"))).fetchall()
    finally:
        con.close()
    assert good == (1, "", None)
    assert bad == (
        2,
        "PROVNUM: CCN must be 6 letters or digits, got 15009 (leading zero lost?); "
        "WorkDate: 2024-07-01 is outside CY_Qtr 2024Q2; "
        "MDScensus: not a whole number of residents: 40.5; "
        "Hrs_RN: negative hours: -1",
        "PROVNUM",
    )


@pytest.mark.parametrize(
    ("written", "quarter"),
    [("2024Q2", "2024Q2"), ("CY2024Q2", "2024Q2"), (" cy_2024q2 ", "2024Q2"), ("2024Q5", None),
     ("Q2 2024", None), ("", None)],
)  # fmt: skip
def test_cy_qtr_is_read_one_way_everywhere(written: str, quarter: str | None) -> None:
    con = duckdb.connect()
    try:
        expr = quarter_of(ibis.literal(written)).name("q").as_table()
        ((found,),) = con.execute(str(ibis.to_sql(expr, dialect="duckdb"))).fetchall()
    finally:
        con.close()
    assert found == quarter


def test_messages_name_columns_as_cms_spells_them() -> None:
    assert display_name("hrs_rn_emp") == "Hrs_RN_emp"
    assert display_name("mdscensus") == "MDScensus"
    assert {rule.column for rule in rules(FileKind.NURSE)} >= {"provnum", "cy_qtr", "workdate"}


def _file(tmp_path: Path, lines: list[str]) -> Path:
    header = (
        "PROVNUM,PROVNAME,CITY,STATE,COUNTY_NAME,COUNTY_FIPS,CY_Qtr,WorkDate,MDScensus,"
        + ",".join(display_name(c) for c in HOURS)
    )
    path = tmp_path / "daily.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _line(provnum: str, day: str, census: str, rn: str, quarter: str = "2024Q2") -> str:
    hours = [rn if c == "hrs_rn" else "0" for c in HOURS]
    return ",".join([provnum, "Home", "Raleigh", "NC", "Wake", "183", quarter, day, census, *hours])


BAD_ROWS = {
    "a CCN that lost its leading zero": _line("15009", "20240401", "40", "8"),
    "a day outside the quarter": _line("015009", "20240701", "40", "8"),
    "a fractional census": _line("015009", "20240401", "40.5", "8"),
    "negative hours": _line("015009", "20240401", "40", "-3"),
    "NaN hours": _line("015009", "20240401", "40", "NaN"),
    "implausible hours": _line("015009", "20240401", "40", "5000"),
    "an implausible census": _line("015009", "20240401", "3000000000", "8"),
    "a quarter that is none": _line("015009", "20240401", "40", "8", quarter="2024Q7"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_the_loader_the_quick_check_and_the_measures_refuse_the_same_row(
    tmp_path: Path, case: str
) -> None:
    good = _line("015009", "20240402", "40", "8")
    path = _file(tmp_path, [good, BAD_ROWS[case]])
    con = connect(":memory:")
    try:
        scan_view(con, path, "v", tmp_path)
        assert view_problems(con, "v", FileKind.NURSE) > 0
    except duckdb.Error:
        pass  # a typed scan that cannot read the row refuses it too
    with pytest.raises(InputError) as caught:
        load_file(con, path)
    assert caught.value.line == 3
    with pytest.raises(InputError):
        to_rows(quarterly_measures(path))
    con.close()


def test_a_file_breaking_no_rule_gives_the_same_measures_on_every_path(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        [_line("015009", "20240401", "40", "8", quarter="CY2024Q2"),
         _line("015009", "20240402", "41", "7.5", quarter="CY2024Q2")],
    )  # fmt: skip
    con = connect(":memory:")
    scan_view(con, path, "v", tmp_path)
    assert view_problems(con, "v", FileKind.NURSE) == 0
    load_file(con, path)
    stored = to_rows(quarterly_measures(ibis_table(con, "daily_nurse_staffing")))
    read = to_rows(quarterly_measures(path))
    con.close()
    assert stored == read
    assert [r["quarter"] for r in read] == ["2024Q2"]
    assert math.isclose(read[0]["rn_hprd"], 15.5 / 81)
