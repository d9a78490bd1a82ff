"""``carecover mds load|census`` and ``carecover synth mds`` through the error edge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from carecover.cli import mds, synth_mds
from carecover.cli.edge import run
from tests.conftest import REPO, CliResult
from tests.engines.sessions import spark_engine

FIX = REPO / "tests" / "fixtures" / "mds"
Cli = Callable[..., CliResult]


@pytest.fixture
def mds_cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """The mds and synth-mds commands mounted as ``carecover mds`` / ``carecover synth mds``."""
    root = typer.Typer()
    synth = typer.Typer()
    synth_mds.register(synth)
    root.add_typer(mds.app, name="mds")
    root.add_typer(synth, name="synth")

    def invoke(*args: object) -> CliResult:
        capsys.readouterr()
        code = run(root, [str(a) for a in args])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return invoke


def test_it_loads_files_into_a_store_and_reports_counts(mds_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = mds_cli("mds", "load", FIX / "extract.csv", FIX / "mixed.csv", "--db", db)
    assert result.exit_code == 0
    assert "7 loaded, 0 quarantined" in result.stdout
    assert "1 loaded, 3 quarantined" in result.stdout
    again = mds_cli("mds", "load", FIX / "extract.csv", "--db", db)
    assert "already loaded" in again.stdout


def test_a_memory_limit_caps_duckdb_while_loading_and_loads_the_same(
    mds_cli: Cli, tmp_path: Path
) -> None:
    import duckdb

    capped, free = tmp_path / "capped.duckdb", tmp_path / "free.duckdb"
    assert mds_cli("mds", "load", FIX / "extract.csv", "--db", capped,
                   "--memory-limit", "64MB").exit_code == 0  # fmt: skip
    assert mds_cli("mds", "load", FIX / "extract.csv", "--db", free).exit_code == 0
    query = "SELECT * FROM mds_assessments ORDER BY ALL"
    rows = []
    for db in (capped, free):
        with duckdb.connect(str(db), read_only=True) as con:
            rows.append(con.execute(query).fetchall())
    assert rows[0] == rows[1]
    assert len(rows[0]) == 7


def test_a_memory_limit_that_is_not_a_size_is_refused_by_name(mds_cli: Cli, tmp_path: Path) -> None:
    result = mds_cli("mds", "load", FIX / "extract.csv", "--db", tmp_path / "s.duckdb",
                     "--memory-limit", "lots")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --memory-limit: not a memory size like 1.5GB or 800MB: 'lots'\n"
    )


def test_it_prints_the_census_as_csv_from_the_store(mds_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    mds_cli("mds", "load", FIX / "extract.csv", "--db", db)
    result = mds_cli(
        "mds", "census", "--db", db, "--from", "2026-01-31", "--to", "2026-02-01",
        "--facility", "055001", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == "facility,date,census\n055001,2026-01-31,2\n055001,2026-02-01,1\n"


def test_it_prints_the_census_as_json_or_a_table_from_files(mds_cli: Cli) -> None:
    args = ("mds", "census", FIX / "extract.csv", "--from", "2026-01-15", "--to", "2026-01-15")
    data = json.loads(mds_cli(*args, "--format", "json").stdout)
    assert {"facility": "055002", "date": "2026-01-15", "census": 1} in data
    assert "055001" in mds_cli(*args).stdout


def test_it_exits_1_with_one_line_for_a_bad_file(mds_cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("STATE_CD\nCA\n", encoding="utf-8")
    result = mds_cli("mds", "load", bad, "--db", tmp_path / "s.duckdb")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "missing column" in result.stderr


def test_it_exits_1_when_there_is_no_store(mds_cli: Cli, tmp_path: Path) -> None:
    result = mds_cli(
        "mds",
        "census",
        "--db",
        tmp_path / "none.duckdb",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-02",
    )
    assert result.exit_code == 1
    assert "no MDS store" in result.stderr


def test_it_exits_2_for_a_bad_date_or_format(mds_cli: Cli) -> None:
    assert mds_cli("mds", "census", "--from", "yesterday", "--to", "2026-01-01").exit_code == 2
    bad = mds_cli("mds", "census", "--from", "2026-01-01", "--to", "2026-01-01", "--format", "x")
    assert bad.exit_code == 2


def test_synth_mds_writes_a_loadable_extract(mds_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    result = mds_cli(
        "synth", "mds", "--facilities", "2", "--from", "2026-01-01", "--to", "2026-03-31",
        "-o", out, "--seed", "1", "--duplicate-rate", "0.05",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "2 facilities" in result.stdout
    census = mds_cli("mds", "census", out, "--from", "2026-03-31", "--to", "2026-03-31")
    assert census.exit_code == 0


def test_every_option_of_the_mds_commands_is_documented() -> None:
    doc = (REPO / "docs" / "mds.md").read_text(encoding="utf-8")
    commands = [
        ("carecover mds", typer.main.get_command(mds.app)),
    ]
    synth = typer.Typer()
    synth_mds.register(synth)
    synth.command("other")(lambda: None)  # a group needs two commands to keep names
    commands.append(("carecover synth", typer.main.get_command(synth)))
    assert len(commands) == 2
    for prefix, group in commands:
        for name, command in getattr(group, "commands", {}).items():
            if name == "other":
                continue
            assert f"{prefix} {name}" in doc
            for param in command.params:
                for opt in param.opts:
                    if opt.startswith("-"):
                        assert opt in doc, f"{prefix} {name} {opt}"


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_the_census_on_spark_prints_the_same_bytes_as_on_duckdb(
    mds_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    spark_engine()  # the shared session: the command reuses it and leaves it running
    args = ("mds", "census", FIX / "extract.csv", "--from", "2026-01-01", "--to", "2026-02-28",
            "--format", fmt)  # fmt: skip
    duck = mds_cli(*args)
    spark = mds_cli(*args, "--engine", "spark", "--spark-master", "local[1]")
    assert spark.exit_code == 0, spark.stderr
    assert spark.stdout == duck.stdout
    assert duck.stdout.count("055001") > 10
