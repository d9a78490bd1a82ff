"""Staging an MDS file's records for the record rules (``record_rules``).

The rules run over one table, ``mds_stage`` (``record_rules.STAGE``): a
locator per record (``line 12``, an XML member's name), its position in the
file and every extract column as trimmed text. Two readers fill it:

- ``stage_plain_csv``: DuckDB's CSV reader, for a *plain* extract (printable
  ASCII lines ended by ``\\n`` or ``\\r\\n``, no quote character, no blank
  line: what exports and ``synth mds`` write). With no quoted field and no
  blank line, the CSV line is the position in the file + 2 (the header is
  line 1), and the staging table keeps the file order (``rowid``);
- ``stage_records``: the records a Python reader gives (any other CSV, an
  XML document, a ZIP of them), in batches through Arrow.

Either way the same rules check every record, in the engine, in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.mds.extract import COLUMNS, RawRecord
from carecover.mds.record_rules import STAGE

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["drop_stage", "is_plain_csv", "stage_plain_csv", "stage_records"]

_RAW = "mds_stage_raw"
_PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
_CHUNK = 1 << 24
_BLANK_LINE = re.compile(rb"\n\r?\n")
_BATCH = 50_000


def is_plain_csv(path: Path) -> bool:
    """Whether the file is printable ASCII lines with no quote and no blank line.

    Lines may end in ``\\n`` or ``\\r\\n``; a lone ``\\r`` is not plain.
    """
    tail = b"\n"  # the last two bytes read; a blank first line is a blank line too
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if chunk.translate(None, _PLAIN) or b'"' in chunk:
                return False
            # The seam between chunks apart: joining them would copy each chunk.
            if _BLANK_LINE.search(tail + chunk[:2]) or _BLANK_LINE.search(chunk):
                return False
            if tail.endswith(b"\r") and not chunk.startswith(b"\n"):
                return False
            # A chunk's last \r is told by the next chunk's first byte.
            if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n") + chunk.endswith(
                b"\r"
            ):
                return False
            tail = (tail + chunk[-2:])[-2:]
    return not tail.endswith(b"\r")


def stage_plain_csv(con: DuckDBPyConnection, path: Path, header: list[str]) -> None:
    """Stage the data rows of the plain extract ``path`` (file order) with DuckDB's reader.

    A DuckDB error here (a row with more or fewer fields than the header)
    means the file is not plain after all; the caller stages it with the
    Python reader instead, which names the line (``extract.read_extract``).
    """
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_RAW} AS SELECT * FROM read_csv(?, header=false,"
        f" skip=1, delim=',', quote='', escape='', all_varchar=true, null_padding=false,"
        f" auto_detect=false, columns={{{columns}}})",
        [str(path)],
    )
    index = {name: header.index(name) for name in COLUMNS}
    # Printable ASCII only: trim() is what Python's str.strip() does to it.
    cells = ", ".join(f"trim(coalesce(c{index[c]}, '')) AS {c}" for c in COLUMNS)
    # concat(), not a chain of ||: a chain nests one level per column, and
    # DuckDB's parser stops at about 980 levels (a wide extract).
    everything = "concat(" + ", ".join(f"c{i}" for i in range(len(header))) + ")"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT 'line ' || (rowid + 2) AS record,"
        f" rowid AS position, {cells} FROM {_RAW}"
        f" WHERE trim({everything}) <> ''"  # read_extract skips rows with only blanks
    )


def stage_records(con: DuckDBPyConnection, records: Iterable[tuple[str, RawRecord]]) -> None:
    """Stage ``(locator, raw record)`` pairs from a Python reader, trimmed, in order."""
    import pyarrow as pa  # type: ignore[import-untyped]

    names = ["record", "position", *COLUMNS]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGE} (record VARCHAR, position BIGINT, "
        + ", ".join(f"{c} VARCHAR" for c in COLUMNS)
        + ")"
    )
    batch: list[list[Any]] = [[] for _ in names]
    for position, (where, raw) in enumerate(records):
        batch[0].append(where)
        batch[1].append(position)
        for values, column in zip(batch[2:], COLUMNS, strict=True):
            values.append((raw.get(column) or "").strip())
        if len(batch[0]) >= _BATCH:
            _append(con, pa, names, batch)
            batch = [[] for _ in names]
    if batch[0]:
        _append(con, pa, names, batch)


def _append(con: DuckDBPyConnection, pa: Any, names: list[str], batch: list[list[Any]]) -> None:
    types = [pa.string(), pa.int64(), *(pa.string() for _ in COLUMNS)]
    arrays = [pa.array(values, kind) for values, kind in zip(batch, types, strict=True)]
    con.register("mds_stage_batch", pa.Table.from_arrays(arrays, names=names))
    try:
        con.execute(f"INSERT INTO {STAGE} SELECT * FROM mds_stage_batch")
    finally:
        con.unregister("mds_stage_batch")


def drop_stage(con: DuckDBPyConnection) -> None:
    """Drop the staging tables and view."""
    views = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND temporary", [STAGE]
    ).fetchone()
    con.execute(f"DROP {'VIEW' if views and views[0] else 'TABLE'} IF EXISTS {STAGE}")
    con.execute(f"DROP TABLE IF EXISTS {_RAW}")
