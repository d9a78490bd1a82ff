"""The README is the CLI reference: every command must be documented there."""

from __future__ import annotations

import shlex

import pytest
import typer

from carecover.cli import app
from tests.conftest import REPO


def _command_paths(group: typer.Typer, prefix: str) -> list[str]:
    command = typer.main.get_command(group)
    paths: list[str] = []

    def walk(cmd: object, path: str) -> None:
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{path} {name}")
        else:
            paths.append(path)

    walk(command, prefix)
    return paths


def test_every_cli_command_appears_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [p for p in _command_paths(app, "carecover") if p not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert first_block.split() == ["make", "demo", "make", "test"]


def _examples() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in readme.split("```sh\n")[1:]:
        body = block.split("```", 1)[0]
        commands += [line for line in body.splitlines() if line.startswith("carecover ")]
    return commands


def test_the_readme_has_runnable_examples() -> None:
    assert len(_examples()) >= 8


@pytest.mark.parametrize("command", _examples())
def test_every_readme_example_runs(command: str, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    if "../shared/" in command and not (REPO.parent / "shared").exists():
        pytest.skip("../shared is not beside the repository")
    monkeypatch.chdir(REPO)
    result = cli(*shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
