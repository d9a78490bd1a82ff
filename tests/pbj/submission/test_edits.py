"""The edit catalogue (data) and the value checks the edits share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import NotFoundError
from carecover.pbj.submission.edits import (
    edit,
    edits,
    employee_id_problem,
    hours_cents,
    parse_day,
    state_codes,
)

SRC = Path(__file__).resolve().parents[3] / "src" / "carecover" / "pbj"


def test_it_gives_every_edit_a_unique_id_a_severity_and_a_source() -> None:
    catalogue = edits()
    assert len({e.id for e in catalogue}) == len(catalogue)
    for rule in catalogue:
        assert rule.severity in ("fatal", "warning")
        assert rule.title
        assert rule.description
        assert rule.source
        assert rule.confidence


def test_it_has_a_catalogue_row_for_every_edit_the_code_raises() -> None:
    code = "".join(p.read_text() for p in SRC.glob("*.py"))
    raised = set(re.findall(r'"(-\d{4}|CC-\d\d)"', code))
    assert raised <= {e.id for e in edits()}


def test_it_uses_the_cms_edit_numbers_the_reference_gives() -> None:
    assert edit("-4018").severity == "fatal"
    assert edit("-1010").severity == "warning"
    assert edit("-4025").unconfirmed
    assert not edit("-4015").unconfirmed


def test_it_refuses_an_unknown_edit() -> None:
    with pytest.raises(NotFoundError):
        edit("-9999")


def test_it_reads_the_state_codes_from_the_packaged_schema() -> None:
    codes = state_codes()
    assert {"NY", "DC", "PR", "VI"} <= codes
    assert "XX" not in codes
    assert len(codes) == 53


@given(st.integers(min_value=0, max_value=2250))
def test_it_reads_any_hours_from_0_to_22_5_with_two_decimals(cents: int) -> None:
    assert hours_cents(f"{cents // 100}.{cents % 100:02d}") == (cents, None)


@given(st.integers(min_value=2251, max_value=99_999))
def test_it_flags_an_entry_over_22_5_hours_but_keeps_its_value(cents: int) -> None:
    value, problem = hours_cents(f"{cents // 100}.{cents % 100:02d}")
    assert value == cents
    assert problem is not None
    assert problem[0] == "CC-09"


@pytest.mark.parametrize(
    ("text", "edit_id"),
    [
        ("-1", "-3679"),
        ("+4", "-3679"),
        ("8.125", "CC-08"),
        ("eight", "CC-08"),
        ("1e2", "CC-08"),
        ("", "-4006"),
        (None, "-4006"),
    ],
)
def test_it_names_the_edit_a_bad_hours_value_breaks(text: str | None, edit_id: str) -> None:
    _, problem = hours_cents(text)
    assert problem is not None
    assert problem[0] == edit_id


def test_it_reads_hours_the_schema_allows_in_other_spellings() -> None:
    assert hours_cents(" 7.5 ") == (750, None)
    assert hours_cents("8.100") == (810, None)
    assert hours_cents(".5") == (50, None)


@pytest.mark.parametrize(
    ("ident", "edit_id"),
    [("RN#1", "-4018"), ("é1", "-4018"), ("X" * 31, "CC-11"), ("   ", "-4006")],
)
def test_it_names_the_edit_a_bad_employee_id_breaks(ident: str, edit_id: str) -> None:
    problem = employee_id_problem(ident)
    assert problem is not None
    assert problem[0] == edit_id


@pytest.mark.parametrize("ident", ["RN-001", "CNA 002", "a\\b,c.d_e", "X" * 30])
def test_it_accepts_the_employee_id_characters_cms_allows(ident: str) -> None:
    assert employee_id_problem(ident) is None


@pytest.mark.parametrize("text", ["2026-4-1", "2026-02-30", "20260401", "", None])
def test_it_accepts_only_real_ten_character_dates(text: str | None) -> None:
    assert parse_day(text) is None


def test_the_docs_list_every_edit_with_its_severity() -> None:
    docs = (SRC.parents[2] / "docs" / "pbj-validate.md").read_text(encoding="utf-8")
    for rule in edits():
        assert f"| `{rule.id}` | {rule.severity} |" in docs
