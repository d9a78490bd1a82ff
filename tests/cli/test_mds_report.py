"""``carecover mds report KIND`` and ``carecover mds reconcile`` through the error edge."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from carecover.cli import mds
from carecover.cli.edge import run
from carecover.pbj import store as pbj_store
from carecover.pbj.publicfile import loading
from tests.conftest import REPO, CliResult
from tests.mds.factories import raw, write_extract

FIX = REPO / "tests" / "fixtures" / "mds"
Cli = Callable[..., CliResult]

EXTRACT = FIX / "extract.csv"
MIXED = FIX / "mixed.csv"


@pytest.fixture
def mds_cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """The mds command group mounted as ``carecover mds``."""
    root = typer.Typer()
    root.add_typer(mds.app, name="mds")
    root.command("other")(lambda: None)  # a group needs two commands to keep names

    def invoke(*args: object) -> CliResult:
        capsys.readouterr()
        code = run(root, [str(a) for a in args])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return invoke


def test_the_roster_lists_active_residents_on_the_date(mds_cli: Cli) -> None:
    result = mds_cli("mds", "report", "roster", EXTRACT, "--on", "2026-02-15", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["facility"], r["first_name"]) for r in rows] == [("055001", "Ann"), ("055002", "Cy")]


def test_admissions_and_discharges_take_a_period(mds_cli: Cli) -> None:
    args = ("--from", "2026-01-01", "--to", "2026-04-30", "--format", "json")
    adm = json.loads(mds_cli("mds", "report", "admissions", EXTRACT, *args).stdout)
    assert [(a["first_name"], a["kind"]) for a in adm] == [
        ("Ann", "admission"),
        ("Bob", "admission"),
        ("Ann", "reentry"),
    ]
    dis = json.loads(mds_cli("mds", "report", "discharges", EXTRACT, *args).stdout)
    assert [(d["discharge_date"], d["kind"]) for d in dis] == [
        ("2026-02-01", "death"),
        ("2026-04-10", "return anticipated"),
    ]


def test_the_period_defaults_to_the_30_days_ending_on_the_run_date(mds_cli: Cli) -> None:
    result = mds_cli("mds", "report", "admissions", EXTRACT, "--on", "2026-01-31")
    assert result.exit_code == 0
    assert "2026-01-15" in result.stdout
    assert "2026-01-01" not in result.stdout


def test_missing_and_risk_reports_run_on_the_date(mds_cli: Cli) -> None:
    missing = mds_cli("mds", "report", "missing", EXTRACT, "--on", "2026-06-01", "--format", "csv")
    assert "Cy" in missing.stdout
    risk = mds_cli("mds", "report", "risk", EXTRACT, "--on", "2026-05-20")
    assert risk.exit_code == 0
    assert "2026-06-09" in risk.stdout  # Cy's clock: 2026-01-10 + 150 days
    later = mds_cli("mds", "report", "risk", EXTRACT, "--on", "2026-05-01", "--horizon", "40")
    assert "2026-06-09" in later.stdout
    assert "(none)" in mds_cli("mds", "report", "risk", EXTRACT, "--on", "2026-05-01").stdout


def test_the_errors_report_names_record_and_item_without_an_ssn(
    mds_cli: Cli, tmp_path: Path
) -> None:
    db = tmp_path / "s.duckdb"
    assert mds_cli("mds", "load", MIXED, "--db", db).exit_code == 0
    result = mds_cli("mds", "report", "errors", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["record"], r["item"]) for r in rows] == [
        ("line 3", "A0900"),
        ("line 4", "A2000"),
        ("line 5", "A0800"),
    ]
    assert "3333" not in result.stdout


def test_an_unknown_report_is_a_usage_error(mds_cli: Cli) -> None:
    assert mds_cli("mds", "report", "census", EXTRACT).exit_code == 2


def test_a_store_without_mds_records_exits_1(mds_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "pbj-only.duckdb"
    pbj_store.connect(db).close()
    result = mds_cli("mds", "report", "roster", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "no MDS records" in result.stderr


def test_duplicates_exits_1_with_a_clear_message_without_the_module(
    mds_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry makes the import fail as if the module were not installed.
    monkeypatch.setitem(sys.modules, "carecover.mds.duplicates", None)
    result = mds_cli("mds", "report", "duplicates", EXTRACT)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: duplicate detection is not available")


@pytest.mark.skipif(
    importlib.util.find_spec("carecover.mds.duplicates") is None,
    reason="carecover.mds.duplicates is not built yet",
)
def test_duplicates_lists_pairs_with_probability_and_differing_fields(
    mds_cli: Cli, tmp_path: Path
) -> None:
    typo = write_extract(tmp_path / "typo.csv", [raw(A0310F="01"), raw(A0500C="Leee")])
    result = mds_cli("mds", "report", "duplicates", typo, "--format", "json")
    assert result.exit_code == 0, result.stderr
    pairs = json.loads(result.stdout)
    assert isinstance(pairs, list)
    for pair in pairs:
        assert {"key_a", "key_b", "probability", "differing_fields", "facility"} <= set(pair)


@pytest.fixture
def pbj_db(tmp_path: Path) -> Path:
    db = tmp_path / "pbj.duckdb"
    con = pbj_store.connect(db)
    loading.load_files(con, [FIX / "pbj_055001_2026Q1.csv"])
    con.close()
    return db


def test_reconcile_lists_the_days_that_differ_and_a_summary(mds_cli: Cli, pbj_db: Path) -> None:
    result = mds_cli(
        "mds", "reconcile", EXTRACT, "--pbj-db", pbj_db, "--from", "2026-01-28",
        "--to", "2026-02-03", "--facility", "055001",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "days compared: 7" in result.stdout
    assert "days equal: 5" in result.stdout
    assert "055001    2026-01-30  2     3    -1" in result.stdout


def test_reconcile_reads_one_store_holding_mds_and_pbj(mds_cli: Cli, pbj_db: Path) -> None:
    assert mds_cli("mds", "load", EXTRACT, "--db", pbj_db).exit_code == 0
    result = mds_cli(
        "mds", "reconcile", "--pbj-db", pbj_db, "--db", pbj_db, "--from", "2026-01-28",
        "--to", "2026-02-03", "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["summary"]["days_compared"] == 7
    assert [d["date"] for d in data["differences"]] == ["2026-01-30", "2026-02-01"]


def test_reconcile_csv_has_only_the_rows_on_stdout(mds_cli: Cli, pbj_db: Path) -> None:
    result = mds_cli(
        "mds", "reconcile", EXTRACT, "--pbj-db", pbj_db, "--from", "2026-01-28",
        "--to", "2026-02-03", "--format", "csv",
    )  # fmt: skip
    assert result.stdout.splitlines()[0] == "facility,date,ours,pbj,difference"
    assert "days compared" in result.stderr


def test_reconcile_exits_1_without_a_pbj_store(mds_cli: Cli, tmp_path: Path) -> None:
    result = mds_cli(
        "mds", "reconcile", EXTRACT, "--pbj-db", tmp_path / "none.duckdb",
        "--from", "2026-01-28", "--to", "2026-02-03",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no PBJ store" in result.stderr


def test_the_errors_report_lists_records_out_of_sequence_with_their_error_number(
    mds_cli: Cli, tmp_path: Path
) -> None:
    rows = [
        raw(A0310A="99", A0310F="01", A1600="20260101", A1700="1", A2300=""),
        raw(A0310A="99", A0310F="10", A2000="20260201", A2100="03", A2300=""),
        raw(A0310A="99", A0310F="01", A1600="20260320", A1700="2", A2300=""),
    ]
    extract = write_extract(tmp_path / "seq.csv", rows)
    result = mds_cli("mds", "report", "errors", extract, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["record"], r["item"], r["error"]) for r in found] == [
        ("line 4", "A1700", "ours: reentry_not_after_return_anticipated")
    ]
    assert "return not anticipated" in found[0]["problem"]


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_duplicates_on_spark_print_the_same_pairs_as_on_duckdb(
    mds_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    from tests.engines.sessions import spark_engine

    spark_engine()  # the shared session: the command reuses it and leaves it running
    rows = [raw(A0310F="01"), raw(A0500C="Leee"), raw(A0500A="Smith", A0500C="Ann", FAC_ID="F2")]
    extract = write_extract(tmp_path / "typo.csv", rows)
    args = ("mds", "report", "duplicates", extract, "--threshold", "0.5", "--format", fmt)
    duck = mds_cli(*args)
    spark = mds_cli(*args, "--engine", "spark", "--spark-master", "local[1]")
    assert duck.exit_code == 0, duck.stderr
    assert spark.exit_code == 0, spark.stderr
    assert spark.stderr == ""
    if fmt == "json":
        left, right = json.loads(duck.stdout), json.loads(spark.stdout)
        assert len(left) == 1
        assert [p["key_a"] for p in right] == [p["key_a"] for p in left]
        assert right[0]["probability"] == pytest.approx(left[0]["probability"], abs=1e-9)
    else:
        assert spark.stdout == duck.stdout


def test_engine_spark_is_refused_for_reports_that_run_on_duckdb_only(mds_cli: Cli) -> None:
    result = mds_cli("mds", "report", "roster", EXTRACT, "--engine", "spark")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --engine: --engine spark runs the duplicates report only; roster runs on duckdb\n"
    )
