"""Every ``--db`` command when its store is busy, broken or the disk fills: one line, exit 1."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, CliResult
from tests.test_storefile import broken_stores, hold

Cli = Callable[..., CliResult]
PBJ = REPO / "tests" / "fixtures" / "pbj"
MDS = REPO / "tests" / "fixtures" / "mds"


def db_commands(db: Path) -> dict[str, list[object]]:
    """Every command that takes ``--db``, with arguments that make it open ``db``."""
    return {
        "pbj load": ["pbj", "load", PBJ / "nurse_2024Q2_plain.csv", "--db", db],
        "pbj measures": ["pbj", "measures", "--db", db],
        "pbj coverage": ["pbj", "coverage", "--db", db],
        "mds load": ["mds", "load", MDS / "extract.csv", "--db", db],
        "mds census": ["mds", "census", "--from", "2026-01-01", "--to", "2026-01-31", "--db", db],
        "mds report": ["mds", "report", "roster", "--db", db],
        "mds reconcile": [
            *("mds", "reconcile", "--pbj-db", db, "--from", "2026-01-01", "--to", "2026-01-31"),
            *("--db", db),
        ],
        "rating project": [
            *("rating", "project", "--facility", "015001", "--quarter", "2024Q2"),
            *("--as-of", "2024-05-01", "--db", db),
        ],
        "rating turnover": ["rating", "turnover", "--quarter", "2024Q2", "--db", db],
    }


COMMANDS = list(db_commands(Path("x")))


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A store another process holds, and that process's PID."""
    path = tmp_path / "held.duckdb"
    duckdb.connect(str(path)).close()
    proc = hold(path)
    try:
        yield path, proc.pid
    finally:
        proc.communicate("")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_store_another_process_holds_is_one_line_naming_the_process(
    cli: Cli, held: tuple[Path, int], command: str
) -> None:
    path, pid = held
    result = cli(*db_commands(path)[command])
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert f"PID {pid}" in result.stderr
    assert "try again" in result.stderr
    assert "--wait SECONDS" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_db_command_takes_a_wait(cli: Cli, held: tuple[Path, int], command: str) -> None:
    path, _ = held
    result = cli(*db_commands(path)[command], "--wait", "0.2")
    assert result.exit_code == 1
    assert "after waiting 0.2 s" in result.stderr


def test_load_waits_for_the_store_and_then_loads(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    duckdb.connect(str(db)).close()
    proc = hold(db, seconds=1.0)
    try:
        result = cli("pbj", "load", PBJ / "nurse_2024Q2_plain.csv", "--db", db, "--wait", "60")
    finally:
        proc.communicate()
    assert result.exit_code == 0, result.stderr
    assert "7 nurse rows loaded" in result.stdout


def test_a_negative_wait_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("pbj", "measures", "--db", tmp_path / "s.duckdb", "--wait", "-1")
    assert result.exit_code == 2


@pytest.mark.parametrize("kind", ["text", "directory", "truncated", "corrupt"])
@pytest.mark.parametrize("command", ["pbj load", "pbj measures", "mds load", "mds report"])
def test_a_store_path_that_is_not_a_sound_store_is_one_line(
    cli: Cli, tmp_path: Path, kind: str, command: str
) -> None:
    path, words = broken_stores(tmp_path)[kind]
    result = cli(*db_commands(path)[command])
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: " + result.stderr.split(": ", 2)[2]
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def limited(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize(
    ("group", "small", "large"),
    [
        ("pbj", PBJ / "nurse_2024Q2_plain.csv", "puf"),
        ("mds", MDS / "extract.csv", "mds"),
    ],
)
def test_a_load_that_fills_the_disk_says_so_and_leaves_the_store_as_it_was(
    cli: Cli, tmp_path: Path, group: str, small: Path, large: str
) -> None:
    db = tmp_path / "s.duckdb"
    assert cli(group, "load", small, "--db", db).exit_code == 0
    big = tmp_path / "big.csv"
    if large == "puf":
        made = cli("synth", "puf", "--facilities", "300", "--quarter", "2024Q3", "-o", big)
    else:
        made = cli(
            *("synth", "mds", "--from", "2025-01-01", "--to", "2025-12-31"),
            *("--facilities", "20", "-o", big),
        )
    assert made.exit_code == 0, made.stderr
    table = "daily_nurse_staffing" if group == "pbj" else "mds_assessments"
    before = duckdb.connect(str(db), read_only=True)
    rows_before = before.execute(f"SELECT count(*) FROM {table}").fetchall()
    before.close()
    # The process may not write a file past this size: a real write failure
    # (EFBIG; Python ignores SIGXFSZ), as a full disk gives ENOSPC.
    limit = db.stat().st_size + 64 * 1024
    proc = subprocess.run(
        [sys.executable, "-m", "carecover", group, "load", str(big), "--db", str(db)],
        capture_output=True,
        text=True,
        preexec_fn=limited(limit),
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {db}: the disk is full"), proc.stderr
    assert "rollback" not in proc.stderr
    after = duckdb.connect(str(db), read_only=True)
    assert after.execute(f"SELECT count(*) FROM {table}").fetchall() == rows_before
    after.close()
