"""``carecover pbj measures FILE``: one path, through Typer, for every form of the command.

The quick path that bypassed Typer (and imported DuckDB's private ``_duckdb``)
is gone (issue 14 §1); these tests hold what it used to promise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carecover.cli.pbj_measures import print_quarterly
from carecover.cli.pbj_render import Format, render_tuples
from carecover.pbj.measures.compiled import quarterly_table
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "pbj"
PLAIN = str(FIXTURES / "nurse_2024Q2_plain.csv")


def _carecover(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI's entry point in a fresh process."""
    code = "from carecover.cli import main\nmain()"
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, env=env
    )


def test_the_entry_point_runs_pbj_measures_through_typer_and_no_private_duckdb_module() -> None:
    code = (
        "import sys\nfrom carecover.cli import main\n"
        f"sys.argv = ['carecover', 'pbj', 'measures', {PLAIN!r}, '--format', 'csv']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n"
        "    print(exc.code, 'typer' in sys.modules, '_duckdb' in sys.modules and "
        "'duckdb' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.splitlines()[-1] == "0 True True"
    assert proc.stdout.startswith("quarter,") or proc.stdout.startswith("provnum,")


def test_a_missing_file_is_typer_s_usage_error(tmp_path: Path) -> None:
    proc = _carecover("pbj", "measures", str(tmp_path / "none.csv"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def test_a_bad_quarter_is_one_line_and_exit_1() -> None:
    proc = _carecover("pbj", "measures", PLAIN, "--quarter", "2024Q9")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt", [Format.TABLE, Format.CSV])
@pytest.mark.parametrize(
    ("names", "facility"),
    [
        (["nurse_2024Q2_plain.csv"], None),
        (["lowercase_2017Q1.csv", "cp1252_name.csv", "nonnurse_2024Q2.csv"], None),
        (["rn_coverage.csv"], None),
        (["nurse_2024Q2_plain.csv"], "999999"),
    ],
)
def test_table_and_csv_print_the_cells_of_the_measures_table(
    capsys: pytest.CaptureFixture[str], fmt: Format, names: list[str], facility: str | None
) -> None:
    # Both are laid out from DuckDB's CSV text now: the same bytes as the
    # rows of quarterly_table printed one cell at a time.
    paths = [FIXTURES / n for n in names]
    print_quarterly(paths, None, facility, fmt)
    ours = capsys.readouterr().out
    columns, rows = quarterly_table(paths, facility=facility, as_text=True)
    render_tuples(rows, columns, fmt)
    assert ours == capsys.readouterr().out
