"""What a public file's bytes tell before DuckDB parses it: encoding and minus signs.

``pbj measures FILE`` reads the file once in DuckDB and, at the same time, once
in Python (DuckDB lets go of the GIL). The Python pass answers two questions
cheaply, chunk by chunk:

- Is the text UTF-8 (with or without BOM) or cp1252? DuckDB checks UTF-8 only
  in the columns it reads, so a bad byte elsewhere must be caught here; the
  careful loader then names its line.
- Can any field hold a negative number? DuckDB parses ``-1.5``, ``" -1.5"``,
  ``"\\t-1.5"`` and even ``+-1.5`` as negative numbers: a minus sign after
  the start of a field, whitespace, quotes and plus signs. A file without such a minus sign anywhere
  has no negative hours in any column. Hyphens inside words and ISO dates
  (``2024-04-01``) are not minus signs. (The measures no longer use this to
  skip the ``_emp`` columns: they must check them for NaN, infinite and
  implausible values too, which no byte pass can rule out; see
  ``plausible``.)
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileBytes", "read_file_bytes"]

_BOM = b"\xef\xbb\xbf"
_NOT_CP1252 = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
_CHUNK = 1 << 22
# What DuckDB skips before a number's minus sign (checked for every byte:
# whitespace, and one plus sign, as in "+-3"), and the quotes around a
# field. Newlines stay, so a minus sign at the start of a line is still seen.
_BLANKS = b' \t\r\v\f"+'


@dataclass(frozen=True)
class FileBytes:
    """What one pass over a file's bytes found."""

    encoding: str | None
    """``utf-8`` or ``cp1252``; ``None``: neither (NUL bytes, a BOM before bad
    UTF-8, or a byte cp1252 lacks)."""
    minus_signs: bool
    """Some field may start with a minus sign (a negative number)."""


def read_file_bytes(path: Path, *, chunk: int = _CHUNK) -> FileBytes:
    """Read ``path`` once and tell its encoding and whether it may hold negative numbers.

    ``chunk``: bytes read at a time (the answer does not depend on it).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, cp1252_ok, minus = True, True, False
    before = b"\n"  # the last byte that is not a blank, carried across chunks
    with path.open("rb") as handle:
        head = handle.read(65536)
        if b"\x00" in head:
            return FileBytes(None, False)  # UTF-16 or binary
        bom = head.startswith(_BOM)
        handle.seek(0)
        block = handle.read(chunk)
        while block:
            ascii_only = block.isascii()
            if not ascii_only and cp1252_ok and _NOT_CP1252.search(block):
                cp1252_ok = False
            if utf8 and (not ascii_only or decoder.getstate()[0]):
                # A multi-byte sequence may be split by the block boundary:
                # the incremental decoder keeps the pending bytes.
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    if bom:
                        return FileBytes(None, False)
                    utf8 = False
            if not minus and b"-" in block:
                packed = before + block.translate(None, _BLANKS)
                minus = b",-" in packed or b"\n-" in packed
            kept = block.rstrip(_BLANKS)
            before = kept[-1:] or before
            block = handle.read(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if bom:
                return FileBytes(None, minus)
            utf8 = False
    if utf8:
        return FileBytes("utf-8", minus)
    return FileBytes("cp1252" if cp1252_ok else None, minus)
