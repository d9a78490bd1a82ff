"""Opening and writing a DuckDB store: every failure is a ``StoreError`` saying what to do."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextvars import copy_context
from pathlib import Path

import duckdb
import pytest

from carecover.errors import StoreBusyError, StoreError
from carecover.storefile import lock_wait, open_store_file, set_lock_wait, transaction

HOLD_SCRIPT = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read() if float(sys.argv[2]) < 0 else time.sleep(float(sys.argv[2]))
"""


def hold(path: Path, seconds: float = -1) -> subprocess.Popen[str]:
    """Another process holding ``path`` (until its stdin closes, or for ``seconds``)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def held_store(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A store file another process holds, and that process's PID."""
    path = tmp_path / "held.duckdb"
    duckdb.connect(str(path)).close()
    proc = hold(path)
    try:
        yield path, proc.pid
    finally:
        proc.communicate("")


def test_a_store_held_by_another_process_names_its_pid(held_store: tuple[Path, int]) -> None:
    path, pid = held_store
    with pytest.raises(StoreBusyError) as caught:
        open_store_file(path)
    assert f"PID {pid}" in str(caught.value)
    assert "try again" in str(caught.value)
    assert caught.value.waited == 0


def test_a_read_only_open_of_a_held_store_is_busy_too(held_store: tuple[Path, int]) -> None:
    path, _ = held_store
    with pytest.raises(StoreBusyError):
        open_store_file(path, read_only=True)


def test_it_waits_for_the_lock_up_to_the_wait_and_then_opens(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    duckdb.connect(str(path)).close()
    proc = hold(path, seconds=1.0)

    def open_after_waiting() -> None:
        set_lock_wait(30)
        open_store_file(path).close()

    try:
        started = time.monotonic()
        copy_context().run(open_after_waiting)
        assert time.monotonic() - started < 30
    finally:
        proc.communicate()


def test_it_gives_up_after_the_wait_and_says_how_long_it_waited(
    held_store: tuple[Path, int],
) -> None:
    path, _ = held_store

    def open_waiting() -> None:
        set_lock_wait(0.3)
        open_store_file(path)

    with pytest.raises(StoreBusyError, match=r"after waiting 0\.3 s") as caught:
        copy_context().run(open_waiting)
    assert caught.value.waited == 0.3


def test_the_wait_is_set_only_in_the_context_that_sets_it() -> None:
    copy_context().run(set_lock_wait, 5)
    assert lock_wait() == 0


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0])
def test_a_wait_that_is_not_a_finite_positive_number_is_refused(seconds: float) -> None:
    with pytest.raises(StoreError, match="finite number of seconds"):
        copy_context().run(set_lock_wait, seconds)


def broken_stores(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Store paths that are not stores, and the words their error must use."""
    good = tmp / "good.duckdb"
    con = duckdb.connect(str(good))
    con.execute("CREATE TABLE t AS SELECT range AS a FROM range(1000)")
    con.close()
    data = good.read_bytes()
    text = tmp / "text.duckdb"
    text.write_text("PROVNUM,WorkDate\n015001,20240401\n", encoding="utf-8")
    folder = tmp / "folder.duckdb"
    folder.mkdir()
    truncated = tmp / "truncated.duckdb"
    truncated.write_bytes(data[:5000])
    corrupt = tmp / "corrupt.duckdb"
    corrupt.write_bytes(data[:4096] + b"\xff" * 4096 + data[8192:])
    return {
        "text": (text, "not a DuckDB store"),
        "directory": (folder, "is a directory"),
        "truncated": (truncated, "truncated or corrupt"),
        "corrupt": (corrupt, "truncated or corrupt"),
    }


@pytest.mark.parametrize("kind", ["text", "directory", "truncated", "corrupt"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_path_that_is_not_a_sound_store_is_a_store_error_saying_so(
    tmp_path: Path, kind: str, read_only: bool
) -> None:
    path, words = broken_stores(tmp_path)[kind]
    with pytest.raises(StoreError, match=words) as caught:
        open_store_file(path, read_only=read_only)
    assert str(path) in str(caught.value)


def test_a_new_store_gets_its_folder_made(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "staffing.duckdb"
    open_store_file(path).close()
    assert path.is_file()


def test_a_file_where_the_stores_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "reports.csv").write_text("kept\n", encoding="utf-8")
    path = tmp_path / "reports.csv" / "staffing.duckdb"
    with pytest.raises(StoreError) as caught:
        open_store_file(path)
    assert str(caught.value) == (
        f"{path}: cannot make the store's folder: {tmp_path / 'reports.csv'} is a file,"
        " not a folder"
    )
    assert (tmp_path / "reports.csv").read_text(encoding="utf-8") == "kept\n"


def test_a_failed_block_rolls_back_and_keeps_its_own_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute("CREATE TABLE t (a INTEGER)")

    def insert_then_fail() -> None:
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]


def test_a_block_that_succeeds_is_committed(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute("CREATE TABLE t (a INTEGER)")
    with transaction(con):
        con.execute("INSERT INTO t VALUES (1)")
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(1,)]


DISK_FULL_SCRIPT = """
import resource, sys
from carecover.storefile import transaction
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t (a VARCHAR)")
con.execute("CHECKPOINT")
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    with transaction(con):
        con.execute("INSERT INTO t SELECT md5(range::VARCHAR) FROM range(300000)")
except Exception as exc:
    print(type(exc).__name__, exc, sep=": ")
"""


def test_a_commit_that_fills_the_disk_is_a_store_error_not_a_rollback_error(
    tmp_path: Path,
) -> None:
    # A real write failure: the process may write no file past the limit
    # (RLIMIT_FSIZE; Python ignores SIGXFSZ, so the write fails with EFBIG).
    path = tmp_path / "s.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", DISK_FULL_SCRIPT, str(path), str(1_000_000)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.startswith("StoreError: "), proc.stdout + proc.stderr
    assert "disk is full" in proc.stdout
    assert "rollback" not in proc.stdout
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
