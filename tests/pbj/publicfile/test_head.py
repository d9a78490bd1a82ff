"""A public file's head is checked before any reader parses it, whichever command reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.pbj.publicfile.head import MAX_COLUMNS, check_public_head
from carecover.pbj.publicfile.scan import measures_scan
from tests.conftest import REPO

PLAIN = REPO / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"
UTF16 = PLAIN.read_text(encoding="utf-8").encode("utf-16")


def test_a_plain_public_file_passes() -> None:
    check_public_head(PLAIN)


def test_cr_only_line_endings_are_refused_with_how_to_fix_them(tmp_path: Path) -> None:
    # Before: _csv.Error "new-line character seen in unquoted field" as a traceback.
    path = tmp_path / "mac.csv"
    path.write_bytes(PLAIN.read_bytes().replace(b"\n", b"\r"))
    with pytest.raises(InputError, match=r"mac\.csv: the lines end in a lone CR .* \(LF\)"):
        check_public_head(path)
    with pytest.raises(InputError, match="lone CR"):
        measures_scan(path)


def test_crlf_line_endings_pass(tmp_path: Path) -> None:
    path = tmp_path / "dos.csv"
    path.write_bytes(PLAIN.read_bytes().replace(b"\n", b"\r\n"))
    check_public_head(path)


def test_a_header_of_100000_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = PLAIN.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + ",X" * 100_000 + "\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wide\.csv:1: the header line is longer than"):
        check_public_head(path)


def test_a_header_wider_than_the_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = PLAIN.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + ",X" * MAX_COLUMNS + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"wide\.csv:1: the header has {MAX_COLUMNS + 33:,}"):
        check_public_head(path)


def zipped(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(PLAIN, "nurse.csv")
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_bytes(b""), "empty file"),
        (
            lambda p: p.write_bytes(PLAIN.read_text().encode("utf-16")),
            r"not a text CSV file \(UTF-16",
        ),
        (lambda p: p.write_bytes(b"<nursingHomeData/>"), "this is an XML document"),
        (zipped, "this is a ZIP archive"),
        (lambda p: p.write_bytes(bytes(range(256)) * 10), "binary"),
    ],
)
def test_a_file_that_is_not_a_text_csv_says_what_it_is(
    tmp_path: Path, make: object, words: str
) -> None:
    path = tmp_path / "x.csv"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputError, match=words):
        check_public_head(path)
