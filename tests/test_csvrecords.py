"""CSV records with their structure checked: a broken file is refused at the line it breaks."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.csvrecords import check_header_width, records
from carecover.errors import InputError


def read(text: str, **options: object) -> list[tuple[int, list[str]]]:
    return list(records(io.StringIO(text, newline=""), file="f.csv", **options))  # type: ignore[arg-type]


def test_it_yields_each_record_with_the_line_it_starts_on() -> None:
    text = 'a,b\n1,"x\ny"\n\n3,4\n'
    assert read(text) == [(1, ["a", "b"]), (2, ["1", "x\ny"]), (4, []), (5, ["3", "4"])]


def test_an_unterminated_quote_is_named_where_the_record_starts() -> None:
    with pytest.raises(InputError, match=r"f\.csv:3: not readable CSV.*unterminated") as caught:
        read('a,b\n1,2\n"3,4\n5,6\n7,8\n')
    assert caught.value.line == 3


def test_a_record_over_several_lines_is_refused_where_values_never_break() -> None:
    with pytest.raises(InputError, match=r"f\.csv:2: a quoted field runs from this line to line 3"):
        read('a,b\n"1\n2",3\n', one_line=True)


@pytest.mark.parametrize(("row", "words"), [("1,2,3", "3 fields, more"), ("1", "1 fields, fewer")])
def test_a_row_of_another_width_is_refused(row: str, words: str) -> None:
    with pytest.raises(InputError, match=rf"f\.csv:3: {words} than the header's 2"):
        read(f"a,b\n1,2\n{row}\n")


def test_ragged_rows_pass_to_a_caller_that_reports_them_itself() -> None:
    assert read("a,b\n1,2,3\n", ragged=True)[1] == (2, ["1", "2", "3"])


def test_a_nul_byte_is_refused_with_its_line() -> None:
    with pytest.raises(InputError, match=r"f\.csv:2: a NUL byte"):
        read("a,b\n1,\x002\n")


def test_a_header_over_the_bound_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"f\.csv:1: the header has 4 columns; a thing has at most 3"
    ):
        check_header_width(["a", "b", "c", "d"], limit=3, file="f.csv", what="a thing")


@given(st.text(alphabet='ab,"\n\r\x00 ', max_size=60))
def test_any_text_is_read_or_refused_with_an_input_error(text: str) -> None:
    refused: InputError | None = None
    try:
        rows = read(text, one_line=True)
    except InputError as exc:
        refused, rows = exc, []
    if refused is not None:
        assert (refused.file, refused.line is not None) == ("f.csv", True)
    assert all(line >= 1 for line, _ in rows)
