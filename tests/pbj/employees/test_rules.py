"""The Employee Detail rules: what each field accepts, and the reader against a row-by-row oracle.

The oracle below is written for this test in plain Python, field by field,
from the rules as ``employee_rules`` documents them (not from its patterns),
so a rule broken in the Ibis table makes the property test fail.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carecover.engines.duckdb import rows_of_sql, sql_of
from carecover.errors import InputError
from carecover.filekind import Kind, sniff
from carecover.pbj.employees.detail import COLUMNS, read_employee_detail
from carecover.pbj.employees.rules import first_broken, read, rules, values
from carecover.pbj.timeclock.shifts import daily_cap

HEADER = "PROVNUM CY_Qtr SYS_EMPLYEE_ID WorkDate JOB_TITLE_CD PAY_TYPE_CD HRS_WRKD".split()
GOOD = {
    "provnum": "015001",
    "quarter": "2024Q2",
    "employee_id": "RN-1",
    "workdate": "20240405",
    "job_title_code": "7",
    "pay_type_code": "2",
    "hours": "8",
}
BLANKS = " \t\n\r\x0b\x0c"
ID_CHARACTERS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.,\\ ")


# --- the oracle: one row's first broken field, or its typed values -------------------------


def _ascii_digits(text: str, size: int | None = None) -> bool:
    return text.isascii() and text.isdigit() and (size is None or len(text) == size)


def _quarter(text: str) -> str | None:
    if not text.isascii():
        return None
    rest = text.upper()
    if rest.startswith("CY"):
        rest = rest[2:].lstrip(BLANKS).removeprefix("_").lstrip(BLANKS)
    year, rest = rest[:4], rest[4:].lstrip(BLANKS)
    rest = rest[1:].lstrip(BLANKS) if rest[:1] in ("-", "_") else rest
    if not _ascii_digits(year, 4) or year == "0000":
        return None
    if len(rest) != 2 or rest[0] != "Q" or rest[1] not in "1234":
        return None
    return f"{year}Q{rest[1]}"


def _day(text: str) -> date | None:
    if _ascii_digits(text, 8):
        parts = (text[:4], text[4:6], text[6:])
    elif len(text) == 10 and text[4] == text[7] == "-":
        parts = (text[:4], text[5:7], text[8:])
        if not all(_ascii_digits(p) for p in parts):
            return None
    else:
        return None
    try:
        return date(*(int(p) for p in parts))
    except ValueError:
        return None


def _hours(text: str) -> float | None:
    # Python's float, less what the rules refuse: underscores and non-ASCII digits.
    if not text.isascii() or "_" in text or text != text.strip():
        return None
    try:
        return float(text) + 0.0
    except ValueError:
        return None


def oracle(fields: dict[str, str]) -> tuple[tuple[str, str] | None, dict[str, Any] | None]:
    """((the first broken field, words of its message), None), or (None, the typed values)."""
    v = {name: text.strip(BLANKS) for name, text in fields.items()}
    if not (len(v["provnum"]) == 6 and v["provnum"].isascii() and v["provnum"].isalnum()):
        return ("provnum", "is not a 6-character CCN"), None
    quarter = _quarter(v["quarter"])
    if quarter is None:
        return ("quarter", "is not a quarter like 2024Q2"), None
    ident = v["employee_id"]
    if not (1 <= len(ident) <= 30 and set(ident) <= ID_CHARACTERS and ident[0].isalnum()):
        return ("employee_id", "is not a PBJ employee id"), None
    day = _day(v["workdate"])
    if day is None:
        return ("workdate", "is not a date like 20240401"), None
    if (day.year, (day.month - 1) // 3 + 1) != (int(quarter[:4]), int(quarter[5])):
        return ("workdate", f"{day.isoformat()} is not in {quarter}"), None
    codes = {}
    for name, top in (("job_title_code", 40), ("pay_type_code", 3)):
        if not _ascii_digits(v[name]) or not 1 <= int(v[name]) <= top:
            return (name, f"is not a PBJ code (1-{top})"), None
        codes[name] = int(v[name])
    hours = _hours(v["hours"])
    if hours is None:
        return ("hours", "is not a number of hours"), None
    cap = float(daily_cap(day))
    if not math.isfinite(hours) or not 0 <= hours <= cap:
        return ("hours", f"hours is not 0 to {cap:g} in a day"), None
    return None, {
        "provnum": v["provnum"],
        "quarter": quarter,
        "employee_id": ident,
        "workdate": day,
        **codes,
        "hours": hours,
    }


# --- files -------------------------------------------------------------------------------


def _lines_before(text: str) -> int:
    """Lines as Python's universal newlines count them (a quoted CR starts a line too)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _write_counting(path: Path, rows: list[dict[str, str]]) -> list[int]:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    starts = []
    for row in rows:
        starts.append(_lines_before(out.getvalue()) + 1)
        writer.writerow([row[c] for c in COLUMNS])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return starts


