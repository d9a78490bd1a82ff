from __future__ import annotations

import subprocess
import sys


def test_an_unknown_command_is_a_usage_error_with_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("backup", "no-such-command")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr + result.stdout


def test_the_installed_entry_point_runs_without_a_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "carecover", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "backup" in proc.stdout
