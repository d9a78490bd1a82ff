"""Shared test fixtures: real engines, no mocks of our own code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from carecover.cli import app
from carecover.cli.edge import run

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@dataclass
class CliResult:
    """What one in-process CLI call printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``carecover ARGS...`` in process, through the same error edge as the binary."""

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run(app, [str(a) for a in args])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return invoke


@pytest.fixture
def shared() -> Path:
    """The read-only shared material (seeds, reference, real CMS data)."""
    if not SHARED.exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED
