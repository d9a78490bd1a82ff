"""The MDS code lists are data files with source and confidence."""

from __future__ import annotations

import pytest

from carecover.errors import NotFoundError
from carecover.mds import Event, code_list, event_of
from carecover.mds.codes import CODED_ITEMS


def test_every_coded_item_has_a_list_with_source_and_confidence() -> None:
    for item in CODED_ITEMS:
        codes = code_list(item)
        assert codes
        assert all(c.source and c.confidence for c in codes.values())


def test_a0310f_maps_entry_discharge_and_death() -> None:
    assert event_of("01") is Event.ENTRY
    assert event_of("10") is event_of("11") is Event.DISCHARGE
    assert event_of("12") is Event.DEATH
    assert event_of("99") is Event.OTHER


def test_the_gender_codes_are_marked_unconfirmed() -> None:
    assert {c.confidence for c in code_list("A0800").values()} == {"UNCONFIRMED"}


def test_an_unknown_item_or_code_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        code_list("B0100")
    with pytest.raises(NotFoundError):
        event_of("02")
