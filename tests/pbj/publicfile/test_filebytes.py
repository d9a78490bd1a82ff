"""One pass over a public file's bytes tells its encoding."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

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
    assert read_file_bytes(path) == FileBytes("utf-8")


def test_the_encoding_does_not_depend_on_where_chunks_split_a_character(tmp_path: Path) -> None:
    # "É" is two bytes and "€" three in UTF-8: every chunk size splits one somewhere.
    utf8 = _file(tmp_path, HEADER + "015009,ÉTÉ €,20240401,8,8\n".encode())
    for chunk in range(1, 12):
        assert read_file_bytes(utf8, chunk=chunk) == FileBytes("utf-8"), chunk
    cp1252 = tmp_path / "cp1252.csv"
    cp1252.write_bytes(HEADER + "015009,ÉTÉ €,20240401,8,8\n".encode("cp1252"))
    for chunk in range(1, 12):
        assert read_file_bytes(cp1252, chunk=chunk) == FileBytes("cp1252"), chunk


@pytest.mark.parametrize("data", [HEADER + b"015009,CAF\x81,20240401,8,8\n", b"\xff\xfeP\x00R\x00"])
def test_the_digest_is_of_every_byte_whatever_the_encoding(tmp_path: Path, data: bytes) -> None:
    # Unknown encodings stop the encoding pass early: the digest still reads on.
    path = _file(tmp_path, data * 50_000)
    for chunk in (7, 1 << 22):
        found = read_file_bytes(path, chunk=chunk, sha256=True)
        assert found.encoding is None
        assert found.sha256 == hashlib.sha256(data * 50_000).hexdigest()


def test_the_digest_is_only_read_when_asked_for(tmp_path: Path) -> None:
    path = _file(tmp_path, HEADER)
    assert read_file_bytes(path).sha256 is None
    assert read_file_bytes(path, sha256=True) == FileBytes(
        "utf-8", hashlib.sha256(HEADER).hexdigest()
    )
