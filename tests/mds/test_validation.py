"""One raw MDS record in, an Assessment or every problem named by item out."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import ValidationError
from carecover.mds import parse_mds_date, validate_record
from tests.mds.factories import raw


def problems(**items: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate_record(raw(**items))
    return {p.field: p.message for p in info.value.problems}


def test_it_defaults_the_target_date_of_an_entry_to_a1600() -> None:
    a = validate_record(raw(A0310F="01", A1600="20260105", A2300=""))
    assert a.target_date == date(2026, 1, 5)


def test_it_defaults_the_target_date_of_discharges_and_deaths_to_a2000() -> None:
    for code in ("10", "11", "12"):
        a = validate_record(raw(A0310F=code, A2000="2026-02-03", A2300=""))
        assert a.target_date == date(2026, 2, 3)


def test_it_defaults_the_target_date_of_other_records_to_a2300() -> None:
    assert validate_record(raw()).target_date == date(2026, 3, 1)


def test_an_explicit_trgt_dt_wins() -> None:
    assert validate_record(raw(TRGT_DT="20260302")).target_date == date(2026, 3, 2)


def test_it_names_an_impossible_date() -> None:
    assert "impossible date" in problems(A0900="19401301")["A0900"]
    assert "impossible date" in problems(A2300="2026-02-30")["A2300"]


def test_it_refuses_a_discharge_before_the_entry() -> None:
    found = problems(A0310F="10", A1600="20260110", A2000="20260105")
    assert "before entry" in found["A2000"]


def test_it_refuses_unknown_codes_for_every_coded_item() -> None:
    found = problems(A0310A="07", A0310B="55", A0310F="02", A0800="3", A1700="9", A2100="77")
    assert set(found) >= {"A0310A", "A0310B", "A0310F", "A0800", "A1700", "A2100"}


def test_it_names_the_missing_target_source_item() -> None:
    assert "A2000" in problems(A0310F="11", A2000="")
    assert "A1600" in problems(A0310F="01", A1600="")


def test_it_needs_the_identity_items_without_a_resident_internal_id() -> None:
    assert {"A0500A", "A0500C", "A0900", "A0800"} <= set(
        problems(A0500A="", A0500C="", A0900="", A0800="")
    )


def test_a_resident_internal_id_makes_the_identity_items_optional() -> None:
    a = validate_record(raw(RESIDENT_INTERNAL_ID="777", A0500A="", A0500C="", A0900="", A0800=""))
    assert a.resident_key


def test_it_never_keeps_the_ssn() -> None:
    a = validate_record(raw())
    assert "123456780" not in repr(a)
    assert "123-45-6780" not in repr(a)
    assert a.ssn_present


def test_it_takes_the_rug_group_when_there_is_no_pdpm_group() -> None:
    assert validate_record(raw(RUG_IV_GROUP="RUA")).nursing_group == "RUA"
    assert validate_record(raw(PDPM_NURSING_CMG="ES1", RUG_IV_GROUP="RUA")).nursing_group == "ES1"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_it_reads_both_date_forms_alike(d: date) -> None:
    assert parse_mds_date(d.strftime("%Y%m%d")) == parse_mds_date(d.isoformat()) == d


@given(st.text(max_size=12))
def test_it_refuses_any_other_date_text_with_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_mds_date(text)
