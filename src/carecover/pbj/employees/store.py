"""Employee Detail rows in the store: ``pbj load`` keeps them, ``pbj employees --db`` reads them.

A file is checked by the same reader as ``pbj employees FILE`` (``employee_detail``:
encodings, header drift, every bad row refused with its file, line and field)
on the store's own connection, and its rows go from the file to the table in
one ``INSERT ... SELECT`` (never through Python), in one transaction:

- the same bytes again change nothing (``loaded_files``, keyed by SHA-256);
- a later file for a facility-quarter replaces that facility-quarter whole
  (a late resubmission: a day or employee the new file no longer has must not
  survive from the earlier one), as the daily files do;
- a file with a bad row stores nothing, and what was stored before stays.

Table ``employee_detail``: the reader's columns (``employee_detail.COLUMNS``)
and ``source_file``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.pbj.employees.detail import COLUMNS, checked_files, read_employee_detail
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.pbj.publicfile.loading import LoadResult, loaded_before
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["KIND", "TABLE", "create_employee_table", "load_employee_detail", "stored_rows"]

TABLE = "employee_detail"
#: ``loaded_files.kind`` of an Employee Detail file.
KIND = "employee-detail"

_DDL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    provnum VARCHAR NOT NULL,
    quarter VARCHAR NOT NULL,
    employee_id VARCHAR NOT NULL,
    workdate DATE NOT NULL,
    job_title_code BIGINT NOT NULL,
    pay_type_code BIGINT NOT NULL,
    hours DOUBLE NOT NULL,
    source_file VARCHAR NOT NULL
)"""


def create_employee_table(con: DuckDBPyConnection) -> None:
    """Create the ``employee_detail`` table if the store has none (idempotent)."""
    con.execute(_DDL)


def load_employee_detail(con: DuckDBPyConnection, path: str | Path) -> LoadResult:
    """Load one Employee Detail file into the store, atomically and idempotently."""
    file = Path(path)
    digest = str(read_file_bytes(file, sha256=True).sha256)
    if (done := loaded_before(con, file, digest)) is not None:
        return done
    names = ", ".join(COLUMNS)
    # InputError with file, line and field before anything is written: nothing stored.
    with checked_files(con, [file]) as checked:
        create_employee_table(con)
        quarters = tuple(sorted({quarter for _, quarter in checked.facility_quarters}))
        provnums = [provnum for provnum, _ in checked.facility_quarters]
        quarter_of_each = [quarter for _, quarter in checked.facility_quarters]
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                f"DELETE FROM {TABLE} WHERE (provnum, quarter) IN "
                "(SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]))",
                [provnums, quarter_of_each],
            )
            ((loaded,),) = con.execute(
                f"INSERT INTO {TABLE} ({names}, source_file) "
                f"SELECT {names}, ? FROM ({checked.sql})",
                [str(file)],
            ).fetchall()
            con.execute(
                "INSERT INTO loaded_files (sha256, file, kind, rows_loaded, rows_quarantined, "
                "quarters) VALUES (?, ?, ?, ?, 0, ?)",
                [digest, str(file), KIND, loaded, ",".join(quarters)],
            )
            con.execute("COMMIT")
        except BaseException as exc:
            abort(con, exc)
    return LoadResult(str(file), digest, KIND, int(loaded), 0, quarters, False)


def stored_rows(con: DuckDBPyConnection) -> Any:
    """Every stored Employee Detail row, as the reader returns them (an Arrow table).

    A store that never loaded an Employee Detail file gives no rows (it may be
    open read-only: nothing is created).
    """
    ((tables,),) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? "
        "AND database_name = current_database()",
        [TABLE],
    ).fetchall()
    if not tables:
        return read_employee_detail([])
    names = ", ".join(COLUMNS)
    return con.sql(
        f"SELECT {names} FROM {TABLE} ORDER BY provnum, quarter, employee_id, workdate, "
        "job_title_code, pay_type_code"
    ).to_arrow_table()
