"""One pass over a public file's bytes tells its encoding and whether it may hold a negative."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecover.pbj.publicfile.filebytes import FileBytes, read_file_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
HEADER = b"PROVNUM,PROVNAME,WorkDate,Hrs_RN,Hrs_RN_emp\n"


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("nurse_2024Q2_plain.csv", "utf-8"),
        ("utf8_bom.csv", "utf-8"),
        ("cp1252_name.csv", "cp1252"),
        ("utf16.csv", None),
    ],
)
def test_it_tells_the_encoding_of_the_fixtures(name: str, encoding: str | None) -> None:
    assert read_file_bytes(FIXTURES / name).encoding == encoding


def test_a_byte_that_cp1252_lacks_makes_the_encoding_unknown(tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER + b"015009,CAF\x81,20240401,8,8\n")
    assert read_file_bytes(path).encoding is None


def test_bad_utf8_after_a_byte_order_mark_makes_the_encoding_unknown(tmp_path: Path) -> None:
    path = _file(tmp_path, b"\xef\xbb\xbf" + HEADER + b"015009,CAF\xe9,20240401,8,8\n")
    assert read_file_bytes(path).encoding is None


def test_utf8_that_cp1252_could_not_read_is_still_utf8(tmp_path: Path) -> None:
    # "Á" is C3 81 in UTF-8; 0x81 has no cp1252 character.
    path = _file(tmp_path, HEADER + "015009,ÁLAMO,20240401,8,8\n".encode())
    assert read_file_bytes(path) == FileBytes("utf-8", False)


@pytest.mark.parametrize(
    "line",
    [
        b"015009,HOME,20240401,-3,8",
        b"015009,HOME,20240401,8,-0.5",
        b'015009,HOME,20240401," -3",8',
        b"015009,HOME,20240401,\t-3,8",
        b'015009,HOME,20240401,8,"\t -1e2"',
        b"015009,HOME,20240401,+-3,8",
        b"-3,HOME,20240401,8,8",
    ],
)
def test_a_minus_sign_at_the_start_of_a_field_is_seen(tmp_path: Path, line: bytes) -> None:
    assert read_file_bytes(_file(tmp_path, HEADER + line + b"\n")).minus_signs


@pytest.mark.parametrize(
    "line",
    [
        b'015009,"SMITH - JONES HOME",20240401,8,8',
        b"015009,WINSTON-SALEM,20240401,8,8",
        b"015009,HOME,2024-04-01,8,8",
        b"015009,HOME,20240401,1e-5,8",
    ],
)
def test_hyphens_in_words_dates_and_exponents_are_not_minus_signs(
    tmp_path: Path, line: bytes
) -> None:
    assert read_file_bytes(_file(tmp_path, HEADER + line + b"\n")) == FileBytes("utf-8", False)


def test_a_minus_sign_split_from_its_comma_by_the_chunk_boundary_is_seen(tmp_path: Path) -> None:
    for gap in range(6):
        # The comma ends one chunk, blanks and the minus sign start the next.
        line = b"015009,HOME,20240401,8," + b" " * gap + b"-2\n"
        path = _file(tmp_path, HEADER + line)
        comma = len(HEADER) + line.index(b"8,") + 2
        assert read_file_bytes(path, chunk=comma).minus_signs, gap
        assert read_file_bytes(path, chunk=comma + 1).minus_signs, gap


_FIELD = st.text(alphabet=' \t\v\f\r"-+.e0123456789xinf', max_size=8)


@settings(max_examples=200, deadline=None)
@given(fields=st.lists(_FIELD, min_size=1, max_size=6), chunk=st.integers(1, 64))
def test_no_field_duckdb_reads_as_negative_hides_from_the_pass(
    tmp_path_factory: pytest.TempPathFactory, fields: list[str], chunk: int
) -> None:
    # DuckDB trims blanks and quotes a CSV reader would strip, then casts.
    con = duckdb.connect()
    values = [
        con.execute("SELECT TRY_CAST(trim(?, ' \t\"') AS DOUBLE)", [f]).fetchone()[0]  # type: ignore[index]
        for f in fields
    ]
    negative = any(v is not None and v < 0 for v in values)
    data = HEADER + ("015009," + ",".join(fields) + "\n").encode()
    path = tmp_path_factory.mktemp("bytes") / "file.csv"
    path.write_bytes(data)
    found = read_file_bytes(path, chunk=chunk)
    assert found == read_file_bytes(path)
    if negative:
        assert found.minus_signs


def test_every_byte_duckdb_s_csv_reader_skips_before_a_minus_sign_is_skipped(
    tmp_path: Path,
) -> None:
    con = duckdb.connect()
    path = tmp_path / "one.csv"
    for code in range(1, 128):
        byte = bytes([code])
        if byte in b'\n\r,"':
            continue  # row and field separators, quotes: the CSV structure itself
        for field in (byte + b"-1", byte + byte + b"-1", byte + b" -1"):
            path.write_bytes(b"a,b\nx," + field + b"\n")
            try:
                ((value,),) = con.execute(
                    f"SELECT b FROM read_csv('{path}', header = true, auto_detect = false, "
                    "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
                    "columns = {'a': 'VARCHAR', 'b': 'DOUBLE'})"
                ).fetchall()
            except duckdb.Error:
                continue
            if value is not None and value < 0:
                assert read_file_bytes(path).minus_signs, field
