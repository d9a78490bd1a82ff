"""What a file is, told from its first bytes: one detector for every loader.

Loaders must not trust a file's name, and must not let the wrong reader be
the one that complains (a UTF-16 XML file called "not a text CSV file", an
empty ``.xml`` given a CSV header message). Every loader asks ``sniff``
first and refuses what it cannot read with ``require_text`` or
``require_xml``, in the same words everywhere:

- ``EMPTY``: no bytes, or only whitespace;
- ``ZIP``: starts with a ZIP signature (``PK\\x03\\x04``, or ``PK\\x05\\x06``
  for an empty archive);
- ``XML``: after an optional byte-order mark and whitespace, the first
  character is ``<``, in UTF-8, UTF-16 or UTF-32, with or without a BOM
  (BOM-less UTF-16 is told by its zero bytes: ``<\\x00?\\x00`` or
  ``\\x00<\\x00?``);
- ``TEXT``: anything else that decodes (UTF-8, UTF-16 or UTF-32 with a BOM
  or told by its zero bytes, or a single-byte code page) and holds no NUL
  character and few other control characters (1 % at most);
- ``BINARY``: the rest.

``zip_members`` opens a ZIP safely, for every loader that takes one: the
members it may read, after refusing names that could escape a directory,
encrypted members, members of another kind, and sizes or compression ratios
over ``ZipLimits`` (a zip bomb is refused from its headers; readers still
count the bytes a member actually yields).

``utf8_copy`` writes a UTF-8 copy of Windows-1252 text, for a reader that
takes only UTF-8 (DuckDB's CSV reader), naming the line of a byte
Windows-1252 lacks.

``declares_doctype`` looks for a DOCTYPE or entity declaration in the
*decoded* start of a document, so a UTF-16 file cannot hide one from a
byte search; XML parsers then check the parsed document's own DOCTYPE as a
backstop (``pbj.reader``, ``mds.xmlfile``).
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from carecover.errors import InputError

__all__ = [
    "HEAD_BYTES",
    "Kind",
    "Sniffed",
    "ZipLimits",
    "declares_doctype",
    "require_text",
    "require_xml",
    "sniff",
    "sniff_bytes",
    "utf8_copy",
    "zip_members",
]

# Bytes read to tell a file's kind (and to look for a DOCTYPE).
HEAD_BYTES = 64 * 1024
_CHUNK = 1 << 22

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters no text file holds (tab, newline, CR, form feed and
# the cp1252 range 0x80-0x9f are fine).
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\x1a"}


class Kind(StrEnum):
    """What a file holds."""

    EMPTY = "empty"
    ZIP = "zip"
    XML = "xml"
    TEXT = "text"
    BINARY = "binary"


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes of a file tell."""

    kind: Kind
    encoding: str | None
    """The text encoding (``utf-8``, ``utf-16-le``...), ``None`` for ZIP, binary
    or undecided single-byte text; ``bom`` says whether a BOM announced it."""
    bom: bool = False

    @property
    def wide(self) -> bool:
        """The text is UTF-16 or UTF-32 (CSV readers want UTF-8 or cp1252)."""
        return self.encoding is not None and self.encoding.startswith(("utf-16", "utf-32"))


