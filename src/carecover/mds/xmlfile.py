"""MDS 3.0 XML assessment files (one assessment per file), alone or zipped.

Each file holds one assessment whose item tags are element names
(``<ASSESSMENT><A0310F>01</A0310F>...``); elements named like the extract
columns (``extract.COLUMNS``) are read, anything else is ignored. Parsing is
locked down: lxml with ``resolve_entities=False``, ``no_network``, no DTD
loading, and any DOCTYPE refused (in any encoding); a ZIP is opened by the
project's one guard (``filekind.zip_members``) with ``XmlLimits`` (member
count, member and total size, compression ratio, unsafe names, encrypted members).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from carecover.errors import InputError
from carecover.filekind import (
    HEAD_BYTES,
    Kind,
    ZipLimits,
    declares_doctype,
    sniff,
    sniff_bytes,
    zip_members,
)
from carecover.mds.extract import COLUMNS, RawRecord

__all__ = ["XmlLimits", "is_zip", "parse_assessment_xml", "read_xml_assessments"]


@dataclass(frozen=True)
class XmlLimits:
    """Limits applied before any XML is parsed (all configurable)."""

    max_document_bytes: int = 4 * 1024 * 1024
    max_zip_members: int = 200_000
    max_zip_total_bytes: int = 2 * 1024**3
    max_compression_ratio: float = 200.0


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )


def parse_assessment_xml(data: bytes, name: str) -> RawRecord:
    """The items of one MDS XML assessment document, as a raw record."""
    found = sniff_bytes(data[:HEAD_BYTES])
    if found.kind is not Kind.XML:
        raise InputError(f"not an XML document ({found.kind.value} file)", file=name)
    # Decoded, so a UTF-16 document cannot hide its DOCTYPE from the check.
    if declares_doctype(data[:HEAD_BYTES]):
        raise InputError("a DOCTYPE or entity declaration is not allowed", file=name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc}", file=name) from None
    # Backstop for an encoding the check above cannot decode: what the parser saw.
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError("a DOCTYPE or entity declaration is not allowed", file=name)
    wanted = set(COLUMNS)
    record = dict.fromkeys(COLUMNS, "")
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str):
            key = etree.QName(tag).localname.upper()
            if key in wanted and element.text:
                record[key] = element.text.strip()
    return record


def is_zip(path: Path) -> bool:
    """Whether ``path`` starts like a ZIP archive."""
    return sniff(path).kind is Kind.ZIP


def read_xml_assessments(
    path: Path, limits: XmlLimits | None = None
) -> Iterator[tuple[str, RawRecord]]:
    """Yield ``(name, record)`` for an XML file or every ``.xml`` member of a ZIP."""
    limits = limits or XmlLimits()
    if not is_zip(path):
        if path.stat().st_size > limits.max_document_bytes:
            raise InputError("the XML document is over the size limit", file=str(path))
        yield path.name, parse_assessment_xml(path.read_bytes(), str(path))
        return
    zip_limits = ZipLimits(
        max_members=limits.max_zip_members,
        max_member_bytes=limits.max_document_bytes,
        max_total_bytes=limits.max_zip_total_bytes,
        max_compression_ratio=limits.max_compression_ratio,
    )
    members = zip_members(path, zip_limits)
    with zipfile.ZipFile(path) as archive:
        for info in members:
            name = f"{path.name}!{info.filename}"
            try:
                with archive.open(info) as handle:
                    # Headers can lie: never read more than the limit allows.
                    data = handle.read(limits.max_document_bytes + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise InputError(f"a damaged ZIP member: {exc}", file=name) from None
            if len(data) > limits.max_document_bytes:
                raise InputError("the XML document is over the size limit", file=name)
            yield info.filename, parse_assessment_xml(data, name)
