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
from carecover.pbj.loading import LoadResult
from carecover.pbj.store import connect
from carecover.pbj.xmlstore import XmlLoadResult

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