def _read(tmp: Path, rows: list[dict[str, str]]) -> Any:
    path = tmp / "ed.csv"
    _write_counting(path, rows)
    return read_employee_detail([path])


# --- what each field accepts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("provnum", "A1B2C3", "A1B2C3"),
        ("quarter", "CY2024Q2", "2024Q2"),
        ("quarter", "cy_2024-q2", "2024Q2"),
        ("quarter", "2024 Q2", "2024Q2"),
        ("employee_id", "A.B,C\\D E_F-1", "A.B,C\\D E_F-1"),
        ("employee_id", "X" * 30, "X" * 30),
        ("workdate", "2024-04-05", date(2024, 4, 5)),
        ("workdate", " 20240405 ", date(2024, 4, 5)),
        ("job_title_code", "07", 7),
        ("hours", "8.", 8.0),
        ("hours", ".5", 0.5),
        ("hours", "+8", 8.0),
        ("hours", "1e1", 10.0),
        ("hours", " 8 ", 8.0),
        ("hours", "24", 24.0),
        ("hours", "-0", 0.0),
        ("hours", "1e-400", 0.0),
    ],
)
def test_a_field_accepts_its_documented_spellings(
    tmp_path: Path, field: str, text: str, value: Any
) -> None:
    (row,) = _read(tmp_path, [GOOD | {field: text}]).to_pylist()
    assert row[field] == value


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("provnum", "01500", "is not a 6-character CCN"),
        ("provnum", "01500\u00a0", "is not a 6-character CCN"),  # a no-break space is no blank
        ("quarter", "2024Q5", "is not a quarter like 2024Q2"),
        ("quarter", "0000Q2", "is not a quarter like 2024Q2"),
        ("quarter", "\uff12\uff10\uff12\uff14Q2", "is not a quarter like 2024Q2"),  # full width
        ("employee_id", "X" * 31, "is not a PBJ employee id"),
        ("employee_id", "-RN", "is not a PBJ employee id"),
        ("workdate", "2024-4-5", "is not a date like 20240401"),
        ("workdate", "2024045", "is not a date like 20240401"),
        ("workdate", "20240230", "is not a date like 20240401"),
        ("workdate", "2024/04/05", "is not a date like 20240401"),
        ("workdate", "2024-04-05T08:00", "is not a date like 20240401"),
        ("workdate", "00000405", "is not a date like 20240401"),
        ("workdate", "20240705", "2024-07-05 is not in 2024Q2"),
        ("job_title_code", "+7", "is not a PBJ code (1-40)"),
        ("job_title_code", "7.0", "is not a PBJ code (1-40)"),
        ("job_title_code", "41", "is not a PBJ code (1-40)"),
        ("job_title_code", "99999999999999999999999", "is not a PBJ code (1-40)"),
        ("pay_type_code", "4", "is not a PBJ code (1-3)"),
        ("hours", "1_0", "'1_0' is not a number of hours"),
        ("hours", "+-8", "is not a number of hours"),
        ("hours", "0x10", "is not a number of hours"),
        ("hours", "\uff18", "is not a number of hours"),
        ("hours", "Infinity", "'Infinity' hours is not 0 to 24 in a day"),
        ("hours", "nan", "not 0 to 24"),
        ("hours", "1e400", "not 0 to 24"),
        ("hours", "-3", "not 0 to 24"),
        ("hours", "24.01", "not 0 to 24"),
    ],
)
def test_a_field_refuses_what_the_rules_do_not_accept(
    tmp_path: Path, field: str, text: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, [GOOD, GOOD | {field: text}])
    assert (caught.value.line, caught.value.field) == (3, field)
    assert words in caught.value.reason
    assert caught.value.reason.endswith("; nothing was read from this file")


