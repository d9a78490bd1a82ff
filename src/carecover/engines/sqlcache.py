"""Compiled SQL kept on disk: a rule's Ibis expression is compiled once per code version.

Compiling an Ibis expression to DuckDB SQL costs a process importing Ibis and
sqlglot (about half a second) and the compile itself (tenths of a second for
the larger rules), often more than running the query. The SQL a rule compiles
to depends only on the code and data files that build it, the DuckDB version
and what the caller names (a variant, a table's schema); ``code_key`` hashes
those, and ``cached_sql`` keeps the SQL in a file named after the hash, so
editing a rule recompiles it. The SQL run is the one Ibis compiled: there is
no second copy of a rule.

``CARECOVER_CACHE_DIR`` moves the cache (default ``$XDG_CACHE_HOME/carecover``
or ``~/.cache/carecover``); an unwritable cache only costs the compile.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["PACKAGE", "cache_dir", "cached_sql", "code_key"]

#: The installed ``carecover`` package, whose files a key hashes.
PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """Where compiled SQL is kept (``CARECOVER_CACHE_DIR``, else the user's cache)."""
    if configured := os.environ.get("CARECOVER_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "carecover"


def code_key(files: Iterable[Path], *names: str) -> str:
    """A hash of ``files`` (names and bytes), ``names`` and the DuckDB version.

    ``files`` are every module and data file the rule's SQL is built from;
    ``names`` what else decides it (a variant, a schema, a convention).
    """
    import duckdb

    digest = hashlib.sha256(duckdb.__version__.encode())
    for name in names:
        digest.update(b"\0" + name.encode())
    for path in sorted(set(files)):
        digest.update(b"\0" + path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def cached_sql(name: str, key: str, build: Callable[[], str]) -> str:
    """The SQL of cache file ``<name>-<key>.sql``, built by ``build`` and stored when missing."""
    cache = cache_dir() / f"{name}-{key}.sql"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    text = build()
    try:
        import tempfile  # here: a command that finds its SQL cached never needs it

        cache.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a concurrent reader sees the whole file or none.
        handle, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, cache)
    except OSError:
        pass  # no cache: the next run builds it again
    return text
