"""Loading PBJ submission XML (employee-level hours) into the staffing store.

``load_xml`` takes one upload (an XML file or a ZIP of them) through three steps:

1. **Validate** with ``validation.validate_submission``. A rejected upload
   (any fatal edit) raises ``SubmissionRejectedError`` naming file, line and
   field of the first fatal findings; nothing is written.
2. **Stage**: each document is streamed again (``reader.iter_raw``, lxml
   ``iterparse``, elements freed as they go: no whole-file DOM) and its hour
   entries are appended, in batches of ``BATCH`` entries, to a temporary
   table: one Arrow table and one ``INSERT ... SELECT`` per batch.
3. **Apply**, in one transaction per upload, following the document's
   ``staffingHours/@processType`` (cms-staffing-methodology.md §1.2):

   - ``replace``: every ``employee_hours`` row of the same state, facility
     and quarter is deleted first, then the file's entries go in. A
     ``replace`` with an empty section therefore empties the facility-quarter
     (CMS behaviour per one third-party source, **UNCONFIRMED**; the
     validator warns with CC-14).
   - ``merge``: the file's employee-days are added; an employee-day the
     store already holds for that facility is overwritten as a whole (all its
     hour entries), every other row is kept. What CMS itself does on merge is
     **UNCONFIRMED** (docs/pbj-export.md); this is the per-employee-day
     reading.

   Work days outside the header's quarter are not loaded, as CMS does not
   process them (edit -1010, a warning). ``<employees>`` records are upserted
   into ``employees``: a missing hire or termination date keeps the one
   already stored.

The upload's SHA-256 goes into ``loaded_files``: loading the same bytes
again is skipped and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from carecover.errors import InputError
from carecover.pbj.submission.edits import Finding, edit
from carecover.pbj.submission.reader import (
    RawEmployee,
    RawHeader,
    RawStaffHours,
    RawWorkDay,
    SectionEnd,
    iter_raw,
)
from carecover.pbj.submission.records import Header, header_from_raw
from carecover.pbj.submission.validation import ValidationReport, validate_submission
from carecover.pbj.submission.xmlsafe import ByteStream, Limits, XmlSource, open_sources, pbj_schema
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "BATCH",
    "KIND",
    "RecordsCallback",
    "SubmissionRejectedError",
    "XmlLoadResult",
    "file_sha256",
    "load_xml",
]

KIND = "pbj_xml"
BATCH = 50_000
"""Hour entries staged per INSERT."""

RecordsCallback = Callable[[int, int], None]
"""Called with (bytes of the upload read so far, hour entries read so far)."""

_SHOWN_FINDINGS = 3


class SubmissionRejectedError(InputError):
    """The upload failed a fatal PBJ edit; ``report`` is the whole validation report."""

    def __init__(self, path: Path, report: ValidationReport) -> None:
        fatal = [f for f in report.findings if f.severity == "fatal"]
        total = sum(n for k, n in report.counts.items() if _is_fatal(k))
        first = fatal[0] if fatal else None
        shown = "; ".join(_finding_text(f, path) for f in fatal[1:_SHOWN_FINDINGS])
        message = f"[{first.edit}] {first.message}" if first else "rejected"
        message += f" (submission rejected: {total} fatal finding(s), nothing loaded"
        message += f"; also {shown})" if shown else ")"
        super().__init__(
            message,
            file=_where(first, path) if first else str(path),
            line=first.line if first else None,
            field=first.field if first else None,
        )
        self.report = report


def _is_fatal(edit_id: str) -> bool:
    return edit(edit_id).severity == "fatal"


def _where(finding: Finding, path: Path) -> str:
    # In a ZIP, the finding names the member; say both.
    if finding.file and finding.file != path.name:
        return f"{path}[{finding.file}]"
    return str(path)


def _finding_text(finding: Finding, path: Path) -> str:
    place = ":".join(str(p) for p in (_where(finding, path), finding.line) if p is not None)
    field_name = f" {finding.field}:" if finding.field else ""
    return f"{place}:{field_name} [{finding.edit}] {finding.message}"


@dataclass(frozen=True)
class XmlLoadResult:
    """What loading one PBJ upload did."""

    file: str
    sha256: str
    rows_loaded: int  # hour entries written
    rows_removed: int  # earlier hour entries a replace or merge took out
    outside_quarter: int  # hour entries on dates outside the header's quarter (not loaded)
    employees: int  # <employee> records upserted
    documents: tuple[str, ...]  # "STATE FACILITY QUARTER processType" per document
    quarters: tuple[str, ...]
    warnings: int  # warning findings of the validation (the upload was accepted)
    skipped: bool  # the same bytes were loaded before
    kind: str = KIND
    rows_quarantined: int = 0  # XML is all-or-nothing: never any


@dataclass
class _Document:
    index: int
    header: Header | None = None
    process_type: str | None = None
    has_hours_section: bool = False
    employees: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)


class _Counting:
    """A byte stream that adds what it reads to ``counter[0]``."""

    def __init__(self, stream: ByteStream, counter: list[int]) -> None:
        self._stream = stream
        self._counter = counter

    def read(self, size: int = -1, /) -> bytes:
        data = self._stream.read(size)
        self._counter[0] += len(data)
        return data

    def close(self) -> None:
        self._stream.close()


def _counted(source: XmlSource, counter: list[int]) -> XmlSource:
    def opener() -> ByteStream:
        counter[0] = 0  # iter_raw reads the prolog first, then opens again
        return _Counting(source.open(), counter)

    return XmlSource(source.name, source.size, opener)


def file_sha256(path: Path) -> str:
    """The SHA-256 of the bytes of ``path`` (read in chunks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


_STAGE_DDL = (
    "CREATE OR REPLACE TEMP TABLE xml_stage (doc INTEGER, employee_id VARCHAR, "
    "workdate VARCHAR, hours VARCHAR, job VARCHAR, pay VARCHAR)"
)


class _Stager:
    """Collects hour entries as text and inserts them in vectorised batches."""

    def __init__(self, con: DuckDBPyConnection, on_batch: Callable[[int], None], size: int) -> None:
        self.con = con
        self.on_batch = on_batch
        self.size = size
        self.total = 0
        self.columns: tuple[list[int], list[str], list[str], list[str], list[str], list[str]] = (
            [],
            [],
            [],
            [],
            [],
            [],
        )

    def add_block(self, doc: int, block: RawStaffHours) -> None:
        docs, employees, days, hours, jobs, pays = self.columns
        values = block.values
        for start, end in zip(block.starts, block.ends, strict=True):
            n = (end - start - 1) // 3
            docs.extend([doc] * n)
            employees.extend([block.employee_id] * n)
            days.extend([values[start]] * n)
            hours.extend(values[start + 1 : end : 3])
            jobs.extend(values[start + 2 : end : 3])
            pays.extend(values[start + 3 : end : 3])
        self._maybe_flush()

    def add_day(self, doc: int, day: RawWorkDay) -> None:
        docs, employees, days, hours, jobs, pays = self.columns
        for h, j, p in day.entries:
            docs.append(doc)
            employees.append(day.employee_id or "")
            days.append(day.date or "")
            hours.append(h or "")
            jobs.append(j or "")
            pays.append(p or "")
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.columns[0]) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.columns[0]:
            return
        import pyarrow as pa  # type: ignore[import-untyped]

        # Arrow converts the Python lists in C: far faster than binding list parameters.
        batch = pa.table(
            {
                "doc": pa.array(self.columns[0], pa.int32()),
                "employee_id": pa.array(self.columns[1], pa.string()),
                "workdate": pa.array(self.columns[2], pa.string()),
                "hours": pa.array(self.columns[3], pa.string()),
                "job": pa.array(self.columns[4], pa.string()),
                "pay": pa.array(self.columns[5], pa.string()),
            }
        )
        self.con.register("xml_batch", batch)
        try:
            self.con.execute("INSERT INTO xml_stage SELECT * FROM xml_batch")
        finally:
            self.con.unregister("xml_batch")
        self.total += len(self.columns[0])
        for column in self.columns:
            column.clear()
        self.on_batch(self.total)


