"""Opening and writing a DuckDB store file, with every failure told in one line.

The PBJ, MDS and rating commands keep their data in one DuckDB file (``--db``).
What can go wrong with that file is the same whoever opens it, so it is
handled once, here:

- another process holds it (DuckDB lets one process write a file; its
  message names the holder's PID): ``StoreBusyError``, after waiting up to
  the lock wait (``lock_wait``; 0 by default, ``--wait SECONDS`` on the CLI);
- the path is a directory, a text file, or a truncated or corrupt store:
  ``StoreError`` saying so and what to do;
- the disk fills up (or a file-size limit is hit) while a load commits:
  ``StoreError`` saying nothing from that file was stored. DuckDB has
  already ended the transaction then, so ``transaction`` does not let the
  "cannot rollback - no transaction is active" of its ROLLBACK hide the cause.

The lock wait is a context variable: the CLI sets it once per command (each
command runs in its own context, ``cli.edge``) and every store the command
opens, through whichever domain function, waits the same.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from carecover.errors import InputError, StoreBusyError, StoreError
from carecover.outputs import make_folder

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "abort",
    "cap_memory",
    "describe_failure",
    "lock_wait",
    "open_store_file",
    "set_lock_wait",
    "transaction",
]

_LOCK_WAIT: ContextVar[float] = ContextVar("carecover_store_lock_wait", default=0.0)
# How often a waiting command tries the lock again.
_POLL_SECONDS = 0.1
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
_DISK_FULL = ("No space left on device", "File too large", "Disk quota exceeded")
_CORRUPT = ("Corrupt database file", "Could not read enough bytes", "checksum")


def cap_memory(con: DuckDBPyConnection, size: str) -> None:
    """Cap the memory DuckDB keeps on ``con`` at ``size`` (``1.5GB``, ``800MB``); it spills beyond.

    A size DuckDB cannot read is an ``InputError`` naming ``--memory-limit``.
    """
    import duckdb

    refused = InputError(f"not a memory size like 1.5GB or 800MB: {size!r}", field="--memory-limit")
    # DuckDB reads a negative size as "no limit": the opposite of what was asked.
    if size.strip().startswith("-"):
        raise refused
    try:
        con.execute("SET memory_limit = ?", [size])
    except duckdb.Error:
        raise refused from None


def set_lock_wait(seconds: float) -> None:
    """Wait up to ``seconds`` for a store another process holds (in this context)."""
    if not seconds >= 0 or seconds == float("inf"):
        raise StoreError(f"the wait must be a finite number of seconds, not {seconds}")
    _LOCK_WAIT.set(seconds)


def lock_wait() -> float:
    """Seconds a store opened now waits for another process's lock."""
    return _LOCK_WAIT.get()


def _holder(message: str) -> str | None:
    found = _HOLDER.search(message)
    if found is None:
        return None
    return f"PID {found['pid']}, {Path(found['program']).name}"


def describe_failure(exc: Exception, path: str) -> StoreError | None:
    """The ``StoreError`` a DuckDB error on the store ``path`` means, or ``None``.

    ``None``: the error is not about the store file (a query's own error).
    """
    message = str(exc)
    if "Could not set lock" in message:
        return StoreBusyError(path, holder=_holder(message))
    if any(sign in message for sign in _DISK_FULL):
        return StoreError(
            "the disk is full (or a file-size limit was reached) while writing the store;"
            " the write was undone and the store is as it was. Free some space and run the"
            " command again",
            path=path,
        )
    if "Is a directory" in message:
        return StoreError("this is a directory, not a store file; give --db a file path", path=path)
    if "not a valid DuckDB database file" in message:
        return StoreError(
            "this file is not a DuckDB store (is it a CSV or another file?); give --db the"
            " store's path, or a new path to create one",
            path=path,
        )
    if any(sign in message for sign in _CORRUPT):
        return StoreError(
            "the store is truncated or corrupt; restore it from a backup, or load the files"
            " again into a new store",
            path=path,
        )
    if "database has been invalidated" in message:
        return StoreError(
            "an earlier write to the store failed (disk full or I/O error); nothing more was"
            " stored. Run the command again once the cause is fixed",
            path=path,
        )
    return None


def open_store_file(path: Path, *, read_only: bool = False) -> DuckDBPyConnection:
    """Open the DuckDB file ``path``, waiting up to ``lock_wait()`` for another process.

    Opened for writing, a new store's folder is made when missing.
    """
    import duckdb

    name = str(path)
    if path.is_dir():
        raise StoreError("this is a directory, not a store file; give --db a file path", path=name)
    if not read_only:
        try:
            make_folder(path)
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreError(f"cannot make the store's folder: {reason}", path=name) from None
    deadline = time.monotonic() + lock_wait()
    while True:
        try:
            return duckdb.connect(name, read_only=read_only)
        except duckdb.Error as exc:
            failure = describe_failure(exc, name)
            if failure is None:
                raise StoreError(f"cannot open the store: {exc}", path=name) from exc
            if isinstance(failure, StoreBusyError):
                if time.monotonic() < deadline:
                    time.sleep(_POLL_SECONDS)
                    continue
                raise StoreBusyError(name, holder=failure.holder, waited=lock_wait()) from None
            raise failure from None


def _store_path(con: DuckDBPyConnection) -> str:
    try:
        rows = con.execute("PRAGMA database_list").fetchall()
    except Exception:  # an invalidated database answers nothing
        return "the store"
    files = [str(file) for (_, _, file) in rows if file]
    return files[0] if files else "the in-memory store"


@contextmanager
def transaction(con: DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one DuckDB transaction: all of it is stored, or none of it.

    A failed COMMIT (disk full) has already ended the transaction; the
    ROLLBACK's own error is then dropped so that the cause is what is seen.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)


def abort(con: DuckDBPyConnection, exc: BaseException) -> NoReturn:
    """Roll back the open transaction and raise ``exc`` (as a ``StoreError`` when it is one).

    For ``except BaseException as exc: abort(con, exc)`` after a
    ``BEGIN TRANSACTION``: a failed COMMIT (disk full) has already ended
    the transaction, and the ROLLBACK's "no transaction is active" must not
    hide why.
    """
    import duckdb

    # A failed write has already ended the transaction: ROLLBACK then fails too.
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")
    if isinstance(exc, duckdb.Error):
        failure = describe_failure(exc, _store_path(con))
        if failure is not None:
            raise failure from exc
    raise exc