def _bomless_wide(head: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the zero bytes fall in ASCII text."""
    sample = head[:512]
    if len(sample) < 4:
        return None
    if sample[:4] == b"<\x00\x00\x00":
        return "utf-32-le"
    if sample[:4] == b"\x00\x00\x00<":
        return "utf-32-be"
    even = sample[0::2]
    odd = sample[1::2]
    # ASCII in UTF-16: every other byte is zero (the high byte).
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decoded(head: bytes, encoding: str) -> str:
    # Cut to whole code units: the head may end in the middle of a character.
    unit = 4 if encoding.startswith("utf-32") else 2 if encoding.startswith("utf-16") else 1
    return head[: len(head) - len(head) % unit].decode(encoding, errors="replace")


def sniff_bytes(head: bytes) -> Sniffed:
    """The kind of a file whose first bytes are ``head`` (up to ``HEAD_BYTES``)."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Sniffed(Kind.ZIP, None)
    encoding, bom = None, False
    for mark, name in _BOMS:
        if head.startswith(mark):
            encoding, bom, head = name, True, head[len(mark) :]
            break
    if encoding is None:
        encoding = _bomless_wide(head)
    if encoding is None:
        try:
            # A multi-byte character cut at the end of the head is still UTF-8.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = None  # a single-byte code page, or binary
    text = _decoded(head, encoding) if encoding else head.decode("latin-1")
    stripped = text.lstrip()
    if not stripped:
        return Sniffed(Kind.EMPTY, encoding, bom)
    if stripped.startswith("<"):
        return Sniffed(Kind.XML, encoding or "utf-8", bom)
    # A NUL never occurs in text; a stray control character can (a pasted
    # value), many of them cannot.
    controls = sum(1 for c in text if c in _CONTROL)
    if "\x00" in text or controls > max(8, len(text) // 100):
        return Sniffed(Kind.BINARY, None)
    return Sniffed(Kind.TEXT, encoding, bom)


def sniff(path: Path) -> Sniffed:
    """The kind of the file at ``path``, from its first ``HEAD_BYTES`` bytes."""
    if path.is_dir():
        raise InputError("this is a directory, not a file", file=str(path))
    with path.open("rb") as handle:
        return sniff_bytes(handle.read(HEAD_BYTES))


def declares_doctype(head: bytes) -> bool:
    """Whether the start of a document declares a DOCTYPE or entities, in any encoding."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return True
    found = sniff_bytes(head)
    if found.encoding is None or found.encoding == "utf-8":
        return False
    start = len(next((m for m, n in _BOMS if n == found.encoding), b"")) if found.bom else 0
    text = _decoded(head[start:], found.encoding)
    return "<!DOCTYPE" in text or "<!ENTITY" in text


_WHAT = {
    Kind.EMPTY: "the file is empty",
    Kind.ZIP: "this is a ZIP archive",
    Kind.XML: "this is an XML document",
    Kind.BINARY: "this is a binary file, not text",
}


def _nul_line(path: Path) -> int | None:
    """The line of the first NUL byte of a file that is otherwise text, else ``None``."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    at = head.find(b"\x00")
    # Mostly NUL bytes is a binary file (or UTF-16 the sniffer could not tell).
    if at < 0 or head.count(b"\x00") > max(8, len(head) // 100):
        return None
    return head[:at].count(b"\n") + 1


def require_text(path: Path, *, what: str = "a CSV file") -> Sniffed:
    """The sniffed kind of ``path`` if it is UTF-8 or single-byte text; else ``InputError``.

    ``what`` names what the loader expected, for the message.
    """
    found = sniff(path)
    if found.kind is Kind.TEXT and not found.wide:
        return found
    if found.kind is Kind.TEXT:
        reason = f"the text is {found.encoding.upper() if found.encoding else 'UTF-16'}"
        raise InputError(
            f"{reason}, not UTF-8; save it as UTF-8 (CSV UTF-8) and try again", file=str(path)
        )
    line = _nul_line(path) if found.kind is Kind.BINARY else None
    if line is not None:
        raise InputError(
            f"a NUL byte, which no text file holds (a damaged file?); expected {what}",
            file=str(path),
            line=line,
        )
    raise InputError(f"{_WHAT[found.kind]}; expected {what}", file=str(path))


def require_xml(path: Path, *, what: str = "an XML document") -> Sniffed:
    """The sniffed kind of ``path`` if it is XML or a ZIP; else ``InputError`` saying what it is."""
    found = sniff(path)
    if found.kind in (Kind.XML, Kind.ZIP):
        return found
    if found.kind is Kind.TEXT:
        raise InputError(
            f"this does not start like XML (the first character is not '<'); expected {what}",
            file=str(path),
        )
    raise InputError(f"{_WHAT[found.kind]}; expected {what}", file=str(path))


@dataclass(frozen=True)
class ZipLimits:
    """What a ZIP may hold before any member is read (each loader sets its own)."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_compression_ratio: float = 200.0
    suffix: str = ".xml"


def _skipped(info: zipfile.ZipInfo) -> bool:
    # Folders and macOS resource forks carry no data.
    return info.is_dir() or info.filename.startswith("__MACOSX/")


def zip_members(path: Path, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The members of the ZIP ``path`` a loader may read, or ``InputError`` saying why not."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a readable ZIP file: {exc}", file=where) from None
    if len(infos) > limits.max_members:
        raise InputError(
            f"the ZIP has {len(infos)} members, over the limit of {limits.max_members}",
            file=where,
        )
    members = [info for info in infos if not _skipped(info)]
    for info in members:
        _check_member(where, info, limits)
    total = sum(info.file_size for info in members)
    if total > limits.max_total_bytes:
        raise InputError(
            f"the ZIP expands to {total:,} bytes, over the limit of"
            f" {limits.max_total_bytes:,}; it was not unpacked",
            file=where,
        )
    if not members:
        raise InputError(f"the ZIP holds no {limits.suffix} file", file=where)
    return members


def _check_member(where: str, info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    unsafe = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
    )
    if unsafe:
        raise InputError(f"unsafe member name in the ZIP: {name!r}", file=where)
    if not name.lower().endswith(limits.suffix):
        raise InputError(f"the ZIP member {name!r} is not an {limits.suffix} file", file=where)
    if info.flag_bits & 0x1:
        raise InputError(f"the ZIP member {name!r} is encrypted", file=where)
    if info.file_size > limits.max_member_bytes:
        raise InputError(
            f"the ZIP member {name!r} expands to {info.file_size:,} bytes, over the limit of"
            f" {limits.max_member_bytes:,}",
            file=where,
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_compression_ratio:
        raise InputError(
            f"the ZIP member {name!r} has a compression ratio of {ratio:,.0f}:1, over the"
            f" limit of {limits.max_compression_ratio:,.0f}:1 (a possible zip bomb)",
            file=where,
        )


def utf8_copy(path: Path, target: Path) -> Path:
    """``target``, written as a UTF-8 copy of the Windows-1252 text at ``path``.

    A byte Windows-1252 lacks (0x81, 0x8d, 0x8f, 0x90, 0x9d) is an
    ``InputError`` naming the file and its line; ``target`` is then partial
    and the caller's to remove (it lives in the caller's scratch folder).
    """
    lines = 0
    with path.open("rb") as source, target.open("wb") as out:
        # One byte a character: any chunk boundary is safe.
        while chunk := source.read(_CHUNK):
            try:
                out.write(chunk.decode("cp1252").encode("utf-8"))
            except UnicodeDecodeError as error:
                line = lines + chunk[: error.start].count(b"\n") + 1
                raise InputError(
                    f"cannot decode byte 0x{chunk[error.start]:02x} as Windows-1252",
                    file=str(path),
                    line=line,
                ) from None
            lines += chunk.count(b"\n")
    return target
