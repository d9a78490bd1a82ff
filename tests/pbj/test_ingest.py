"""``load_paths``: CSV or XML decided by content, progress reported, files in order."""

from __future__ import annotations

import codecs
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import InputError
from carecover.pbj.ingest import FileFormat, LoadProgress, load_paths, sniff_format
from carecover.pbj.publicfile.loading import LoadResult
from carecover.pbj.store import connect
from carecover.pbj.submission.store import XmlLoadResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pbj"
VALID = FIXTURES / "xml" / "valid.xml"
CSV = FIXTURES / "nurse_2024Q2_plain.csv"


@pytest.fixture
def con() -> Any:
    connection = connect(":memory:")
    yield connection
    connection.close()


def test_it_sniffs_xml_by_content_whatever_the_name(tmp_path: Path) -> None:
    disguised = tmp_path / "export.csv"
    shutil.copy(VALID, disguised)
    assert sniff_format(disguised) is FileFormat.PBJ_XML
    assert sniff_format(CSV) is FileFormat.PUBLIC_CSV


def test_it_sniffs_xml_after_a_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    bom = tmp_path / "bom.xml"
    bom.write_bytes(codecs.BOM_UTF8 + b"\n\n  " + VALID.read_bytes())
    utf16 = tmp_path / "utf16.dat"
    utf16.write_bytes(codecs.BOM_UTF16_LE + "<nursingHomeData/>".encode("utf-16-le"))
    assert sniff_format(bom) is FileFormat.PBJ_XML
    assert sniff_format(utf16) is FileFormat.PBJ_XML


def test_a_zip_is_a_pbj_upload(tmp_path: Path) -> None:
    upload = tmp_path / "upload.bin"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.write(VALID, "valid.xml")
    assert sniff_format(upload) is FileFormat.PBJ_XML


def test_it_loads_csv_and_xml_into_the_same_store(con: Any) -> None:
    results = load_paths(con, [CSV, VALID])
    assert isinstance(results[0], LoadResult)
    assert isinstance(results[1], XmlLoadResult)
    assert con.execute("SELECT count(*) FROM daily_nurse_staffing").fetchone() == (7,)
    assert con.execute("SELECT count(*) FROM employee_hours").fetchone() == (5,)
    kinds = con.execute("SELECT kind FROM loaded_files ORDER BY kind").fetchall()
    assert kinds == [("nurse",), ("pbj_xml",)]


def test_progress_covers_every_file_and_byte_in_order(con: Any) -> None:
    seen: list[LoadProgress] = []
    load_paths(con, [CSV, VALID], progress=seen.append)
    total = CSV.stat().st_size + VALID.stat().st_size
    assert {p.bytes_total for p in seen} == {total}
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen)
    assert (seen[-1].files_done, seen[-1].bytes_done, seen[-1].phase) == (2, total, "done")
    assert "validating" in {p.phase for p in seen}


def test_it_stops_at_the_first_bad_file_keeping_the_ones_before(con: Any) -> None:
    loaded: list[Any] = []
    bad = FIXTURES / "xml" / "hours_negative.xml"
    with pytest.raises(InputError):
        load_paths(con, [CSV, bad, VALID], on_loaded=loaded.append)
    assert [Path(r.file).name for r in loaded] == [CSV.name]
    assert con.execute("SELECT count(*) FROM employee_hours").fetchone() == (0,)


def utf16_without_bom(path: Path, big_endian: bool = False) -> Path:
    text = VALID.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-16-be" if big_endian else "utf-16-le"))
    return path


@pytest.mark.parametrize("big_endian", [False, True])
def test_bomless_utf16_pbj_xml_loads_as_xml(con: Any, tmp_path: Path, big_endian: bool) -> None:
    # Before: `pbj validate` accepted it but `pbj load` said "not a text CSV file".
    path = utf16_without_bom(tmp_path / "utf16.xml", big_endian)
    assert sniff_format(path) is FileFormat.PBJ_XML
    (result,) = load_paths(con, [path])
    assert isinstance(result, XmlLoadResult)
    assert result.rows_loaded == 5


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"junk<nursingHomeData/>", "does not start like XML"),
        (b"\x00\x01\x02\x03binary" * 50, "binary"),
    ],
)
def test_an_xml_file_that_is_empty_or_junk_gets_an_xml_message(
    con: Any, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "upload.xml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as caught:
        load_paths(con, [path])
    assert "CSV" not in str(caught.value)
    assert "expected PBJ submission XML" in str(caught.value)
