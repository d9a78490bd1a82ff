"""Loading CMS's PBJ public-use files into the staffing store.

One transaction per file: a file either loads completely or leaves nothing.
A file whose SHA-256 is already in ``loaded_files`` is skipped, and rows are
keyed on (provnum, workdate), so loading twice changes nothing; a different
file carrying the same facility-days (a re-published quarter) replaces them.

Bad rows: by default the first one stops the file with an ``InputError``
naming file, line and field (nothing of the file is kept). With
``quarantine=True`` bad rows go to the ``quarantine`` table with their reason
and raw text and the good rows load. Duplicate facility-days inside one file
always stop the file: which row is right cannot be decided here.

Each file is first read by the fast typed scan (``publicfile.scan_view``);
only when that finds a problem is it re-read line by line (``stage``), so
messages and quarantine rows always carry exact line numbers. The careful
path's fields are typed by the text reader Spark uses (``text.read``,
dates and numbers by ``textvalues``), so a bad file is refused with the
same line and words on both engines.

A nurse file's load marks its quarters as changed (``changes``) in its
transaction; the stored quarterly measures are recomputed after the commit by
``derived.refresh``, which ``ingest.load_files`` and ``ingest.load_paths``
(``pbj load``) call after each file. Until then readers compute from the
daily rows, so loading with this module alone is correct, only slower to read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from carecover.errors import InputError
from carecover.pbj.changes import mark_changed
from carecover.pbj.columns import FileKind, hour_columns
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.pbj.publicfile.rules import duplicate_day, marked, refusal
from carecover.pbj.publicfile.scan import (
    Staged,
    scan_view,
    scanned_rows,
    stage,
    view_problems,
)
from carecover.pbj.publicfile.text import read, text_columns
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["LoadResult", "ProgressCallback", "load_file", "load_files", "loaded_before"]


ProgressCallback = Callable[[int, int], None]
"""Called with (bytes done, bytes total) after each file."""


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did."""

    file: str
    sha256: str
    kind: str
    rows_loaded: int
    rows_quarantined: int
    quarters: tuple[str, ...]
    skipped: bool  # the same bytes were loaded before


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text_select(staged: Staged) -> str:
    """The staged fields as the text reader takes them (``text.text_columns``), and the names.

    The names (provname, city...) are only stored: trimmed, NULL when blank,
    the first non-blank where header drift gives a column two positions.
    """
    header = staged.header
    parts = ["__line"]
    for column in ("provname", "city", "state", "county_name", "county_fips", "hrs_admin_fn"):
        if column == "hrs_admin_fn" and header.kind is not FileKind.NON_NURSE:
            continue
        values = ", ".join(f"nullif(trim(c{p}), '')" for p in header.sources.get(column, ()))
        parts.append(
            f"coalesce({values}, NULL) AS {column}" if values else f"NULL::VARCHAR AS {column}"
        )
    parts += [f'c{at} AS "{name}"' for name, at in text_columns(header).items()]
    return f"SELECT {', '.join(parts)} FROM {staged.table}"


def _checked_sql(con: DuckDBPyConnection, staged: Staged) -> str:
    """SQL of the staged rows typed by ``text.read``, marked by every loader rule (``marked``)."""
    import ibis

    from carecover.pbj.store import ibis_connection, quiet_ibis

    kind = staged.header.kind
    hours = hour_columns(kind)
    con.execute(f"CREATE OR REPLACE TEMP VIEW pbj_text AS {_text_select(staged)}")
    with quiet_ibis():
        t, row = read(ibis_connection(con).table("pbj_text"), staged.header)
        keep = {
            "__line": t.__line,
            "provnum": row.provnum,
            **{c: t[c] for c in ("provname", "city", "state", "county_name", "county_fips")},
            "quarter": row.quarter,
            "day": row.day,
            "census": row.census,
            **{f"h_{c}": row.hours[c] for c in hours},
            **({"hrs_admin_fn": t.hrs_admin_fn} if kind is FileKind.NON_NURSE else {}),
        }
        checked = marked(t, row, kind).select(**keep, reason="reason", field="field")
        return str(ibis.to_sql(checked, dialect="duckdb"))


