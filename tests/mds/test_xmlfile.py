"""MDS XML: any DOCTYPE is refused in every encoding; a damaged .xml gets an XML message."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.mds import connect
from carecover.mds.store import load_file
from carecover.mds.xmlfile import parse_assessment_xml
from tests.conftest import REPO

ASSESSMENT = (REPO / "tests" / "fixtures" / "mds" / "assessment.xml").read_text(encoding="utf-8")
WITH_DTD = ASSESSMENT.replace(
    "<ASSESSMENT>", '<!DOCTYPE ASSESSMENT SYSTEM "http://example.invalid/mds.dtd">\n<ASSESSMENT>'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_is_refused_whatever_the_encoding(encoding: str) -> None:
    # Before: the check looked for the bytes "<!DOCTYPE", so UTF-16 slipped through.
    text = WITH_DTD.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    with pytest.raises(InputError, match="DOCTYPE"):
        parse_assessment_xml(text.encode(encoding), "a.xml")


def test_a_utf16_assessment_without_a_doctype_loads(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(ASSESSMENT.replace('"UTF-8"', '"UTF-16"').encode("utf-16"))
    assert load_file(connect(None), path).loaded == 1


def test_a_utf16_file_with_an_external_dtd_loads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(WITH_DTD.replace('"UTF-8"', '"UTF-16"').encode("utf-16"))
    con = connect(None)
    with pytest.raises(InputError, match="DOCTYPE"):
        load_file(con, path)
    assert con.execute("SELECT count(*) FROM mds_assessments").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "the file is empty"), (b"junk before <ASSESSMENT/>", "does not start like XML")],
)
def test_an_empty_or_junk_xml_file_gets_an_xml_message(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as caught:
        load_file(connect(None), path)
    assert "CSV" not in str(caught.value)
    assert "expected an MDS XML assessment" in str(caught.value)
