"""Files written for a user: whole or not at all, and a path that cannot be written named first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from carecover.errors import InputError
from carecover.outputs import written
from tests.conftest import CliResult
from tests.pipes import read_pipe

Cli = Callable[..., CliResult]


def test_a_file_is_written_whole_and_no_partial_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with written(target) as partial:
        assert not target.exists()  # nothing under the name until the content is whole
        partial.write_text("a,b\n1,2\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_an_error_while_writing_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the old content\n", encoding="utf-8")

    def write_half() -> None:
        with written(target) as partial:
            partial.write_text("half of a new", encoding="utf-8")
            raise ValueError("half way")

    with pytest.raises(ValueError, match="half way"):
        write_half()
    assert target.read_text(encoding="utf-8") == "the old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "out.csv"
    with written(target) as partial:
        partial.write_bytes(b"x")
    assert target.read_bytes() == b"x"


def test_a_folder_given_as_the_file_is_refused_by_name_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught, written(tmp_path):
        pytest.fail("the block ran")
    assert str(caught.value) == f"{tmp_path}: this is a folder, not a file to write"
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_a_folder_should_be_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "reports.csv").write_text("kept\n", encoding="utf-8")
    target = tmp_path / "reports.csv" / "sub" / "out.csv"
    with pytest.raises(InputError) as caught, written(target):
        pytest.fail("the block ran")
    assert str(caught.value) == (
        f"{target}: cannot write here: {tmp_path / 'reports.csv'} is a file, not a folder"
    )
    assert (tmp_path / "reports.csv").read_text(encoding="utf-8") == "kept\n"


def test_a_name_the_file_system_refuses_is_one_error_naming_it(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300 + ".csv")  # longer than a file name may be
    with pytest.raises(InputError) as caught, written(target):
        pytest.fail("the block ran")
    assert str(caught.value) == f"{target}: cannot write here: File name too long"


def test_a_link_is_written_where_it_points_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with written(link) as partial:
        partial.write_text("new\n", encoding="utf-8")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_a_pipe_is_written_to_as_it_is(tmp_path: Path) -> None:
    with read_pipe(tmp_path) as (pipe, received), written(pipe) as partial:
        assert partial == pipe  # a pipe has nothing to replace
        partial.write_bytes(b"streamed\n")
    assert received == [b"streamed\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


SYNTH_COMMANDS = [
    ("synth", "puf", "--facilities", "2", "--quarter", "2024Q2"),
    ("synth", "mds", "--facilities", "1", "--from", "2026-01-01", "--to", "2026-01-31"),
    ("synth", "employee-detail", "--facilities", "1", "--quarter", "2024Q2"),
    ("synth", "visits", "--month", "2026-10"),
]


@pytest.mark.parametrize("command", SYNTH_COMMANDS, ids=lambda c: c[1])
def test_every_synth_command_refuses_a_folder_as_its_output_in_one_line(
    cli: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = cli(*command, "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path}: this is a folder, not a file to write\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", SYNTH_COMMANDS, ids=lambda c: c[1])
def test_every_synth_command_writes_into_a_folder_it_makes(
    cli: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    target = tmp_path / "made" / "out.csv"
    result = cli(*command, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").count("\n") > 1
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]


def test_a_synthetic_file_that_fails_half_way_leaves_the_old_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "puf.csv"
    target.write_text("the old file\n", encoding="utf-8")
    summary = tmp_path / "summary.csv"  # a summary DuckDB cannot read as one
    summary.write_text("state,quarter,avg_daily_census\nNC,2024Q2,lots\n", encoding="utf-8")
    result = cli(
        "synth", "puf", "--facilities", "2", "--quarter", "2024Q2",
        "--reference", summary, "-o", target,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {summary}: cannot build synthetic rows")
    assert target.read_text(encoding="utf-8") == "the old file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["puf.csv", "summary.csv"]
