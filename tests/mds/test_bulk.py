"""Bulk (DuckDB) validation of plain extracts gives exactly what per-record Python gives."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.mds import connect, staging
from carecover.mds.staging import is_plain_csv
from carecover.mds.store import load_file
from tests.mds.factories import changes, raw, write_extract

DATES = st.sampled_from(
    ["", "20260101", "2026-02-28", "20260230", "2026-13-01", "19891231", "19000101",
     "2026131", "abc", "00000101", "20260315", "2026-03-15", "21000101"]
)  # fmt: skip
CODES = st.sampled_from(["", "01", "02", "10", "11", "12", "99", "1", "2", "7", "08", "x"])
NAMES = st.sampled_from(["Ann", "ann ", "Mary-Ann", "O'Neil", "St. John", "", "LEE", "de la Cruz"])
SSNS = st.sampled_from(["", "123-45-6780", "123456780", "000000000", "12345", "987 65 4320"])
FIELDS = changes(DATES, CODES, NAMES, SSNS)


def _dump(con: Any) -> tuple[list[Any], list[Any]]:
    a = con.execute(
        "SELECT * EXCLUDE (source_file) FROM mds_assessments ORDER BY record"
    ).fetchall()
    q = con.execute("SELECT * EXCLUDE (source_file) FROM mds_quarantine ORDER BY record").fetchall()
    return a, q


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FIELDS, min_size=1, max_size=12))
def test_bulk_and_per_record_loading_store_the_same_rows(items: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_extract(Path(tmp) / "x.csv", [raw(**c) for c in items])
        assert is_plain_csv(path)
        fast, slow = connect(None), connect(None)
        a = load_file(fast, path)
        b = load_file(slow, path, bulk=False)
        assert (a.loaded, a.quarantined) == (b.loaded, b.quarantined)
        assert b.loaded_in_bulk == 0
        assert _dump(fast) == _dump(slow)
        fast.close()
        slow.close()


def test_a_plain_extract_is_validated_in_sql(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "p.csv", [raw(), raw(A2300="2026-03-02"), raw(A0800="9")])
    result = load_file(connect(None), path)
    assert (result.loaded, result.loaded_in_bulk, result.quarantined) == (2, 2, 1)


def test_a_file_with_quotes_or_blank_lines_takes_the_per_record_path(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "q.csv", [raw(A0500A="Ann, Jr"), raw()])
    assert not is_plain_csv(path)
    blank = tmp_path / "b.csv"
    blank.write_text((tmp_path / "q.csv").read_text().replace('"Ann, Jr"', "Ann") + "\n")
    assert not is_plain_csv(blank)
    con = connect(None)
    assert (load_file(con, path).loaded, load_file(con, blank).loaded_in_bulk) == (2, 0)


def test_a_row_with_more_fields_than_the_header_is_refused_by_both_paths(
    tmp_path: Path,
) -> None:
    # Extra fields are never dropped silently (issue 12 §2): the line is named, nothing loads.
    path = write_extract(tmp_path / "w.csv", [raw(), raw(A2300="20260302")])
    path.write_text(path.read_text().rstrip("\n") + ",extra\n")
    for bulk in (True, False):
        con = connect(None)
        with pytest.raises(InputError, match=r"w\.csv:3: 21 fields, more than the header's 20"):
            load_file(con, path, bulk=bulk)
        assert con.execute("SELECT count(*) FROM mds_assessments").fetchall() == [(0,)]


def test_rows_of_blank_cells_are_skipped_like_the_csv_reader_does(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "e.csv", [raw(), dict.fromkeys(raw(), " "), raw()])
    fast, slow = connect(None), connect(None)
    assert load_file(fast, path).loaded == 2
    load_file(slow, path, bulk=False)
    assert _dump(fast) == _dump(slow)


def _plain_oracle(data: bytes) -> bool:
    """Plain, read whole: printable ASCII, no quote, no empty line, every \\r before a \\n."""
    printable = not data.translate(None, bytes(range(0x20, 0x7F)) + b"\r\n")
    lines_ok = b"\n\n" not in b"\n" + data and b"\n\r\n" not in b"\n" + data
    return printable and b'"' not in data and lines_ok and data.count(b"\r") == data.count(b"\r\n")


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(st.sampled_from([b"a", b",", b" ", b"\r", b"\n", b"\r\n", b'"', b"\t"])).map(
        b"".join
    ),
    chunk=st.integers(min_value=1, max_value=5),
)
def test_the_plain_check_read_in_chunks_agrees_with_reading_the_file_whole(
    data: bytes, chunk: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "_CHUNK", chunk)
        path = Path(tmp) / "x.csv"
        path.write_bytes(data)
        assert is_plain_csv(path) == _plain_oracle(data)
