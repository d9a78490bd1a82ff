"""Validating a plain MDS extract CSV in bulk, as one DuckDB query.

Per-record validation in Python (``validation.validate_record``) runs at
about 20,000 records a second: minutes for a national year. For a *plain*
extract (printable ASCII lines ended by ``\\n`` or ``\\r\\n``, no quote
character, no blank line: what exports and ``synth mds`` write) the file is
read by DuckDB into a staging table and every rule is checked in SQL. The SQL is
deliberately conservative: it accepts a record only when it is certainly
valid, and computes exactly what ``validate_record`` would (same resident key,
dates, codes). Every other record (a broken date, an unknown code, a missing
item, anything unusual) goes back through ``validate_record``, so messages
and quarantine rows are the same as on the slow path. A test loads random
files both ways and compares the stores.

The record locator is the CSV line (``line N``): with no quoted fields and no
blank line, line = position in the file + 1, and the staging table keeps the
file order (``rowid``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from carecover.mds.codes import CODED_ITEMS, Event, code_list, event_of
from carecover.mds.extract import COLUMNS, RawRecord
from carecover.mds.residents import PLACEHOLDER_SSNS

__all__ = [
    "STAGE",
    "check_staged",
    "drop_stage",
    "is_plain_csv",
    "other_rows",
    "stage_extract",
    "valid_rows_sql",
]

STAGE = "mds_stage"
CHECKED = "mds_stage_checked"
_PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
_CHUNK = 1 << 24
# Dates outside these bounds are left to Python, which names the problem.
_FLOORS = {"A0900": "1850-01-01", "A1600": "1990-01-01", "A2000": "1990-01-01"}
_FLOORS |= {"A2300": "1990-01-01", "TRGT_DT": "1990-01-01"}


def is_plain_csv(path: Path) -> bool:
    """Whether the file is printable ASCII lines with no quote and no blank line.

    Lines may end in ``\\n`` or ``\\r\\n``; a lone ``\\r`` is not plain.
    """
    previous = b"\n"  # a blank first line is a blank line too
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if chunk.translate(None, _PLAIN) or b'"' in chunk:
                return False
            seam = previous[-2:] + chunk
            if b"\n\n" in seam or b"\n\r\n" in seam:
                return False
            if seam.count(b"\r") != seam.count(b"\r\n") + seam.endswith(b"\r"):
                return False
            previous = chunk
    return not previous.endswith(b"\r")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage_extract(con: Any, path: Path, header: list[str]) -> None:
    """Read the data rows of ``path`` into the temp table ``mds_stage`` (file order).

    A DuckDB error here (a row with more or fewer fields than the header)
    means the file is not plain after all; the caller falls back to the
    per-record reader, which names the line (``extract.read_extract``).
    """
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT * FROM read_csv(?, header=false,"
        f" skip=1, delim=',', quote='', escape='', all_varchar=true, null_padding=false,"
        f" auto_detect=false, columns={{{columns}}})",
        [str(path)],
    )


def check_staged(con: Any, header: list[str]) -> None:
    """Check the staged rows in one pass into ``mds_stage_checked``.

    It holds the trimmed items, parsed dates and a ``clean`` flag per row.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CHECKED} AS {_checked_sql(header)}")
    con.execute(f"DROP TABLE {STAGE}")


def drop_stage(con: Any) -> None:
    """Drop the staging tables."""
    con.execute(f"DROP TABLE IF EXISTS {STAGE}")
    con.execute(f"DROP TABLE IF EXISTS {CHECKED}")


def _date(item: str) -> str:
    return f"try_strptime({item}, ['%Y%m%d', '%Y-%m-%d'])::DATE"


def _date_ok(item: str) -> str:
    # Printing the date back in the text's own layout must give the text: this
    # refuses anything parse_mds_date would not read exactly the same way.
    d = f"d_{item}"
    printed = (
        f"CASE WHEN length({item}) = 8 THEN strftime({d}, '%Y%m%d')"
        f" ELSE strftime({d}, '%Y-%m-%d') END"
    )
    return (
        f"({item} = '' OR ({d} IS NOT NULL AND {d} >= DATE '{_FLOORS[item]}'"
        f" AND {d} <= DATE '2999-12-31' AND {printed} = {item}))"
    )


def _codes(item: str) -> str:
    return ", ".join(_lit(c) for c in code_list(item))


def _name(column: str) -> str:
    # residents.normalise_name on printable ASCII: drop spaces, hyphens, apostrophes, dots.
    dropped = column
    for char in (" ", ".", "''", "-"):
        dropped = f"replace({dropped}, '{char}', '')"
    return f"upper({dropped})"


