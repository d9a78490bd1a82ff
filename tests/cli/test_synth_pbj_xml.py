"""``carecover synth pbj-xml``: synthetic PBJ files for tests, demos and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.pbj.submission.test_writer import assert_valid

Cli = Callable[..., Any]


def test_it_writes_a_folder_of_valid_files(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "synth"
    result = cli("synth", "pbj-xml", "--facilities", "2", "--quarter", "2026Q1", "-o", out)
    assert result.exit_code == 0, result.stderr
    files = sorted(out.glob("*.xml"))
    assert [f.name for f in files] == ["pbj_SYN000001_2026Q1.xml", "pbj_SYN000002_2026Q1.xml"]
    assert result.stdout.count("wrote ") == 2
    for path in files:
        assert_valid(path)


def test_it_writes_one_file_with_an_exact_entry_count(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "one.xml"
    result = cli(
        "synth", "pbj-xml", "--quarter", "2026Q3", "-o", out, "--entries", "5000", "--seed", "9"
    )
    assert result.exit_code == 0, result.stderr
    assert "5000 hour entries" in result.stdout
    assert len(assert_valid(out).findall(".//hourEntry")) == 5000


def test_several_facilities_need_a_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "synth", "pbj-xml", "--facilities", "2", "--quarter", "2026Q3", "-o", tmp_path / "a.xml"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: out: with several facilities")


def test_zero_facilities_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("synth", "pbj-xml", "--facilities", "0", "--quarter", "2026Q3", "-o", tmp_path)
    assert result.exit_code == 2
