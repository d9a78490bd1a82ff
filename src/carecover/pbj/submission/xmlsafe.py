"""Opening PBJ uploads safely: size limits, ZIP guards and a locked-down XML parser.

A PBJ upload is one XML file or a ZIP holding one or more XML files
(cms-staffing-methodology.md §1.2). Everything here runs *before* the XML
is parsed, so a hostile upload is refused without spending memory on it:

- a file larger than ``Limits.max_file_bytes`` (default 2 GiB) is refused
  from its size on disk;
- a ZIP is refused when it has too many members, a member name that could
  escape a directory, an encrypted member, a total uncompressed size over
  the limit, or a compression ratio typical of a zip bomb; while a member is
  read, the bytes actually produced are counted too (headers can lie);
- the parser never loads a DTD, never resolves entities, never touches the
  network and keeps libxml2's ``huge_tree`` protections on; a document
  that declares a DOCTYPE is refused outright (PBJ files never have one);
- while streaming, ``ReadGuard`` refuses a single element (one employee's
  ``staffHours``) larger than ``Limits.max_element_bytes``, because the
  reader holds one such element in memory at a time.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, Protocol

from lxml import etree

from carecover import filekind
from carecover.errors import InputError

__all__ = [
    "ByteStream",
    "Limits",
    "ReadGuard",
    "XmlSource",
    "declares_doctype",
    "ends_with_closing_tag",
    "open_sources",
    "parser_options",
    "pbj_schema",
    "secure_parser",
]

GIB = 1024**3
# Bytes read from the start of a document to look for a DOCTYPE before parsing.
PROLOG_BYTES = 64 * 1024
# Bytes kept from the end of what the parser read (see ``ends_with_closing_tag``).
TAIL_BYTES = 256


@dataclass(frozen=True)
class Limits:
    """Size limits applied before any XML is parsed (all configurable)."""

    max_file_bytes: int = 2 * GIB
    max_zip_members: int = 100
    max_zip_total_bytes: int = 2 * GIB
    max_compression_ratio: float = 200.0
    # One <staffHours> (an employee's quarter, normally well under 1 MB) is
    # held in memory at a time; a single element larger than this is refused.
    max_element_bytes: int = 64 * 1024 * 1024


class ByteStream(Protocol):
    """What the parser reads from: a binary stream that can be closed."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (all when negative)."""

    def close(self) -> None:
        """Release the stream."""


@dataclass(frozen=True)
class XmlSource:
    """One XML document to parse: a plain file or one member of a ZIP."""

    name: str
    size: int
    opener: Callable[[], ByteStream]

    def open(self) -> ByteStream:
        """A fresh binary stream over the document."""
        return self.opener()


def ends_with_closing_tag(tail: bytes, tag: str) -> bool:
    """Whether ``tail`` (a document's last bytes) ends with ``</tag>`` and blanks.

    With an XSD attached, libxml2 2.14 can end a truncated document's event
    stream as if the root had closed, with no error at all; this cheap check
    decides whether the document must be re-read without the schema.
    """
    text = tail.rstrip(b" \t\r\n\x00")
    return text.endswith(f"</{tag}>".encode()) or text.endswith(f":{tag}>".encode())


def parser_options() -> dict[str, Any]:
    """Keyword arguments that lock an lxml parser (or ``iterparse``) down."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
        # Indentation between elements is not data; dropping it saves time and memory.
        "remove_blank_text": True,
    }


def secure_parser() -> etree.XMLParser:
    """An ``XMLParser`` that never loads DTDs, resolves entities or uses the network."""
    return etree.XMLParser(**parser_options())


@cache
def _schema_document() -> Any:
    data = resources.files("carecover").joinpath("data", "pbj", "nhpbj_4_10_0.xsd").read_bytes()
    return etree.fromstring(data, secure_parser())


def pbj_schema() -> etree.XMLSchema:
    """A fresh validator for CMS's PBJ 4.10.0 schema (``data/pbj/nhpbj_4_10_0.xsd``).

    Fresh on every call because a validator's error log accumulates across
    the documents it checks.
    """
    return etree.XMLSchema(_schema_document())


def declares_doctype(head: bytes) -> bool:
    """Whether the start of a document declares a DOCTYPE or entities, in any encoding.

    The one check of the project (``carecover.filekind.declares_doctype``):
    the head is decoded first, so UTF-16 cannot hide a declaration.
    """
    return filekind.declares_doctype(head)


def open_sources(path: Path, limits: Limits | None = None) -> list[XmlSource]:
    """The XML documents in ``path`` (an XML file or a ZIP of them), after the size checks."""
    limits = limits or Limits()
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError("the file is empty", file=str(path))
    if size > limits.max_file_bytes:
        raise InputError(
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,};"
            " it was not parsed",
            file=str(path),
        )
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(b"PK"):
        return _zip_sources(path, limits)
    return [XmlSource(path.name, size, lambda: path.open("rb"))]


def _zip_sources(path: Path, limits: Limits) -> list[XmlSource]:
    zip_limits = filekind.ZipLimits(
        max_members=limits.max_zip_members,
        max_member_bytes=limits.max_file_bytes,
        max_total_bytes=limits.max_zip_total_bytes,
        max_compression_ratio=limits.max_compression_ratio,
    )
    return [
        XmlSource(f"{path.name}!{info.filename}", info.file_size, _member_opener(path, info))
        for info in filekind.zip_members(path, zip_limits)
    ]


def _member_opener(path: Path, info: zipfile.ZipInfo) -> Callable[[], ByteStream]:
    def opener() -> ByteStream:
        archive = zipfile.ZipFile(path)
        stream = archive.open(info)
        return _BoundedStream(archive, stream, info.file_size, info.filename, where=str(path))

    return opener


class _BoundedStream:
    """A ZIP member stream that stops once it yields more than the header promised."""

    def __init__(
        self, archive: zipfile.ZipFile, raw: IO[bytes], limit: int, name: str, *, where: str = ""
    ) -> None:
        self._where = where or None
        self._archive = archive
        self._raw = raw
        self._left = limit
        self._name = name

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes; ``InputError`` if the member expands past its declared size."""
        try:
            data = self._raw.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InputError(
                f"the ZIP member {self._name!r} is damaged: {exc}", file=self._where
            ) from None
        self._left -= len(data)
        if self._left < 0:
            raise InputError(f"the ZIP member {self._name!r} expands past its declared size")
        return data

    def close(self) -> None:
        """Close the member and its archive."""
        self._raw.close()
        self._archive.close()

    def __enter__(self) -> _BoundedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReadGuard:
    """Counts the bytes the parser reads and stops one element from growing without bound.

    Memory holds one ``<staffHours>`` (or ``<employee>``) at a time; a
    single one larger than ``limit`` bytes is refused rather than built.
    """

    def __init__(self, stream: ByteStream, limit: int, name: str) -> None:
        self.stream, self.limit, self.name = stream, limit, name
        self.total = self.mark = 0
        # The last bytes read: whether the document ends with a closing tag.
        self.tail = b""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes of the document."""
        data = self.stream.read(size)
        self.total += len(data)
        if data:
            self.tail = (self.tail + data)[-TAIL_BYTES:]
        if self.total - self.mark > self.limit:
            raise InputError(
                f"more than {self.limit:,} bytes without the end of an employee or staffHours"
                " element; such a file is refused to keep memory bounded",
                file=self.name,
            )
        return data