def _insert_sql(staged: Staged) -> str:
    kind = staged.header.kind
    hours = hour_columns(kind)
    ids = "provnum, provname, city, state, county_name, county_fips, quarter, workdate, mdscensus"
    extra = ", hrs_admin_fn" if kind is FileKind.NON_NURSE else ""
    values = (
        "provnum, provname, city, state, county_name, county_fips, quarter, day, "
        "census::INTEGER, " + ", ".join(f"h_{c}" for c in hours) + extra
    )
    return (
        f"INSERT OR REPLACE INTO {kind.table} ({ids}, {', '.join(hours)}{extra}, source_file) "
        f"SELECT {values}, {_q(staged.file)} FROM checked WHERE reason = ''"
    )


def _fail_on_first_problem(staged: Staged, con: DuckDBPyConnection) -> None:
    bad = con.execute(
        "SELECT __line, field, reason FROM checked WHERE reason <> '' ORDER BY __line LIMIT 1"
    ).fetchall()
    problems = [(line, None, reason) for line, reason in staged.unreadable.items()]
    problems += [(int(line), field, reason) for line, field, reason in bad]
    if not problems:
        return
    ((total,),) = con.execute("SELECT count(*) FROM checked WHERE reason <> ''").fetchall()
    total += len(staged.unreadable)
    line, field, reason = min(problems, key=lambda p: p[0])
    raise InputError(refusal(reason, field, total), file=staged.file, line=line, field=field)


def _fail_on_duplicates(staged: Staged, con: DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT provnum, day, list(__line ORDER BY __line) FROM checked WHERE reason = '' "
        "GROUP BY provnum, day HAVING count(*) > 1 ORDER BY min(__line)"
    ).fetchall()
    if rows:
        provnum, day, lines = rows[0]
        raise InputError(
            duplicate_day(provnum, day, lines, len(rows)),
            file=staged.file,
            line=int(lines[1]),
            field="WorkDate",
        )


def _has_problems(con: DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT (SELECT count(*) FROM checked WHERE reason <> '') + "
        "(SELECT count(*) FROM (SELECT 1 FROM checked WHERE reason = '' "
        "GROUP BY provnum, day HAVING count(*) > 1))"
    ).fetchall()
    return bool(rows[0][0])


def _fast_checked_sql(con: DuckDBPyConnection, kind: FileKind) -> str:
    """SQL of the clean scan ``pbj_fast`` in the columns of ``checked`` (no reason: none broke)."""
    import ibis

    from carecover.pbj.store import quiet_ibis

    t, _ = scanned_rows(con, "pbj_fast", kind)
    extra = {"hrs_admin_fn": ibis.null("string")} if kind is FileKind.NON_NURSE else {}
    rows = t.select(
        __line=ibis.literal(0, "int64"),
        provnum=t.provnum,
        provname=t.provname,
        city=t.city,
        state=t.state,
        county_name=t.county_name,
        county_fips=t.county_fips,
        quarter=t.quarter,
        day=t.workdate,
        census=t.mdscensus,
        **{f"h_{c}": t[c] for c in hour_columns(kind)},
        **extra,
        reason=ibis.literal(""),
        field=ibis.null("string"),
    )
    with quiet_ibis():
        return str(ibis.to_sql(rows, dialect="duckdb"))


def _fast_checked(con: DuckDBPyConnection, path: Path, digest: str) -> Staged | None:
    """Typed parallel scan into ``checked``; ``None`` when any row needs the careful path."""
    import duckdb

    try:
        with tempfile.TemporaryDirectory(prefix="carecover-") as workdir:
            header = scan_view(con, path, "pbj_scan", Path(workdir))
            con.execute("CREATE OR REPLACE TEMP TABLE pbj_fast AS SELECT * FROM pbj_scan")
        kind = header.kind
        if view_problems(con, "pbj_fast", kind):
            return None
        con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {_fast_checked_sql(con, kind)}")
    except duckdb.Error:
        return None  # the careful path names the line and field
    finally:
        con.execute("DROP VIEW IF EXISTS pbj_scan")
        con.execute("DROP TABLE IF EXISTS pbj_fast")
    return Staged(str(path), digest, header, "pbj_fast", [], {})


def _stage_and_check(
    con: DuckDBPyConnection, path: Path, digest: str, encoding: str | None
) -> Staged:
    """Stage ``path`` into the temp table ``checked``: fast scan first, careful path on trouble."""
    if encoding is not None:
        staged = _fast_checked(con, path, digest)
        if staged is not None:
            return staged
    staged = stage(con, path)
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {_checked_sql(con, staged)}")
    con.execute("DROP VIEW IF EXISTS pbj_text")
    return staged