def _stage(
    con: DuckDBPyConnection,
    path: Path,
    limits: Limits,
    on_records: RecordsCallback | None,
    batch_size: int,
) -> list[_Document]:
    sources = open_sources(path, limits)
    file_size = path.stat().st_size
    total_size = sum(s.size for s in sources) or 1
    done_before = [0]
    counter = [0]

    def report(records: int) -> None:
        if on_records is not None:
            read = done_before[0] + counter[0]
            on_records(min(file_size, read * file_size // total_size), records)

    stager = _Stager(con, report, max(1, batch_size))
    documents: list[_Document] = []
    for index, source in enumerate(sources):
        doc = _Document(index)
        documents.append(doc)
        counted = _counted(source, counter)
        # With the schema, lxml hands over whole schema-valid <staffHours> blocks (fast path).
        for item in iter_raw(
            counted, schema=pbj_schema(), max_element_bytes=limits.max_element_bytes
        ):
            if isinstance(item, RawStaffHours):
                stager.add_block(index, item)
            elif isinstance(item, RawWorkDay):
                stager.add_day(index, item)
            elif isinstance(item, RawEmployee):
                doc.employees.append((item.employee_id, item.hire_date, item.termination_date))
            elif isinstance(item, RawHeader):
                doc.header = header_from_raw(item, source.name)
            elif isinstance(item, SectionEnd) and item.tag == "staffingHours":
                doc.process_type = (item.attributes.get("processType") or "").strip()
                doc.has_hours_section = True
        stager.flush()
        done_before[0] += source.size
        counter[0] = 0
        report(stager.total)
    return documents


_TYPED = """
CREATE OR REPLACE TEMP TABLE xml_typed AS
SELECT doc, trim(employee_id) AS employee_id, TRY_CAST(trim(workdate) AS DATE) AS workdate,
       TRY_CAST(trim(hours) AS DECIMAL(6, 2))::DOUBLE AS hours,
       TRY_CAST(trim(job) AS INTEGER) AS job_title_code,
       TRY_CAST(trim(pay) AS INTEGER) AS pay_type_code,
       workdate AS raw_date, hours AS raw_hours, job AS raw_job, pay AS raw_pay
FROM xml_stage
"""


def _check_typed(con: DuckDBPyConnection, path: Path) -> None:
    """Accepted files hold only readable values; refuse rather than load a guess."""
    bad = con.execute(
        "SELECT employee_id, raw_date, raw_hours, raw_job, raw_pay, workdate IS NULL, "
        "hours IS NULL, job_title_code IS NULL FROM xml_typed WHERE workdate IS NULL "
        "OR hours IS NULL OR job_title_code IS NULL OR pay_type_code IS NULL LIMIT 1"
    ).fetchall()
    if bad:
        employee, raw_date, raw_hours, raw_job, raw_pay, no_date, no_hours, no_job = bad[0]
        name, value = (
            ("date", raw_date)
            if no_date
            else ("hours", raw_hours)
            if no_hours
            else ("jobTitleCode", raw_job)
            if no_job
            else ("payTypeCode", raw_pay)
        )
        raise InputError(
            f"employee {employee}: unreadable value {value!r}", file=str(path), field=name
        )


def _apply(
    con: DuckDBPyConnection, doc: _Document, path: Path, digest: str
) -> tuple[int, int, int, int]:
    """Write one staged document; returns (loaded, removed, outside quarter, employees)."""
    assert doc.header is not None
    quarter = doc.header.quarter
    key = [doc.header.state_code.upper(), doc.header.facility_id, str(quarter)]
    ((before,),) = con.execute("SELECT count(*) FROM employee_hours").fetchall()
    in_quarter = "doc = ? AND workdate BETWEEN ? AND ?"
    params = [doc.index, quarter.start, quarter.end]
    if doc.process_type == "replace":
        con.execute(
            "DELETE FROM employee_hours WHERE state = ? AND facility_id = ? AND quarter = ?", key
        )
    elif doc.has_hours_section:
        con.execute(
            "DELETE FROM employee_hours WHERE state = ? AND facility_id = ? AND quarter = ? "
            "AND (employee_id, workdate) IN "
            f"(SELECT DISTINCT employee_id, workdate FROM xml_typed WHERE {in_quarter})",
            key + params,
        )
    ((after,),) = con.execute("SELECT count(*) FROM employee_hours").fetchall()
    con.execute(
        "INSERT INTO employee_hours SELECT ?, ?, ?, employee_id, workdate, job_title_code, "
        f"pay_type_code, hours, ?, ? FROM xml_typed WHERE {in_quarter}",
        [*key, str(path), digest, *params],
    )
    ((loaded, outside),) = con.execute(
        f"SELECT count(*) FILTER ({in_quarter}), count(*) FILTER (doc = ?) - count(*) FILTER "
        f"({in_quarter}) FROM xml_typed",
        [*params, doc.index, *params],
    ).fetchall()
    employees = _upsert_employees(con, doc, key[0], key[1], path)
    return int(loaded), int(before - after), int(outside), employees


def _upsert_employees(
    con: DuckDBPyConnection, doc: _Document, state: str, facility: str, path: Path
) -> int:
    # One row per employee: ON CONFLICT cannot update a row twice in one statement.
    latest: dict[str, tuple[str | None, str | None]] = {}
    for raw_id, hire, term in doc.employees:
        employee = (raw_id or "").strip()
        if employee:
            old_hire, old_term = latest.get(employee, (None, None))
            latest[employee] = (hire or old_hire, term or old_term)
    if not latest:
        return 0
    ids = list(latest)
    hires = [latest[e][0] for e in ids]
    terms = [latest[e][1] for e in ids]
    con.execute(
        "INSERT INTO employees SELECT $1, $2, employee_id, TRY_CAST(trim(hire) AS DATE), "
        "TRY_CAST(trim(term) AS DATE), $3 FROM (SELECT unnest($4) AS employee_id, "
        "unnest($5) AS hire, unnest($6) AS term) "
        "ON CONFLICT DO UPDATE SET "
        "hire_date = coalesce(excluded.hire_date, employees.hire_date), "
        "termination_date = coalesce(excluded.termination_date, employees.termination_date), "
        "source_file = excluded.source_file",
        [state, facility, str(path), ids, hires, terms],
    )
    return len(ids)


def load_xml(
    con: DuckDBPyConnection,
    path: str | Path,
    *,
    submitted_on: date | None = None,
    limits: Limits | None = None,
    on_records: RecordsCallback | None = None,
    batch_size: int = BATCH,
) -> XmlLoadResult:
    """Validate one PBJ upload and load its hours into the store, atomically and idempotently.

    ``submitted_on`` is the day the validation assumes (default today);
    ``on_records`` hears (bytes read, hour entries read) after each batch.
    """
    file = Path(path)
    limits = limits or Limits()
    open_sources(file, limits)  # size and ZIP guards before anything is hashed or parsed
    digest = file_sha256(file)
    seen = con.execute("SELECT quarters FROM loaded_files WHERE sha256 = ?", [digest]).fetchall()
    if seen:
        quarters = tuple(q for q in seen[0][0].split(",") if q)
        return XmlLoadResult(str(file), digest, 0, 0, 0, 0, (), quarters, 0, skipped=True)
    report = validate_submission(file, submitted_on=submitted_on, limits=limits)
    if report.status == "rejected":
        raise SubmissionRejectedError(file, report)
    warnings = sum(n for k, n in report.counts.items() if not _is_fatal(k))
    try:
        con.execute(_STAGE_DDL)
        documents = _stage(con, file, limits, on_records, batch_size)
        con.execute(_TYPED)
        _check_typed(con, file)
        result = _commit(con, file, digest, documents, warnings)
    finally:
        con.execute("DROP TABLE IF EXISTS xml_stage")
        con.execute("DROP TABLE IF EXISTS xml_typed")
    return result


def _commit(
    con: DuckDBPyConnection, file: Path, digest: str, documents: list[_Document], warnings: int
) -> XmlLoadResult:
    totals = [0, 0, 0, 0]
    labels: list[str] = []
    quarters: set[str] = set()
    con.execute("BEGIN TRANSACTION")
    try:
        ((before,),) = con.execute("SELECT count(*) FROM employee_hours").fetchall()
        for doc in documents:
            if doc.header is None:
                raise InputError("the document has no <header>", file=str(file))
            counts = _apply(con, doc, file, digest)
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            h = doc.header
            labels.append(
                f"{h.state_code.upper()} {h.facility_id} {h.quarter} {doc.process_type or '-'}"
            )
            quarters.add(str(h.quarter))
        # The summary tells what the upload as a whole did (issue 12 §2): a later
        # document of the same upload may take out entries an earlier one just
        # wrote (a merge then a replace of one facility-quarter), which neither
        # count as loaded nor as earlier entries replaced.
        ((after, kept),) = con.execute(
            "SELECT count(*), count(*) FILTER (sha256 = ?) FROM employee_hours", [digest]
        ).fetchall()
        totals[0], totals[1] = int(kept), int(before - (after - kept))
        # One employee in two documents of one facility is one record.
        totals[3] = len(
            {
                (d.header.state_code.upper(), d.header.facility_id, (raw or "").strip())
                for d in documents
                if d.header is not None
                for raw, _, _ in d.employees
                if (raw or "").strip()
            }
        )
        con.execute(
            "INSERT INTO loaded_files (sha256, file, kind, rows_loaded, rows_quarantined, "
            "quarters) VALUES (?, ?, ?, ?, 0, ?)",
            [digest, str(file), KIND, totals[0], ",".join(sorted(quarters))],
        )
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    loaded, removed, outside, employees = totals
    return XmlLoadResult(
        str(file),
        digest,
        loaded,
        removed,
        outside,
        employees,
        tuple(labels),
        tuple(sorted(quarters)),
        warnings,
        skipped=False,
    )
