"""``carecover pbj history load``, ``pbj state`` and ``pbj chain``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
HISTORY = Path(__file__).resolve().parent.parent / "fixtures" / "pbj" / "history"
FILES = [
    HISTORY / n for n in ("nurse_2024Q1.csv", "nurse_2024Q2.csv", "NH_ProviderInfo_Oct2024.csv")
]


def _loaded(cli: Cli, tmp_path: Path) -> Path:
    db = tmp_path / "history.duckdb"
    result = cli("pbj", "history", "load", *FILES, "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def test_history_load_says_what_each_file_did_and_resumes(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "history.duckdb"
    first = cli("pbj", "history", "load", FILES[0], "--db", db)
    assert first.stdout.splitlines()[0].endswith("nurse_2024Q1.csv: 364 nurse rows (2024Q1)")
    again = cli("pbj", "history", "load", *FILES, "--db", db)
    assert again.exit_code == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].endswith("already loaded (same content), nothing changed")
    assert lines[2].endswith("4 provider rows (release 2024-10-01)")


def test_a_bad_file_is_one_error_line_naming_file_and_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "nurse.csv"
    lines = FILES[0].read_text().splitlines()
    lines[2] = lines[2].replace(",100,", ",1e308,", 1)
    bad.write_text("\n".join(lines) + "\n")
    result = cli("pbj", "history", "load", bad, "--db", tmp_path / "h.duckdb")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "nurse.csv:3: MDScensus: implausible census" in result.stderr
    assert "Traceback" not in result.stderr


def test_pbj_state_prints_the_sections_in_csv(cli: Cli, tmp_path: Path) -> None:
    db = _loaded(cli, tmp_path)
    result = cli("pbj", "state", "--db", db, "--state", "NY", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["section"] for r in rows} == {
        "distribution",
        "below_minimum",
        "weekend_gap",
        "zero_rn",
        "trend",
    }
    assert result.stdout.splitlines()[0].startswith("section,quarter,provnum,provname,state")


def test_pbj_state_keeps_only_the_sections_asked_for(cli: Cli, tmp_path: Path) -> None:
    db = _loaded(cli, tmp_path)
    result = cli(
        "pbj", "state", "--db", db, "--state", "NY", "--section", "zero_rn", "--format", "json"
    )
    assert [(r["section"], r["provnum"]) for r in json.loads(result.stdout)] == [
        ("zero_rn", "335004")
    ]
    wrong = cli("pbj", "state", "--db", db, "--state", "NY", "--section", "gossip")
    assert wrong.exit_code == 2


def test_pbj_chain_prints_the_chains_facilities(cli: Cli, tmp_path: Path) -> None:
    db = _loaded(cli, tmp_path)
    result = cli(
        "pbj",
        "chain",
        "--db",
        db,
        "--chain",
        "ACME CARE",
        "--section",
        "facility",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert {r["provnum"] for r in json.loads(result.stdout)} == {"335001", "335002"}


def test_an_unknown_chain_or_missing_store_is_one_error_line(cli: Cli, tmp_path: Path) -> None:
    db = _loaded(cli, tmp_path)
    unknown = cli("pbj", "chain", "--db", db, "--chain", "NOBODY")
    assert (unknown.exit_code, unknown.stderr.splitlines()[0]) == (
        1,
        "error: no facility of chain 'NOBODY' in the history store",
    )
    missing = cli("pbj", "state", "--db", tmp_path / "none.duckdb", "--state", "NY")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: no staffing store at")
    assert "the national history with `pbj history load`" in missing.stderr


def test_pbj_benchmark_takes_chain_and_beds_peers_from_a_history_store(
    cli: Cli, tmp_path: Path
) -> None:
    db = _loaded(cli, tmp_path)
    result = cli(
        "pbj",
        "benchmark",
        "--db",
        db,
        "--facility",
        "335002",
        "--peers",
        "beds",
        "--quarter",
        "2024Q2",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["peer_key"] for r in rows} == {"50-99"}
    assert "total_turnover" in {r["measure"] for r in rows}


def test_chain_peers_from_a_store_without_a_provider_file_are_one_error_line(
    cli: Cli, tmp_path: Path
) -> None:
    db = tmp_path / "staffing.duckdb"
    assert cli("pbj", "load", FILES[0], "--db", db).exit_code == 0
    result = cli("pbj", "benchmark", "--db", db, "--facility", "335001", "--peers", "beds")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: peers by beds need the provider information file")
