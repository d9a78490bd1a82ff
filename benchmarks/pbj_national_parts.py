"""Where ``pbj measures`` spends its time over the national quarters, part by part, in one process.

Run by the ``pbj-national`` suite in a fresh process whose compiled-SQL cache
(``CARECOVER_CACHE_DIR``) is empty, so the first part is the first run's compile:

- ``compile``: importing the measures and compiling their SQL from Ibis (the
  checked query and its CSV printing, with the DESCRIBE that types it), what
  a first run pays and later runs read from the cache;
- then, interleaved for ``ROUNDS`` rounds, each query stored into a temporary
  table on a fresh connection (every output column computed, none printed):
  ``reference`` (``pbj_measures_duckdb.QUERY``, no checks), ``unchecked``
  (carecover's measures compiled from Ibis, over the same typed scan the
  command reads, without the loader checks), ``checked`` (with them: every
  rule on every row, every hours column, ``_emp`` ones included) and
  ``printed`` (checked and printed as CSV lines by DuckDB: what
  ``pbj measures FILE... --format csv`` runs when the files are clean).

Prints one JSON object: ``compile`` seconds and, for each query, its wall
seconds per round.

Usage: python -m benchmarks.pbj_national_parts FILE.csv [FILE.csv...]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROUNDS = 3


def _timed(sql: str, params: list[object]) -> float:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        con.execute(f"CREATE TEMP TABLE timed AS {sql}", params)
        return time.perf_counter() - start
    finally:
        con.close()


def parts(files: list[str]) -> dict[str, object]:
    """The compile time and every query's wall time per round (see the module docstring)."""
    start = time.perf_counter()
    from carecover.pbj.measures import compiled

    checked = compiled.quarterly_sql(checked=True)
    printed = compiled.quarterly_text_sql("csv")
    compile_seconds = time.perf_counter() - start
    unchecked = compiled.quarterly_sql(checked=False)

    from benchmarks.pbj_measures_duckdb import QUERY
    from carecover.pbj.publicfile.scan import measures_scan

    source = " UNION ALL ".join(measures_scan(Path(f))[1] for f in files)
    queries: dict[str, tuple[str, list[object]]] = {
        "reference": (QUERY, [files]),
        "unchecked": (compiled._bind(source, unchecked), []),
        "checked": (compiled._bind(source, checked), []),
        # Every facility-quarter ($1, $2: any quarter, any CCN).
        "printed": (compiled._bind(source, printed), [None, None]),
    }
    times: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(ROUNDS):
        for name, (sql, params) in queries.items():
            times[name].append(_timed(sql, params))
    return {"compile": compile_seconds, "queries": times}


if __name__ == "__main__":
    print(json.dumps(parts(sys.argv[1:])))