def _rows_sql(header: list[str]) -> str:
    index = {name: header.index(name) for name in COLUMNS}
    cells = ", ".join(f"trim(coalesce(c{index[c]}, '')) AS {c}" for c in COLUMNS)
    # concat(), not a chain of ||: a chain nests one level per column, and
    # DuckDB's parser stops at about 980 levels (a wide extract).
    everything = "concat(" + ", ".join(f"c{i}" for i in range(len(header))) + ")"
    return (
        f"SELECT rowid + 2 AS line, {cells} FROM {STAGE}"
        f" WHERE trim({everything}) <> ''"  # read_extract skips rows with only blanks
    )


def _checked_sql(header: list[str]) -> str:
    codes = list(code_list("A0310F"))
    entry = ", ".join(_lit(c) for c in codes if event_of(c) is Event.ENTRY)
    out = ", ".join(_lit(c) for c in codes if event_of(c) in (Event.DISCHARGE, Event.DEATH))
    dates = ", ".join(f"{_date(i)} AS d_{i}" for i in _FLOORS)
    coded = " AND ".join(f"({i} = '' OR {i} IN ({_codes(i)}))" for i in CODED_ITEMS)
    dates_ok = " AND ".join(_date_ok(i) for i in _FLOORS)
    placeholders = ", ".join(_lit(s) for s in sorted(PLACEHOLDER_SSNS))
    return f"""
    WITH r AS ({_rows_sql(header)}),
    d AS (
        SELECT *, {dates},
            CASE WHEN A0310F IN ({entry}) THEN 'A1600'
                 WHEN A0310F IN ({out}) THEN 'A2000' ELSE 'A2300' END AS source_item,
            regexp_replace(A0600A, '[^0-9]', '', 'g') AS ssn_digits
        FROM r
    ), t AS (
        SELECT *,
            CASE source_item WHEN 'A1600' THEN d_A1600 WHEN 'A2000' THEN d_A2000
                 ELSE d_A2300 END AS source_date,
            CASE WHEN length(ssn_digits) = 9 AND ssn_digits NOT IN ({placeholders})
                 THEN ssn_digits ELSE '' END AS ssn
        FROM d
    )
    SELECT *, coalesce(d_TRGT_DT, source_date) AS target,
        (STATE_CD <> '' AND FAC_ID <> '' AND A0100B <> '' AND A0310F <> ''
         AND (RESIDENT_INTERNAL_ID <> ''
              OR (A0500A <> '' AND A0500C <> '' AND A0900 <> '' AND A0800 <> ''))
         AND {coded} AND {dates_ok}
         AND source_date IS NOT NULL
         AND (d_A1600 IS NULL OR d_A2000 IS NULL OR d_A2000 >= d_A1600)
         AND (d_A0900 IS NULL OR d_A0900 <= coalesce(d_TRGT_DT, source_date))
        ) IS TRUE AS clean
    FROM t
    """


def valid_rows_sql() -> str:
    """SELECT of the certainly-valid staged rows as ``mds_assessments`` columns.

    Parameters: ``$source_file``, ``$sha256``.
    """
    key = f"""CASE WHEN RESIDENT_INTERNAL_ID <> ''
        THEN 'rid|' || upper(STATE_CD) || '|' || upper(RESIDENT_INTERNAL_ID)
        ELSE concat_ws('|', 'mds', upper(STATE_CD), upper(FAC_ID), ssn, {_name("A0500C")},
                       {_name("A0500A")}, coalesce(strftime(d_A0900, '%Y-%m-%d'), ''), A0800)
        END"""
    # Empty text is NULL, as the per-record path's CSV staging stores it.
    return f"""
    SELECT nullif(upper(STATE_CD), '') AS state, nullif(FAC_ID, '') AS facility_internal_id,
        nullif(A0100B, '') AS ccn, left(sha256({key}), 32) AS resident_key,
        nullif(A0500A, '') AS first_name, nullif(A0500C, '') AS last_name,
        d_A0900 AS birth_date, nullif(A0800, '') AS gender, ssn <> '' AS ssn_present,
        nullif(A0310A, '') AS a0310a, nullif(A0310B, '') AS a0310b, A0310F AS a0310f,
        d_A1600 AS entry_date, nullif(A1700, '') AS entry_type, d_A2000 AS discharge_date,
        nullif(A2100, '') AS discharge_status, d_A2300 AS ard, target AS target_date,
        nullif(CASE WHEN PDPM_NURSING_CMG <> '' THEN PDPM_NURSING_CMG ELSE RUG_IV_GROUP END, '')
            AS nursing_group,
        $source_file AS source_file, $sha256 AS sha256, 'line ' || line AS record
    FROM {CHECKED} WHERE clean
    """


def other_rows(con: Any) -> Iterator[tuple[str, RawRecord]]:
    """The staged rows the SQL did not accept, as ``(locator, raw record)`` for Python."""
    columns = ", ".join(COLUMNS)
    cursor = con.execute(f"SELECT line, {columns} FROM {CHECKED} WHERE NOT clean ORDER BY line")
    while batch := cursor.fetchmany(10_000):
        for line, *values in batch:
            yield f"line {line}", dict(zip(COLUMNS, values, strict=True))
