"""What a public file's bytes tell before DuckDB parses it: the encoding (and the SHA-256).

The one encoding check of the PBJ public files (daily and Employee Detail):
the loaders, ``pbj measures`` and the Spark readers all ask it.

``pbj measures FILE`` reads the file once in DuckDB and, at the same time, once
in Python (DuckDB lets go of the GIL). The Python pass answers, chunk by
chunk: is the text UTF-8 (with or without BOM) or cp1252? DuckDB checks UTF-8
only in the columns it reads, so a bad byte elsewhere must be caught here; the
careful loader then names its line.

(It once also told whether any field could hold a minus sign, so that the
measures could skip the ``_emp`` columns: a speed-only shortcut, removed by
issue 14, since no byte pass can rule out NaN, infinite or implausible
values, which the measures must refuse: ``plausible``.)
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["FileBytes", "read_file_bytes"]

_BOM = b"\xef\xbb\xbf"
_NOT_CP1252 = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
_CHUNK = 1 << 22


@dataclass(frozen=True)
class FileBytes:
    """What one pass over a file's bytes found."""

    encoding: str | None
    """``utf-8`` or ``cp1252``; ``None``: neither (NUL bytes, a BOM before bad
    UTF-8, or a byte cp1252 lacks)."""
    sha256: str | None = None
    """The SHA-256 of every byte, when asked for (loaders key files on it)."""


def read_file_bytes(path: Path, *, chunk: int = _CHUNK, sha256: bool = False) -> FileBytes:
    """Read ``path`` once and tell its encoding (and, with ``sha256``, its digest).

    ``chunk``: bytes read at a time (the answer does not depend on it). The
    digest is of every byte, whatever the encoding found.
    """
    digest = hashlib.sha256() if sha256 else None
    with path.open("rb") as handle:
        encoding = _encoding(handle, chunk, digest)
        if digest is not None:
            # Whatever the encoding pass left unread (it stops at a NUL or a bad BOM).
            while block := handle.read(chunk):
                digest.update(block)
    return FileBytes(encoding, digest.hexdigest() if digest is not None else None)


def _encoding(handle: BinaryIO, chunk: int, digest: Any) -> str | None:
    """``utf-8``, ``cp1252`` or ``None`` (see ``FileBytes``), feeding ``digest`` what it reads."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, cp1252_ok = True, True
    head = handle.read(65536)
    if b"\x00" in head:
        handle.seek(0)
        return None  # UTF-16 or binary
    bom = head.startswith(_BOM)
    handle.seek(0)
    while block := handle.read(chunk):
        if digest is not None:
            digest.update(block)
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
                    return None
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if bom:
                return None
            utf8 = False
    if utf8:
        return "utf-8"
    return "cp1252" if cp1252_ok else None
