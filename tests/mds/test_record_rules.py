"""The record rules, run in the engine, judge a record as the rules say, edge by edge.

The oracle below is the record-by-record Python the rules replaced (it was
``validation.validate_record`` until 2026-12), kept here only to check them:
random records, valid and broken, must get the same verdict, the same
problems by item, the same resident key and the same values.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.errors import ValidationError
from carecover.mds import connect, normalise_name, validate_record
from carecover.mds.codes import CODED_ITEMS, Event, event_of, is_valid_code
from carecover.mds.store import load_file
from tests.mds.factories import changes, raw, write_extract

_NOISE = re.compile(r"[\s\-'.]+")
_PLACEHOLDERS = {"000000000", "999999999", "123456789"}
_DATE_ITEMS = ("A0900", "A1600", "A2000", "A2300", "TRGT_DT")


def _oracle_date(text: str) -> date:
    if len(text) == 8 and text.isascii() and text.isdigit():
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text)
    raise ValueError(text)


def _oracle_key(get: Any, birth: date | None) -> str:
    state = get("STATE_CD").upper()
    if get("RESIDENT_INTERNAL_ID"):
        material = f"rid|{state}|{get('RESIDENT_INTERNAL_ID').upper()}"
    else:
        material = "|".join(
            (
                "mds",
                state,
                get("FAC_ID").upper(),
                _ssn(get("A0600A")),
                _NOISE.sub("", get("A0500C")).upper(),
                _NOISE.sub("", get("A0500A")).upper(),
                birth.isoformat() if birth else "",
                get("A0800"),
            )
        )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def oracle(record: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """(items with a problem, in order; the values of an accepted record)."""
    values = {k: v.strip() for k, v in record.items()}

    def get(item: str) -> str:
        return values.get(item, "")

    items: list[str] = []
    required = ["STATE_CD", "FAC_ID", "A0100B", "A0310F"]
    if not get("RESIDENT_INTERNAL_ID"):
        required += ["A0500A", "A0500C", "A0900", "A0800"]
    items += [i for i in required if not get(i)]
    items += [i for i in CODED_ITEMS if get(i) and not is_valid_code(i, get(i))]
    dates: dict[str, date | None] = {}
    for item in _DATE_ITEMS:
        dates[item] = None
        if not get(item):
            continue
        try:
            value = _oracle_date(get(item))
        except ValueError:
            items.append(item)
            continue
        if item != "A0900" and value < date(1990, 1, 1):
            items.append(item)
            continue
        dates[item] = value
    target = dates["TRGT_DT"]
    if is_valid_code("A0310F", get("A0310F")):
        event = event_of(get("A0310F"))
        source = {Event.ENTRY: "A1600", Event.DISCHARGE: "A2000", Event.DEATH: "A2000"}.get(
            event, "A2300"
        )
        if dates[source] is None and source not in items:
            items.append(source)
        target = target or dates[source]
    if dates["A1600"] and dates["A2000"] and dates["A2000"] < dates["A1600"]:
        items.append("A2000")
    if dates["A0900"] and target and dates["A0900"] > target:
        items.append("A0900")
    if items or target is None:
        return items or ["TRGT_DT"], {}
    return [], {
        "resident_key": _oracle_key(get, dates["A0900"]),
        "state": get("STATE_CD").upper(),
        "target_date": target,
        "birth_date": dates["A0900"],
        "entry_date": dates["A1600"],
        "discharge_date": dates["A2000"],
        "ard": dates["A2300"],
        "ssn_present": bool(_ssn(get("A0600A"))),
        "nursing_group": get("PDPM_NURSING_CMG") or get("RUG_IV_GROUP"),
    }


def _ssn(text: str) -> str:
    digits = re.sub(r"[^0-9]", "", text)
    return "" if len(digits) != 9 or digits in _PLACEHOLDERS else digits


DATES = st.one_of(
    st.sampled_from(
        ["", "20260101", "2026-02-28", "20260230", "2026-13-01", "19891231", "19000101",
         "2026131", "abc", "00000101", "00010101", "20240229", "20230229", "21000229",
         "20000229", "2026-3-15", "2026-03-15", "2026/03/15", "+2026-0315", "99991231",
         "2026-02-29", "20261301", "2026-00-10", "20260100", "١٩٤٠٠١٠١", " 20260301 "]
    ),
    st.dates(min_value=date(1, 1, 1)).map(lambda d: d.strftime("%Y%m%d").zfill(8)),
    st.dates(min_value=date(1, 1, 1)).map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
)  # fmt: skip
CODES = st.sampled_from(["", "01", "02", "10", "11", "12", "99", "1", "2", "7", "08", "x"])
NAME_ALPHABET = st.sampled_from([*"AnnLeé -'.ßﬁ\u00a0\u2009\t\x1cÖçÑ", "\u3000", "\x85", "Mary"])
NAMES = st.lists(NAME_ALPHABET, max_size=6).map("".join)
SSNS = st.sampled_from(["", "123-45-6780", "123456780", "000000000", "12345", "987 65 4320", "x"])
RECORDS = changes(
    DATES,
    CODES,
    NAMES,
    SSNS,
    STATE_CD=st.sampled_from(["CA", "ca", "", "TX", " ny "]),
    RESIDENT_INTERNAL_ID=st.sampled_from(["", "R1", "r1", " r2 "]),
).map(lambda items: raw(**items))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_the_rules_give_the_record_by_record_verdict_problems_and_values(
    record: dict[str, str],
) -> None:
    items, values = oracle(record)
    if items:
        with pytest.raises(ValidationError) as caught:
            validate_record(record)
        assert [p.field for p in caught.value.problems] == items
        return
    assessment = validate_record(record)
    for name, value in values.items():
        assert getattr(assessment, name) == value, name


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_a_name_is_normalised_as_python_upper_cases_it(name: str) -> None:
    assert normalise_name(name) == _NOISE.sub("", name).upper()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-02-30", "impossible date: '2026-02-30' is not a date like 20260131 or 2026-01-31"),
        ("20230229", "impossible date: '20230229' is not a date like 20260131 or 2026-01-31"),
        ("2026-3-15", "impossible date: '2026-3-15' is not a date like 20260131 or 2026-01-31"),
        ("19891231", "impossible date 1989-12-31 (before 1990-01-01)"),
    ],
)
def test_an_unreadable_or_too_early_date_is_named_with_its_text(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_record(raw(A2300=text))
    assert [str(p) for p in caught.value.problems] == [f"A2300: {words}"]


def test_a_leap_day_is_a_date_in_a_leap_year_only() -> None:
    assert validate_record(raw(A2300="20240229")).ard == date(2024, 2, 29)
    assert validate_record(raw(A2300="2000-02-29")).ard == date(2000, 2, 29)
    with pytest.raises(ValidationError):
        validate_record(raw(A2300="21000229"))


def test_a_file_read_by_python_and_one_read_by_duckdb_keep_the_same_unicode_names(
    tmp_path: Path,
) -> None:
    # A quote makes the file non-plain (Python's reader); the rules are the same.
    rows = [raw(A0500A="Jürgen", A0500C="Straße-Öz"), raw(A0500A='"Ann"', A0500C="Lee")]
    path = write_extract(tmp_path / "u.csv", rows)
    con = connect(None)
    result = load_file(con, path)
    assert (result.loaded, result.loaded_in_bulk) == (2, 0)
    keys = {r[0] for r in con.execute("SELECT resident_key FROM mds_assessments").fetchall()}
    expected = {validate_record(row).resident_key for row in rows}
    assert keys == expected
    assert validate_record(rows[0]).resident_key == _oracle_key(
        lambda item: rows[0].get(item, "").strip(), date(1940, 1, 1)
    )
