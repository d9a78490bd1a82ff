"""The MDS extract reader refuses a broken CSV structure, naming the line; nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.mds import connect
from carecover.mds.extract import COLUMNS, MAX_COLUMNS, read_extract, read_header
from carecover.mds.store import load_file
from tests.mds.factories import raw, write_extract


def seven_records(path: Path) -> Path:
    return write_extract(path, [raw(A2300=f"2026030{d}") for d in range(1, 8)])


def stored(con: object) -> tuple[int, int, int]:
    counts = [
        con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # type: ignore[attr-defined]
        for t in ("mds_assessments", "mds_quarantine", "mds_loaded_files")
    ]
    return counts[0], counts[1], counts[2]


def break_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("bulk", [True, False])
def test_an_unterminated_quote_on_line_2_is_an_error_and_nothing_is_loaded(
    tmp_path: Path, bulk: bool
) -> None:
    # Before: "0 loaded, 1 quarantined", the six records after it swallowed.
    path = seven_records(tmp_path / "q.csv")
    break_line(path, 2, ",F1,", ',"F1,')
    con = connect(None)
    with pytest.raises(InputError, match=r"q\.csv:2: .*unterminated") as caught:
        load_file(con, path, bulk=bulk)
    assert caught.value.line == 2
    assert stored(con) == (0, 0, 0)


def test_a_quote_closed_on_a_later_line_is_named_where_it_opens(tmp_path: Path) -> None:
    path = seven_records(tmp_path / "q.csv")
    break_line(path, 3, ",F1,", ',"F1,')
    break_line(path, 5, ",F1,", ',F1",')
    with pytest.raises(InputError, match=r"q\.csv:3: a quoted field runs from this line to line 5"):
        list(read_extract(path))


@pytest.mark.parametrize("bulk", [True, False])
def test_a_short_row_is_an_error_naming_its_line(tmp_path: Path, bulk: bool) -> None:
    path = seven_records(tmp_path / "r.csv")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 2)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    con = connect(None)
    with pytest.raises(InputError, match=r"r\.csv:4: 18 fields, fewer than the header's 20"):
        load_file(con, path, bulk=bulk)
    assert stored(con) == (0, 0, 0)


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    path = seven_records(tmp_path / "n.csv")
    break_line(path, 5, ",F1,", ",F\x001,")
    con = connect(None)
    with pytest.raises(InputError, match=r"n\.csv:5: a NUL byte"):
        load_file(con, path)
    assert stored(con) == (0, 0, 0)


def test_an_extract_of_a_thousand_columns_loads(tmp_path: Path) -> None:
    # Before: DuckDB's ParserException (maximum expression depth) from about 980 columns.
    path = tmp_path / "wide.csv"
    extra = [f"X{i}" for i in range(1000)]
    header = [*COLUMNS, *extra]
    row = [raw()[c] for c in COLUMNS] + [""] * len(extra)
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    assert load_file(connect(None), path).loaded == 1


def test_a_header_of_100000_columns_is_refused_before_the_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    header = [*COLUMNS, *(f"X{i}" for i in range(100_000))]
    path.write_text(",".join(header) + "\n" + ",".join(["1"] * len(header)) + "\n")
    message = (
        f"huge.csv:1: the header has 100,020 columns; an MDS extract has at most {MAX_COLUMNS:,}"
    )
    with pytest.raises(InputError, match=message):
        read_header(path)
    with pytest.raises(InputError, match=message):
        load_file(connect(None), path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty"),
        ("STATE_CD,FAC_ID\n".encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary file"),
    ],
)
def test_a_file_that_is_not_a_text_csv_says_what_it_is(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        load_file(connect(None), path)
