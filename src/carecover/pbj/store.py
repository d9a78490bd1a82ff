"""The DuckDB staffing store: schema and connection.

Writes use raw DuckDB SQL because ``ibis`` 12 ``create_table`` fails on
DuckDB 2.0 (a ``DROP VIEW IF EXISTS`` parse error, library-notes.md); the
analytics read the same tables through Ibis (``ibis_tables``).

Tables:

- ``daily_nurse_staffing`` / ``daily_non_nurse_staffing``: one row per
  facility-day of CMS's public files, key (provnum, workdate); ``quarter``
  comes from ``CY_Qtr``, never the file name.
- ``loaded_files``: every file loaded, keyed by the SHA-256 of its bytes, so
  loading the same file again changes nothing.
- ``quarantine``: rows that could not be read (file, line, reason, raw text).
- ``employee_hours``: one row per ``<hourEntry>`` of an accepted PBJ
  submission XML (state, facility_id, quarter, employee_id, workdate,
  job_title_code, pay_type_code, hours, source_file, sha256); filled by
  ``xmlstore``, not by the public-file loader. ``facility_id`` is the
  header's ``facilityId`` (the PBJ submission ID), not the CCN.
- ``employees``: one row per (state, facility_id, employee_id) from the
  ``<employees>`` sections, with hire and termination dates.

A store written before ``employee_hours`` was filled had an empty table of
another shape; ``create_schema`` replaces it (only when empty).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.pbj.columns import FileKind, hour_columns
from carecover.storefile import open_store_file

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "DEFAULT_STORE",
    "connect",
    "create_schema",
    "daily_table_ddl",
    "ibis_connection",
    "ibis_table",
    "quiet_ibis",
]

DEFAULT_STORE = Path("~/.local/share/carecover/staffing.duckdb")

_ID_DDL = """
    provnum VARCHAR NOT NULL,
    provname VARCHAR,
    city VARCHAR,
    state VARCHAR,
    county_name VARCHAR,
    county_fips VARCHAR,
    quarter VARCHAR NOT NULL,
    workdate DATE NOT NULL,
    mdscensus INTEGER NOT NULL,
"""


def daily_table_ddl(kind: FileKind, table: str | None = None) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for a daily public-file table (``table`` renames it)."""
    hours = ",\n".join(f"    {c} DOUBLE" for c in hour_columns(kind))
    extra = "    hrs_admin_fn VARCHAR,\n" if kind is FileKind.NON_NURSE else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {table or kind.table} (\n{_ID_DDL}{hours},\n{extra}"
        "    source_file VARCHAR NOT NULL,\n    PRIMARY KEY (provnum, workdate)\n)"
    )


_OTHER_DDL = [
    """CREATE TABLE IF NOT EXISTS loaded_files (
        sha256 VARCHAR PRIMARY KEY,
        file VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL,
        quarters VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        file VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        line BIGINT NOT NULL,
        reason VARCHAR NOT NULL,
        raw VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS employee_hours (
        state VARCHAR NOT NULL,
        facility_id VARCHAR NOT NULL,
        quarter VARCHAR NOT NULL,
        employee_id VARCHAR NOT NULL,
        workdate DATE NOT NULL,
        job_title_code INTEGER NOT NULL,
        pay_type_code INTEGER NOT NULL,
        hours DOUBLE NOT NULL,
        source_file VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS employees (
        state VARCHAR NOT NULL,
        facility_id VARCHAR NOT NULL,
        employee_id VARCHAR NOT NULL,
        hire_date DATE,
        termination_date DATE,
        source_file VARCHAR NOT NULL,
        PRIMARY KEY (state, facility_id, employee_id)
    )""",
]


def _drop_unfilled_old_employee_hours(con: DuckDBPyConnection) -> None:
    """Replace the first release's ``employee_hours`` (never filled, no facility_id)."""
    columns = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'employee_hours' AND table_schema = current_schema()"
        ).fetchall()
    }
    if not columns or "facility_id" in columns:
        return
    ((rows,),) = con.execute("SELECT count(*) FROM employee_hours").fetchall()
    if rows:
        from carecover.errors import ConfigError

        raise ConfigError("the store's employee_hours table has an unknown older shape")
    con.execute("DROP TABLE employee_hours")


def create_schema(con: DuckDBPyConnection) -> None:
    """Create every store table that does not exist yet (idempotent)."""
    for kind in FileKind:
        con.execute(daily_table_ddl(kind))
    _drop_unfilled_old_employee_hours(con)
    for ddl in _OTHER_DDL:
        con.execute(ddl)


def connect(path: str | Path | None = None, *, read_only: bool = False) -> DuckDBPyConnection:
    """Open (and create, with parent folders) the store; ``":memory:"`` for a scratch store."""
    import duckdb

    if path is None or str(path) == ":memory:":
        con = duckdb.connect(":memory:")
    else:
        file = Path(path).expanduser()
        if read_only and not file.exists():
            from carecover.errors import NotFoundError

            raise NotFoundError(
                f"no staffing store at {file} (load files with `pbj load`, or the national"
                " history with `pbj history load`)"
            )
        con = open_store_file(file, read_only=read_only)
    # The CLI draws its own progress bar; DuckDB's would garble it.
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        create_schema(con)
    return con


def ibis_connection(con: DuckDBPyConnection) -> Any:
    """An Ibis backend over an open DuckDB connection (for the analytics)."""
    import ibis

    return ibis.duckdb.from_connection(con)


@contextmanager
def quiet_ibis() -> Iterator[None]:
    """Silence ibis 12's call of DuckDB 2.0's deprecated ``fetch_arrow_table``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        yield


def ibis_table(con: DuckDBPyConnection, name: str) -> Any:
    """The store table ``name`` as an Ibis table."""
    with quiet_ibis():
        return ibis_connection(con).table(name)
