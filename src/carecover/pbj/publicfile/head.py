"""What a public file's first bytes must show before any reader parses it.

Every reader of CMS's public files (``pbj load``, ``pbj measures FILE``,
``pbj coverage FILE``, ``rating project FILE``) checks the head first, so a
file no reader can use is refused at once, with the same words, whichever
command met it (issue 12 §3, §4):

- not text: empty, a ZIP, an XML document, binary, UTF-16 (``filekind``);
- lines ended by a lone CR (classic Mac OS): no reader here splits them,
  so the file is refused with how to fix it rather than misread;
- a header wider than ``MAX_COLUMNS`` (the nurse file has 33 columns, the
  non-nurse file about 100): a file of 100,000 columns is refused in
  milliseconds instead of being parsed for half a minute.
"""

from __future__ import annotations

from pathlib import Path

from carecover.csvrecords import check_header_width
from carecover.errors import InputError
from carecover.filekind import HEAD_BYTES, Kind, sniff

__all__ = ["MAX_COLUMNS", "check_public_head"]

MAX_COLUMNS = 500
_BOM = b"\xef\xbb\xbf"

_NOT_TEXT = {
    Kind.ZIP: "this is a ZIP archive (unzip CMS's public files before loading them)",
    Kind.XML: "this is an XML document (PBJ submission XML goes to `pbj load`)",
    Kind.BINARY: "binary content or NUL bytes",
}


def check_public_head(path: Path) -> None:
    """Refuse ``path`` unless its head looks like a readable public CSV file."""
    name = str(path)
    found = sniff(path)
    if found.kind is Kind.EMPTY:
        raise InputError("empty file (no header line)", file=name, line=1)
    if found.kind is not Kind.TEXT:
        raise InputError(f"not a text CSV file: {_NOT_TEXT[found.kind]}", file=name)
    if found.wide:
        encoding = (found.encoding or "utf-16").upper()
        raise InputError(
            f"not a text CSV file ({encoding}); save it as UTF-8 (CSV UTF-8) and try again",
            file=name,
        )
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES).removeprefix(_BOM)
    if b"\r" in head and b"\n" not in head:
        raise InputError(
            "the lines end in a lone CR (classic Mac OS line endings), which this reader does"
            " not split; save the file with Windows (CRLF) or Unix (LF) line endings",
            file=name,
        )
    first, newline, _ = head.partition(b"\n")
    if not newline and len(head) == HEAD_BYTES:
        raise InputError(
            f"the header line is longer than {HEAD_BYTES:,} bytes; a public file's header is"
            " a few hundred bytes. Is this the right file?",
            file=name,
            line=1,
        )
    # Commas outside quotes are enough for a bound: a real header has no quoted commas.
    names = first.split(b",")
    check_header_width(
        [n.decode("latin-1") for n in names], limit=MAX_COLUMNS, file=name, what="a public file"
    )
