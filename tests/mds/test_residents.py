"""The resident key: normalised identity items, internal id first, no SSN in clear."""

from __future__ import annotations

from dataclasses import replace

from carecover.mds import Identity, normalise_name, normalise_ssn, resident_key

ANN = Identity("CA", "F1", "123-45-6780", "Lee", "Ann", "1940-01-01", "2")


def test_it_ignores_case_spaces_and_hyphens_in_names() -> None:
    assert normalise_name(" Mary-Ann ") == "MARYANN"
    assert resident_key(ANN) == resident_key(replace(ANN, last_name=" lee ", first_name="A-NN"))


def test_it_treats_placeholder_and_blank_ssns_alike() -> None:
    assert normalise_ssn("999-99-9999") == normalise_ssn("") == ""
    assert resident_key(replace(ANN, ssn="000000000")) == resident_key(replace(ANN, ssn=""))


def test_it_reads_an_ssn_with_or_without_dashes() -> None:
    assert resident_key(ANN) == resident_key(replace(ANN, ssn="123456780"))


def test_a_different_birth_date_or_gender_is_a_different_resident() -> None:
    assert resident_key(ANN) != resident_key(replace(ANN, birth_date="1940-01-02"))
    assert resident_key(ANN) != resident_key(replace(ANN, gender="1"))


def test_the_resident_internal_id_wins_over_the_identity_items() -> None:
    a = replace(ANN, resident_internal_id="42")
    b = replace(ANN, resident_internal_id="42", last_name="Other", ssn="")
    assert resident_key(a) == resident_key(b) != resident_key(ANN)


def test_the_key_does_not_contain_the_ssn() -> None:
    assert "123456780" not in resident_key(ANN)
