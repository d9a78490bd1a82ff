"""benchmarks/run.py rewrites only the sections of the suites it ran; the PBJ baseline agrees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.pbj_bench import same_numbers
from benchmarks.run import TITLE, merge, section

from tests.conftest import REPO

MACHINE = "Machine: test box  \nDate: 2026-01-01 00:00 UTC\n"


def test_a_section_names_its_machine_and_date_under_its_title() -> None:
    text = section("pbj", "## PBJ\n\n| a |\n", MACHINE)
    assert text.startswith("<!-- suite:pbj -->\n## PBJ\n\nMachine: test box")
    assert text.endswith("| a |\n<!-- /suite:pbj -->\n")


def test_running_one_suite_replaces_only_its_section() -> None:
    old = merge(
        "",
        {
            "pbj": section("pbj", "## PBJ\nold", MACHINE),
            "mds": section("mds", "## MDS\nkept", MACHINE),
        },
    )
    new = merge(old, {"pbj": section("pbj", "## PBJ\nnew", MACHINE)})
    assert new.startswith(TITLE)
    assert "new" in new
    assert "old" not in new
    assert "kept" in new
    assert new.index("suite:pbj") < new.index("suite:mds")


def test_a_new_suite_is_appended_after_the_others() -> None:
    old = merge("", {"mds": section("mds", "## MDS\nkept", MACHINE)})
    new = merge(old, {"portal": section("portal", "## Portal\nfresh", MACHINE)})
    assert new.index("suite:mds") < new.index("suite:portal")
    assert merge(new, {}) == new


def test_the_pandas_baseline_gives_the_cli_numbers_on_the_34_quarter_file(
    tmp_path: Path, shared: Path
) -> None:
    source = shared / "data/pbj/PBJ_Daily_Nurse_Staffing_CY2017Q1-CY2025Q3_335513.csv"
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    with ours.open("w") as out:
        cli = [sys.executable, "-m", "carecover", "pbj", "measures", str(source), "--format", "csv"]
        subprocess.run(cli, stdout=out, check=True, cwd=REPO)
    with theirs.open("w") as out:
        baseline = [sys.executable, "benchmarks/pbj_measures_pandas.py", str(source)]
        subprocess.run(baseline, stdout=out, check=True, cwd=REPO)
    same, message = same_numbers(ours, theirs)
    assert same, message
    assert "34 facility-quarters" in message
