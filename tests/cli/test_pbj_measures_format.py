"""The CLI's fast rounding prints exactly what ``str(round(v, places))`` prints."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from carecover.cli.pbj_render import rounded_texts as _rounded_texts

_FLOATS = st.floats(allow_nan=False, allow_infinity=False)


@given(values=st.lists(_FLOATS | st.none(), max_size=30), places=st.sampled_from([2, 4, 5]))
def test_fast_rounding_prints_what_str_of_round_prints(
    values: list[float | None], places: int
) -> None:
    expected = ["" if v is None else str(round(v, places)) for v in values]
    assert _rounded_texts(values, places) == expected


@given(whole=st.integers(0, 10**8), tenths=st.integers(0, 10**7), places=st.sampled_from([2, 4, 5]))
def test_fast_rounding_agrees_on_values_near_a_rounding_tie(
    whole: int, tenths: int, places: int
) -> None:
    # Decimals like 2.675 sit just beside a tie in binary: the classic trap.
    value = whole + tenths / 10**7
    assert _rounded_texts([value], places) == [str(round(value, places))]
