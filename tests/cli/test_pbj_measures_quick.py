"""``carecover pbj measures FILE`` runs without Typer and prints what the Typer command prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carecover.cli.pbj_measures_quick import print_quarterly, run
from carecover.cli.pbj_render import Format, render_tuples
from carecover.pbj.measures_sql import quarterly_table
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "pbj"
PLAIN = str(FIXTURES / "nurse_2024Q2_plain.csv")


def _carecover(*args: str, quick: bool) -> tuple[int, str, str]:
    """Run the CLI in a fresh process, through ``main`` (quick) or straight through Typer."""
    code = (
        "import sys\nfrom carecover.cli import main\nmain()"
        if quick
        else "import sys\nfrom carecover.cli import app\nfrom carecover.cli.edge import run\n"
        "sys.exit(run(app, sys.argv[1:]))"
    )
    # Wide enough that Rich never wraps a usage error (long temporary paths).
    env = {**os.environ, "COLUMNS": "400"}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, env=env
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        [PLAIN],
        [PLAIN, "--format", "csv"],
        [PLAIN, "--format=json", "--quarter=2024Q2"],
        [PLAIN, "--facility", "NOSUCH", "--format", "table"],
        [str(FIXTURES / "cp1252_name.csv"), PLAIN, "--format", "csv"],
        [str(FIXTURES / "negative_hours.csv")],
        [str(FIXTURES / "duplicate_day.csv"), "--format", "csv"],
        [str(FIXTURES / "letter_ccn.csv"), "--format", "csv"],
        [str(FIXTURES / "truncated.csv")],
        [str(FIXTURES / "utf16.csv")],
        [PLAIN, "--quarter", "2024Q9"],
    ],
)
def test_the_quick_path_prints_and_exits_as_the_typer_command(args: list[str]) -> None:
    assert _carecover("pbj", "measures", *args, quick=True) == _carecover(
        "pbj", "measures", *args, quick=False
    )


def test_the_quick_path_imports_neither_typer_nor_pydantic() -> None:
    code = (
        "import sys\nfrom carecover.cli.pbj_measures_quick import run\n"
        f"code = run(['pbj', 'measures', {PLAIN!r}, '--format', 'csv'])\n"
        "print(code, 'typer' in sys.modules, 'pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "0 False False"


@pytest.mark.parametrize(
    "args",
    [
        ["pbj", "measures"],
        ["pbj", "measures", PLAIN, "--daily"],
        ["pbj", "measures", PLAIN, "--help"],
        ["pbj", "measures", PLAIN, "--db", "x.duckdb"],
        ["pbj", "measures", PLAIN, "--format", "xml"],
        ["pbj", "measures", PLAIN, "--format"],
        ["pbj", "measures", PLAIN, "--quarter", "2024Q2", "--quarter", "2024Q3"],
        ["pbj", "measures", str(FIXTURES / "no_such_file.csv")],
        ["pbj", "coverage", PLAIN],
    ],
)
def test_anything_but_the_plain_form_is_left_to_typer(args: list[str]) -> None:
    assert run(args) is None


def test_a_missing_file_is_still_typer_s_usage_error(tmp_path: Path) -> None:
    code, _, err = _carecover("pbj", "measures", str(tmp_path / "none.csv"), quick=True)
    assert code == 2
    assert "does not exist" in err


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
