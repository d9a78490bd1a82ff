"""One file-kind detector: what a file is, from its bytes, in any encoding."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecover.errors import InputError
from carecover.filekind import (
    Kind,
    ZipLimits,
    declares_doctype,
    require_text,
    require_xml,
    sniff,
    sniff_bytes,
    utf8_copy,
    zip_members,
)

XML = '<?xml version="1.0"?>\n<nursingHomeData/>'
CSV = "PROVNUM,WorkDate\n015001,20240401\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("bom", [False, True])
def test_xml_is_xml_in_every_encoding_with_or_without_a_bom(encoding: str, bom: bool) -> None:
    mark = codecs.lookup(encoding).encode("\ufeff")[0] if bom else b""
    found = sniff_bytes(mark + XML.encode(encoding))
    assert found.kind is Kind.XML
    assert found.encoding == encoding
    assert found.bom is bom


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", Kind.EMPTY),
        (b" \r\n\t\n", Kind.EMPTY),
        (codecs.BOM_UTF8, Kind.EMPTY),
        (CSV.encode(), Kind.TEXT),
        ("PROVNAME\nCAF\u00c9 \u2019S\n".encode("cp1252"), Kind.TEXT),
        (b"PK\x03\x04rest", Kind.ZIP),
        (b"PK\x05\x06" + b"\x00" * 18, Kind.ZIP),
        (b"a,b\n1,\x00\n", Kind.BINARY),
        (bytes(range(256)) * 4, Kind.BINARY),
    ],
)
def test_it_tells_the_kind_of_a_file(data: bytes, kind: Kind) -> None:
    assert sniff_bytes(data).kind is kind


def test_a_stray_control_character_in_text_is_still_text() -> None:
    assert sniff_bytes(b"name\nAnn\x0bLee\n" + CSV.encode() * 20).kind is Kind.TEXT


def test_utf16_text_is_text_and_wide() -> None:
    found = sniff_bytes(CSV.encode("utf-16"))
    assert (found.kind, found.wide) == (Kind.TEXT, True)


@given(st.binary(max_size=2048))
def test_any_bytes_get_a_kind_and_never_an_exception(data: bytes) -> None:
    assert sniff_bytes(data).kind in set(Kind)
    assert declares_doctype(data) in {True, False}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_is_found_after_decoding(encoding: str) -> None:
    text = XML.replace("<nursingHomeData", '<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<x')
    assert declares_doctype(text.encode(encoding))
    assert not declares_doctype(XML.encode(encoding))


def test_a_directory_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        sniff(tmp_path)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty; expected a CSV file"),
        (XML.encode(), "this is an XML document; expected a CSV file"),
        (CSV.encode("utf-16"), "UTF-16"),
        (b"a,b\n1,2\n3,\x004\n", r"x\.csv:3: a NUL byte"),
    ],
)
def test_require_text_says_what_the_file_is(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=words):
        require_text(path)


def test_require_xml_says_when_a_file_does_not_start_like_xml(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(b"junk<x/>")
    with pytest.raises(InputError, match="does not start like XML"):
        require_xml(path)


LIMITS = ZipLimits(max_members=5, max_member_bytes=10_000, max_total_bytes=15_000)


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_it_lists_the_members_a_loader_may_read(tmp_path: Path) -> None:
    path = zipped(tmp_path / "u.zip", {"a.xml": b"<a/>", "d/": b"", "__MACOSX/._a.xml": b"x"})
    assert [i.filename for i in zip_members(path, LIMITS)] == ["a.xml"]


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"../up.xml": b"<a/>"}, "unsafe member name"),
        ({"C:up.xml": b"<a/>"}, "unsafe member name"),
        ({"notes.txt": b"hi"}, r"not an \.xml file"),
        ({f"{i}.xml": b"<a/>" for i in range(6)}, "6 members, over the limit of 5"),
        ({"big.xml": b"<a>" + b" " * 20_000 + b"</a>"}, "over the limit of 10,000"),
        ({"a.xml": b"\x00" * 9_000, "b.xml": b"\x01" * 9_000}, "compression ratio"),
        ({"d/": b""}, r"holds no \.xml file"),
    ],
)
def test_it_refuses_what_a_zip_must_not_hold(
    tmp_path: Path, members: dict[str, bytes], words: str
) -> None:
    with pytest.raises(InputError, match=words):
        zip_members(zipped(tmp_path / "u.zip", members), LIMITS)


def test_it_refuses_a_zip_that_expands_past_the_total(tmp_path: Path) -> None:
    members = {f"{i}.xml": bytes(range(256)) * 30 for i in range(3)}  # 7,680 bytes each
    path = zipped(tmp_path / "u.zip", members)
    with pytest.raises(InputError, match="expands to 23,040 bytes"):
        zip_members(path, LIMITS)


def test_a_truncated_zip_is_not_readable(tmp_path: Path) -> None:
    path = zipped(tmp_path / "u.zip", {"a.xml": b"<a/>"})
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(InputError, match="not a readable ZIP"):
        zip_members(path, LIMITS)


def test_a_utf8_copy_of_windows_1252_reads_as_its_characters(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_bytes("a,b\n1,CAFÉ – O’HARA\n".encode("cp1252"))
    copy = utf8_copy(source, tmp_path / "copy.csv")
    assert copy.read_text(encoding="utf-8") == "a,b\n1,CAFÉ – O’HARA\n"


def test_a_byte_windows_1252_lacks_is_named_by_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    # Past the first chunk, so the line counts the chunks before it too.
    source.write_bytes(b"a,b\n" + b"1,x\n" * 2_000_000 + b"2,\x81\n")
    with pytest.raises(InputError) as caught:
        utf8_copy(source, tmp_path / "copy.csv")
    assert str(caught.value) == f"{source}:2000002: cannot decode byte 0x81 as Windows-1252"