def test_from_22_march_2026_a_day_holds_at_most_22_5_hours(tmp_path: Path) -> None:
    before = GOOD | {"quarter": "2026Q1", "workdate": "20260321", "hours": "23"}
    from_then = GOOD | {"quarter": "2026Q2", "workdate": "20260401", "hours": "22.5"}
    assert _read(tmp_path, [before, from_then]).num_rows == 2
    with pytest.raises(InputError, match=r"'22\.6' hours is not 0 to 22\.5 in a day"):
        _read(tmp_path, [from_then | {"hours": "22.6"}])


def test_a_long_value_is_shortened_in_the_message(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, [GOOD | {"hours": "9" * 5000}])
    assert "(5000 characters)" in caught.value.reason
    assert len(caught.value.reason) < 120


def test_every_rule_names_a_column_of_the_file() -> None:
    assert {rule.field for rule in rules()} == set(COLUMNS)


# --- the property: the reader agrees with the oracle on random rows ------------------------


def _padded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    blank = st.sampled_from(["", "", "", " ", "\t", "\n", " \r\n", "\x0b", "\u00a0"])
    return st.tuples(blank, values, blank).map("".join)


FIELD_VALUES = {
    "provnum": st.sampled_from(
        ["015001", "015002", "A1B2C3", "01500", "0150011", "01500-", "", "\uff10" * 6]
    ),
    "quarter": st.sampled_from(
        [
            *("2024Q2", "2026Q1", "2026Q2", "2024q2", "CY2024Q2", "cy_2024 - q2", "2024-Q2"),
            *("2024_Q2", "CY 2024Q2", "2024Q5", "24Q2", "0000Q2", "2024Q", "CY__2024Q2"),
            *("2024--Q2", "", "\uff12\uff10\uff12\uff14Q2"),
        ]
    ),
    "employee_id": st.sampled_from(
        [
            *("RN-1", "CNA 2", "a.b,c\\d_e", "X" * 30, "", "-RN", "X" * 31, 'RN"1', "RN/1"),
            *("\u00c9MP", "RN\n1", "RN\t1"),
        ]
    ),
    "workdate": st.one_of(
        st.dates(date(2024, 3, 30), date(2024, 7, 2)).map(lambda d: d.strftime("%Y%m%d")),
        st.dates(date(2024, 3, 30), date(2024, 7, 2)).map(str),
        st.sampled_from(["20260321", "2026-03-22", "20260401", "2024-4-5", "2024045"]),
        st.sampled_from(["20240230", "2024/04/05", "00000405", "0000-04-05", ""]),
        st.sampled_from(["2024-04-05T00:00", "2024-04-05 08:00", "\u0662\u0660\u0662\u0664"]),
    ),
    "job_title_code": st.one_of(
        st.integers(1, 40).map(str),
        st.sampled_from(["07", "0", "41", "+7", "7.0", "1e1", "", "\u0667", "9" * 25, " 7"]),
    ),
    "pay_type_code": st.sampled_from(["1", "2", "3", "0", "4", "03", "2.", "-1", "+3"]),
    "hours": st.one_of(
        st.floats(0, 30).map(repr),
        st.sampled_from(["8", "8.", ".5", "+8", "1e1", "24", "22.5", "23", "-0", "8e-400"]),
        st.sampled_from(["-3", "nan", "-NaN", "inf", "Infinity", "1e400", "24.000001", "1E1"]),
        st.sampled_from(["1_0", "0x10", "+-8", "", "8 5", "\uff18", "1,5", "8h", ".", "1e"]),
        st.floats().map(str),
    ),
}
BASES = [GOOD, GOOD | {"quarter": "2026Q2", "workdate": "20260401"}]
# Rows with one field drawn, the others good, so every value reaches its rule; and rows
# with any field drawn (so rules meet in one row and their order counts).
ROW = st.one_of(
    st.tuples(st.sampled_from(BASES), st.sampled_from(sorted(FIELD_VALUES))).flatmap(
        lambda pick: _padded(FIELD_VALUES[pick[1]]).map(lambda text: pick[0] | {pick[1]: text})
    ),
    st.fixed_dictionaries(
        {
            name: st.one_of(st.just(GOOD[name]), _padded(values))
            for name, values in FIELD_VALUES.items()
        }
    ),
)


