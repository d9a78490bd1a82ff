from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.backup.identity import (
    SECRET_KEY_VARIABLE,
    hash_ssn,
    impossible_ssn,
    member_from_ssn,
    secret_key_from_env,
    ssn_last4,
)
from carecover.errors import ConfigError, InputError

KEY = b"k" * 32
nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
    lambda digits: not impossible_ssn(digits)
)


def test_it_hashes_the_same_ssn_the_same_way_whatever_the_dashes() -> None:
    assert hash_ssn("123-45-6789", key=KEY) == hash_ssn("123456789", key=KEY)
    assert hash_ssn(" 123 45 6789 ", key=KEY) == hash_ssn("123456789", key=KEY)


def test_it_gives_a_different_hash_under_a_different_key() -> None:
    assert hash_ssn("123456789", key=KEY) != hash_ssn("123456789", key=b"z" * 32)


@given(nine_digits)
def test_it_never_puts_the_clear_number_in_the_hash(ssn: str) -> None:
    digest = hash_ssn(ssn, key=KEY)
    assert ssn not in digest
    assert len(digest) == 64


@pytest.mark.parametrize("bad", ["12345678", "1234567890", "12345678A", "", "１２３４５６７８９"])
def test_it_refuses_anything_but_nine_digits_naming_the_field(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        hash_ssn(bad, key=KEY)
    assert caught.value.field == "member_ssn"
    assert bad not in str(caught.value) or bad == ""


@pytest.mark.parametrize(
    "never_issued",
    ["000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "123-00-4567", "123-45-0000"],
)
def test_it_refuses_an_ssn_that_cannot_exist_naming_the_field_not_the_number(
    never_issued: str,
) -> None:
    with pytest.raises(InputError) as hashed:
        hash_ssn(never_issued, key=KEY)
    with pytest.raises(InputError) as kept:
        ssn_last4(never_issued)
    for caught in (hashed, kept):
        assert caught.value.field == "member_ssn"
        assert never_issued not in str(caught.value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_an_ssn_is_impossible_exactly_when_area_group_or_serial_is_never_issued(
    digits: str,
) -> None:
    area, group, serial = int(digits[:3]), digits[3:5], digits[5:]
    expected = area in (0, 666) or area >= 900 or group == "00" or serial == "0000"
    assert impossible_ssn(digits) is expected


def test_it_accepts_the_edges_of_the_issued_ranges() -> None:
    for issued in ("001-01-0001", "665-99-9999", "667-01-0001", "899-99-9999"):
        assert ssn_last4(issued) == issued[-4:]


def test_it_keeps_the_last_four_digits() -> None:
    assert ssn_last4("123-45-6789") == "6789"


def test_it_builds_a_member_without_the_clear_ssn() -> None:
    member = member_from_ssn(
        first_name="Ana",
        last_name="Diaz",
        date_of_birth=date(1990, 1, 2),
        medicaid_id="987654321B",
        ssn="123-45-6789",
        key=KEY,
    )
    assert member.ssn_last4 == "6789"
    assert member.ssn_hash == hash_ssn("123456789", key=KEY)
    values = [str(v) for v in dataclasses.asdict(member).values()]
    assert not any("123456789" in v or "123-45-6789" in v for v in values)


def test_it_keeps_only_the_last_four_digits_when_no_key_is_set() -> None:
    member = member_from_ssn(
        first_name="Ana",
        last_name="Diaz",
        date_of_birth=date(1990, 1, 2),
        medicaid_id="123456789A",
        ssn="123456789",
        key=None,
    )
    assert member.ssn_hash is None
    assert member.ssn_last4 == "6789"


def test_it_reads_the_key_from_the_environment() -> None:
    assert secret_key_from_env({SECRET_KEY_VARIABLE: "s" * 40}) == b"s" * 40


@pytest.mark.parametrize("env", [{}, {SECRET_KEY_VARIABLE: ""}, {SECRET_KEY_VARIABLE: "short"}])
def test_it_names_the_variable_when_the_key_is_missing_or_short(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=SECRET_KEY_VARIABLE):
        secret_key_from_env(env)
