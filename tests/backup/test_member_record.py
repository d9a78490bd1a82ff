"""What a filer typed about a member against their organisation's record of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from carecover.backup.member_record import corrected, identity_mismatches
from carecover.backup.report import Member

RECORD = Member("Casey", "Dixon", date(1980, 5, 17), "900001234A", "hash-1", "6789")


def test_the_same_person_typed_in_other_capitals_is_no_mismatch() -> None:
    typed = Member(" casey", "DIXON ", date(1980, 5, 17), "900001234A")
    assert identity_mismatches(typed, RECORD) == []


def test_each_differing_field_is_named_with_the_records_value() -> None:
    typed = Member("Kasey", "Dickson", date(1980, 7, 5), "900001234A", "hash-2", "0000")
    problems = identity_mismatches(typed, RECORD)
    assert [p.field for p in problems] == [
        "member.first_name",
        "member.last_name",
        "member.date_of_birth",
        "member.ssn_last4",
    ]
    assert "(Casey)" in problems[0].message
    assert "ending 6789" in problems[3].message


def test_an_ssn_missing_on_either_side_is_no_mismatch() -> None:
    assert identity_mismatches(replace(RECORD, ssn_hash=None, ssn_last4=None), RECORD) == []
    assert identity_mismatches(RECORD, replace(RECORD, ssn_hash=None, ssn_last4=None)) == []


def test_a_correction_keeps_the_records_ssn_unless_a_new_one_was_typed() -> None:
    typed = Member("Kasey", "Dixon", date(1980, 5, 17), "900001234A")
    fixed = corrected(RECORD, typed)
    assert (fixed.first_name, fixed.ssn_last4, fixed.ssn_hash) == ("Kasey", "6789", "hash-1")
    assert corrected(RECORD, replace(typed, ssn_hash="h", ssn_last4="0000")).ssn_last4 == "0000"
