"""One entry point for ``pbj load``: CMS public CSV files and PBJ submission XML.

``load_paths`` looks at each file's first bytes, not its name, to decide:

- a ZIP (``PK``) is a PBJ upload (``xmlstore.load_xml``: one or more XML
  documents); CMS's public files are loaded unzipped;
- a document whose first non-blank character is ``<`` (UTF-8, UTF-16 or
  UTF-32, with or without a byte-order mark: ``carecover.filekind``) is PBJ XML;
- a CSV whose header names the Employee Detail fields is an Employee Detail
  file (``employee_store.load_employee_detail``);
- anything else is a public-use CSV (``loading.load_file``), after whose
  commit the store's derived tables catch up (``derived.refresh``).

Files load in order, each in its own transaction, and loading stops at the
first file that fails (the earlier ones stay loaded; ``on_loaded`` hears about
each as it commits). ``progress`` receives a ``LoadProgress`` after each
batch of records and each file: no UI framework is involved here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from carecover.filekind import Kind, require_xml, sniff
from carecover.pbj.derived import refresh
from carecover.pbj.employees.detail import is_employee_detail
from carecover.pbj.employees.store import load_employee_detail
from carecover.pbj.publicfile.loading import LoadResult, load_file
from carecover.pbj.publicfile.loading import ProgressCallback as BytesCallback
from carecover.pbj.publicfile.loading import load_files as load_public_files
from carecover.pbj.submission.store import XmlLoadResult, load_xml

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "AnyLoadResult",
    "FileFormat",
    "LoadProgress",
    "ProgressCallback",
    "load_files",
    "load_paths",
    "sniff_format",
]

AnyLoadResult = LoadResult | XmlLoadResult


class FileFormat(StrEnum):
    """What a file given to ``pbj load`` holds."""

    PUBLIC_CSV = "public_csv"
    PBJ_XML = "pbj_xml"


@dataclass(frozen=True)
class LoadProgress:
    """Where a multi-file load stands."""

    file: str
    phase: str  # "validating", "loading" or "done"
    files_done: int
    files_total: int
    bytes_done: int  # over all files
    bytes_total: int
    records: int  # rows or hour entries read from the current file so far


ProgressCallback = Callable[[LoadProgress], None]


def sniff_format(path: Path) -> FileFormat:
    """Whether ``path`` is PBJ XML (or a ZIP of it) or a public CSV, from its first bytes.

    The bytes decide (``carecover.filekind``: UTF-16 with or without a BOM
    included); a file named ``.xml`` or ``.zip`` that is neither (empty,
    junk) is refused as XML, not handed to the CSV reader's messages.
    """
    found = sniff(path)
    if found.kind in (Kind.XML, Kind.ZIP):
        return FileFormat.PBJ_XML
    if path.suffix.lower() in {".xml", ".zip"}:
        require_xml(path, what="PBJ submission XML or a ZIP of it")
    return FileFormat.PUBLIC_CSV


def _within(
    tell: Callable[[Path, str, int, int, int], None], file: Path, index: int, start: int
) -> Callable[[int, int], None]:
    """(bytes read in ``file``, records) -> a "loading" report over all files."""

    def report(read: int, records: int) -> None:
        tell(file, "loading", index, start + read, records)

    return report


def load_files(
    con: DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    quarantine: bool = False,
    progress: BytesCallback | None = None,
    on_loaded: Callable[[LoadResult], None] | None = None,
) -> list[LoadResult]:
    """``loading.load_files``, keeping the store's derived tables current after each commit.

    Each file is its own transaction; ``derived.refresh`` follows its commit,
    then ``on_loaded`` hears about it. Stops at the first file that fails.
    """

    def committed(result: LoadResult) -> None:
        refresh(con)
        if on_loaded is not None:
            on_loaded(result)

    return load_public_files(
        con, paths, quarantine=quarantine, progress=progress, on_loaded=committed
    )


def load_paths(
    con: DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    quarantine: bool = False,
    submitted_on: date | None = None,
    progress: ProgressCallback | None = None,
    on_loaded: Callable[[AnyLoadResult], None] | None = None,
) -> list[AnyLoadResult]:
    """Load public CSV files and PBJ XML/ZIP uploads into the store, in order.

    ``quarantine`` applies to CSV rows only (an XML upload loads completely
    or not at all); ``submitted_on`` is the day the XML validation assumes
    (default today).
    """
    files = [Path(p) for p in paths]
    sizes = [f.stat().st_size for f in files]
    total = sum(sizes)
    done = 0
    results: list[AnyLoadResult] = []

    def tell(file: Path, phase: str, index: int, offset: int, records: int) -> None:
        if progress is not None:
            progress(LoadProgress(str(file), phase, index, len(files), offset, total, records))

    for index, (file, size) in enumerate(zip(files, sizes, strict=True)):
        result: AnyLoadResult
        if sniff_format(file) is FileFormat.PBJ_XML:
            tell(file, "validating", index, done, 0)
            result = load_xml(
                con,
                file,
                submitted_on=submitted_on,
                on_records=_within(tell, file, index, done),
            )
        elif is_employee_detail(file):
            # Told by its header: one row per employee, day and job (``employee_store``).
            tell(file, "loading", index, done, 0)
            result = load_employee_detail(con, file)
        else:
            tell(file, "loading", index, done, 0)
            result = load_file(con, file, quarantine=quarantine)
            refresh(con)  # the stored measures of its quarters, after its commit
        results.append(result)
        if on_loaded is not None:
            on_loaded(result)
        done += size
        tell(file, "done", index + 1, done, result.rows_loaded)
    return results