@cache
def _checked_sql() -> str:
    t, row = read(ibis.table({"record": "int64", **dict.fromkeys(COLUMNS, "string")}, "r"))
    return sql_of(first_broken(t, row).select("record", "field", "reason", **values(row)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=50, max_size=200))
def test_every_rule_agrees_with_the_oracle_on_every_row(rows: list[dict[str, str]]) -> None:
    # The rules as the reader runs them (``read``, ``first_broken``, ``values``), over
    # many rows at once: each row's first broken field, or its typed values.
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE r (record BIGINT, " + ", ".join(f"{c} VARCHAR" for c in COLUMNS) + ")"
        )
        con.executemany(
            f"INSERT INTO r VALUES ({', '.join('?' for _ in range(len(COLUMNS) + 1))})",
            [[i, *(row[c] for c in COLUMNS)] for i, row in enumerate(rows)],
        )
        got = sorted(rows_of_sql(con, _checked_sql()), key=lambda g: int(g["record"]))
    finally:
        con.close()
    for text, result in zip(rows, got, strict=True):
        broken, typed = oracle(text)
        if broken is None:
            assert (result["field"], {c: result[c] for c in COLUMNS}) == (None, typed), text
        else:
            assert result["field"] == broken[0], text
            assert broken[1] in result["reason"], text


_VT_ROW = {
    "provnum": "015001",
    "quarter": "2024Q2\x0b",
    "employee_id": "RN-1\x0b",
    "workdate": "20240405",
    "job_title_code": "1\x0b",
    "pay_type_code": "2\x0b",
    "hours": "8",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(ROW, min_size=0, max_size=6), min_size=1, max_size=2))
@example([[_VT_ROW] * 6])  # a file of too many control characters is refused as binary
def test_the_reader_agrees_with_a_row_by_row_oracle(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[dict[str, str]]]
) -> None:
    folder = tmp_path_factory.mktemp("ed")
    paths, expected_error = [], None
    kept: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for index, rows in enumerate(files):
        path = folder / f"file{index}.csv"
        paths.append(path)
        starts = _write_counting(path, rows)
        if sniff(path).kind is Kind.BINARY:
            # Over 1 % control characters (vertical tabs, say): no text file, no line.
            expected_error = (str(path), None, None)
            break
        for position, (row, line) in enumerate(zip(rows, starts, strict=True)):
            broken, values = oracle(row)
            if broken is not None:
                expected_error = expected_error or (str(path), line, broken[0])
                break
            assert values is not None
            key = tuple(values[c] for c in COLUMNS[:6])
            kept[key] = ((index << 20) + position, values)
        if expected_error:
            break
    if expected_error:
        with pytest.raises(InputError) as caught:
            read_employee_detail(paths)
        assert (caught.value.file, caught.value.line, caught.value.field) == expected_error
        return
    table = read_employee_detail(paths)
    assert table.to_pylist() == [values for _, values in sorted(kept.values(), key=lambda v: v[0])]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aZ09-\\,._ ]^é\t", max_size=33))
@example("x" * 30)
@example("x" * 31)
def test_an_employee_id_is_one_the_xml_edits_accept_with_a_letter_or_digit_first(
    text: str,
) -> None:
    # One definition of the id (codes.EMPLOYEE_ID_CHARACTERS, edit CC-11's length) for both.
    from carecover.pbj.employees.rules import _employee_id
    from carecover.pbj.submission.edits import employee_id_problem

    value = text.strip(" \t\n\r\x0b\x0c")  # the reader trims before its rules
    con = duckdb.connect()
    accepted = con.execute("SELECT regexp_matches(?, ?)", [value, _employee_id()]).fetchone()
    first = value[:1]
    expected = first.isascii() and first.isalnum() and employee_id_problem(value) is None
    assert accepted == (expected,)
