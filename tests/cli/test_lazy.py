"""Command groups load when they run: start-up imports none of them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from carecover.cli.app import GROUPS
from carecover.cli.lazy import LazyCommand
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_each_group_is_listed_with_the_help_its_module_declares(name: str) -> None:
    module, text = GROUPS[name]
    real = LazyCommand(name, module, text).real()
    assert (real.help or "").strip().splitlines()[0] == text


def test_help_imports_no_command_group_and_no_heavy_library() -> None:
    code = (
        "import sys\nfrom carecover.cli import app\nfrom carecover.cli.edge import run\n"
        "run(app, ['--help'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('carecover.cli.'))))\n"
        "print(' '.join(m for m in ('ibis', 'duckdb', 'openpyxl', 'django', 'lxml') "
        "if m in sys.modules) or '-')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[-2].split() == ["carecover.cli.app", "carecover.cli.edge", "carecover.cli.lazy"]
    assert out[-1] == "-"


def test_a_lazy_group_parses_its_own_arguments(cli: Cli) -> None:
    result = cli("pbj", "measures", "--format", "xml")
    assert result.exit_code == 2
    result = cli("pbj", "--help")
    assert result.exit_code == 0
    assert "measures" in result.stdout
