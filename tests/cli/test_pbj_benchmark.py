"""``carecover pbj benchmark``: a facility's measures among its peers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
AL_FILE = "data/pbj/PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"
NY_FILE = "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"


def test_it_writes_one_row_per_measure_with_percentile_and_median(
    cli: Cli, shared: Path, tmp_path: Path
) -> None:
    db = tmp_path / "staffing.duckdb"
    for name in (AL_FILE, NY_FILE):
        assert cli("pbj", "load", shared / name, "--db", db).exit_code == 0
    result = cli(
        "pbj",
        "benchmark",
        "--db",
        db,
        "--facility",
        "015009",
        "--quarter",
        "2024Q2",
        "--peers",
        "national",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "provnum,quarter,measure,value,percentile,peer_median,peers,peer_group,peer_key,excluded"
    )
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    total = rows["total_hprd"]
    assert (total["value"], total["percentile"], total["peers"]) == ("4.29361", "75.0", "2")


def test_the_trend_has_every_quarter_of_the_facility(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "benchmark", shared / NY_FILE, "--facility", "335513", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len({r["quarter"] for r in rows}) == 34


def test_chain_peers_are_one_error_line(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "benchmark", shared / AL_FILE, "--facility", "015009", "--peers", "chain")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: peers by chain need the provider information file")


def test_the_facility_is_required(cli: Cli, shared: Path) -> None:
    result = cli("pbj", "benchmark", shared / AL_FILE)
    assert result.exit_code != 0
    assert "--facility" in result.stderr