def _drop_resubmitted(con: DuckDBPyConnection, kind: FileKind, quarters: tuple[str, ...]) -> None:
    """Delete the stored days of every facility-quarter the file carries (issue 16 §2).

    A late resubmission replaces the facility-quarter whole: a day the new file
    no longer has must not survive from the earlier one.
    """
    if not quarters:
        return
    marks = ", ".join("?" for _ in quarters)
    con.execute(
        f"DELETE FROM {kind.table} WHERE quarter IN ({marks}) AND (provnum, quarter) IN "
        "(SELECT DISTINCT provnum, quarter FROM checked WHERE reason = '')",
        list(quarters),
    )


def loaded_before(con: DuckDBPyConnection, file: Path, digest: str) -> LoadResult | None:
    """The skipped ``LoadResult`` of a file whose bytes the store has loaded, else None.

    Every kind of file ``pbj load`` reads is kept once by the SHA-256 of its bytes.
    """
    seen = con.execute(
        "SELECT quarters, kind FROM loaded_files WHERE sha256 = ?", [digest]
    ).fetchall()
    if not seen:
        return None
    quarters = tuple(q for q in seen[0][0].split(",") if q)
    return LoadResult(str(file), digest, seen[0][1], 0, 0, quarters, skipped=True)


def load_file(con: DuckDBPyConnection, path: str | Path, *, quarantine: bool = False) -> LoadResult:
    """Load one Daily Nurse or Non-Nurse Staffing file into the store, atomically."""
    file = Path(path)
    found = read_file_bytes(file, sha256=True)
    digest, encoding = str(found.sha256), found.encoding
    if (done := loaded_before(con, file, digest)) is not None:
        return done
    try:
        staged = _stage_and_check(con, file, digest, encoding)
        kind = staged.header.kind
        if not quarantine:
            _fail_on_first_problem(staged, con)
        _fail_on_duplicates(staged, con)
        bad = con.execute(
            "SELECT __line, reason FROM checked WHERE reason <> '' ORDER BY __line"
        ).fetchall()
        bad += sorted(staged.unreadable.items())
        quarters = tuple(
            q
            for (q,) in con.execute(
                "SELECT DISTINCT quarter FROM checked WHERE reason = '' ORDER BY 1"
            ).fetchall()
        )
        con.execute("BEGIN TRANSACTION")
        try:
            _drop_resubmitted(con, kind, quarters)
            con.execute(_insert_sql(staged))
            ((loaded,),) = con.execute("SELECT count(*) FROM checked WHERE reason = ''").fetchall()
            if bad:
                con.executemany(
                    "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?)",
                    [
                        (staged.file, staged.sha256, int(n), r, staged.lines[int(n) - 1])
                        for n, r in bad
                    ],
                )
            if kind is FileKind.NURSE:
                # The stored quarterly measures of these quarters are out of date
                # from this commit until ``derived.refresh`` (never read meanwhile).
                mark_changed(con, quarters)
            con.execute(
                "INSERT INTO loaded_files (sha256, file, kind, rows_loaded, rows_quarantined, "
                "quarters) VALUES (?, ?, ?, ?, ?, ?)",
                [staged.sha256, staged.file, kind.value, loaded, len(bad), ",".join(quarters)],
            )
            con.execute("COMMIT")
        except BaseException as exc:
            abort(con, exc)
    finally:
        con.execute("DROP TABLE IF EXISTS checked")
        con.execute("DROP TABLE IF EXISTS pbj_staging")
    return LoadResult(staged.file, staged.sha256, kind.value, loaded, len(bad), quarters, False)


def load_files(
    con: DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    quarantine: bool = False,
    progress: ProgressCallback | None = None,
    on_loaded: Callable[[LoadResult], None] | None = None,
) -> list[LoadResult]:
    """Load several files in order; each is its own transaction. Stops at the first failure.

    ``on_loaded`` hears about each file as soon as it is committed, so a caller
    can report the files that did load before a later one failed.
    """
    sizes = [Path(p).stat().st_size for p in paths]
    total = sum(sizes)
    done = 0
    results = []
    for path, size in zip(paths, sizes, strict=True):
        results.append(load_file(con, path, quarantine=quarantine))
        if on_loaded is not None:
            on_loaded(results[-1])
        done += size
        if progress is not None:
            progress(done, total)
    return results
