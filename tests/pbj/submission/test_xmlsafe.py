"""Opening PBJ uploads: size limits, ZIP guards, the locked-down parser."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from carecover.errors import InputError
from carecover.pbj.submission.xmlsafe import Limits, declares_doctype, open_sources, secure_parser

XML = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "xml"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_it_opens_a_plain_xml_file_as_one_source() -> None:
    sources = open_sources(XML / "valid.xml")
    assert [s.name for s in sources] == ["valid.xml"]
    with sources[0].open() as stream:
        assert stream.read(5) == b"<?xml"


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.xml"
    with big.open("wb") as handle:  # sparse: no 2 GB is written
        handle.truncate(2 * 1024**3 + 1)
    with pytest.raises(InputError, match="over the limit"):
        open_sources(big)


def test_it_takes_the_size_limit_from_its_limits(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="over the limit of 100"):
        open_sources(XML / "valid.xml", Limits(max_file_bytes=100))


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.touch()
    with pytest.raises(InputError, match="empty"):
        open_sources(empty)


def test_it_lists_every_xml_member_of_a_zip(tmp_path: Path) -> None:
    data = (XML / "valid.xml").read_bytes()
    upload = _zip(tmp_path / "q.zip", {"a.xml": data, "dir/b.xml": data, "dir/": b""})
    assert [s.name for s in open_sources(upload)] == ["q.zip!a.xml", "q.zip!dir/b.xml"]


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/evil.xml", "dir\\evil.xml", "C:evil.xml"])
def test_it_refuses_zip_member_names_that_could_escape(tmp_path: Path, name: str) -> None:
    upload = _zip(tmp_path / "q.zip", {name: b"<x/>"})
    with pytest.raises(InputError, match="unsafe member name"):
        open_sources(upload)


def test_it_refuses_a_zip_member_that_is_not_xml(tmp_path: Path) -> None:
    upload = _zip(tmp_path / "q.zip", {"notes.txt": b"hello"})
    with pytest.raises(InputError, match=r"not an \.xml file"):
        open_sources(upload)


def test_it_refuses_a_zip_with_too_many_members(tmp_path: Path) -> None:
    upload = _zip(tmp_path / "q.zip", {f"{i}.xml": b"<x/>" for i in range(101)})
    with pytest.raises(InputError, match="101 members"):
        open_sources(upload)


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(tmp_path: Path) -> None:
    upload = _zip(tmp_path / "bomb.zip", {"bomb.xml": b"\0" * (10 * 1024 * 1024)})
    with pytest.raises(InputError, match="compression ratio"):
        open_sources(upload)


def test_it_refuses_a_zip_that_expands_past_the_total_limit(tmp_path: Path) -> None:
    data = (XML / "valid.xml").read_bytes()
    upload = _zip(tmp_path / "q.zip", {"a.xml": data, "b.xml": data})
    with pytest.raises(InputError, match="expands to"):
        open_sources(upload, Limits(max_zip_total_bytes=len(data) + 1))


def test_it_refuses_a_zip_without_xml(tmp_path: Path) -> None:
    upload = _zip(tmp_path / "q.zip", {"dir/": b""})
    with pytest.raises(InputError, match=r"no \.xml file"):
        open_sources(upload)


def test_it_refuses_a_broken_zip(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable ZIP"):
        open_sources(broken)


def test_its_parser_never_reads_an_external_entity() -> None:
    text = (XML / "external_entity.xml").read_bytes()
    root = etree.fromstring(text, secure_parser())
    assert b"root:" not in etree.tostring(root)


def test_it_spots_a_doctype_in_the_prolog() -> None:
    assert declares_doctype((XML / "billion_laughs.xml").read_bytes())
    assert not declares_doctype((XML / "valid.xml").read_bytes())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_is_seen_in_utf16_and_utf32(encoding: str) -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">\n<x/>'
    assert declares_doctype(text.encode(encoding))
    assert not declares_doctype("<x/>".encode(encoding))
