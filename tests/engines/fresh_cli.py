"""Run the CLI in a fresh process with a given compiled-SQL cache: did it import Ibis?"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any


def run_cli(argv: list[str], cache: Path) -> tuple[bool, str]:
    """Run ``carecover argv`` in a new interpreter; (Ibis imported, what it printed).

    The command must succeed. ``cache`` is its ``CARECOVER_CACHE_DIR``.
    """
    code = (
        "import sys\nfrom carecover.cli import app\nfrom carecover.cli.edge import run\n"
        f"try:\n    run(app, {argv!r})\nexcept SystemExit as exit:\n    assert not exit.code\n"
        "print('ibis' in sys.modules)"
    )
    env: dict[str, Any] = {"CARECOVER_CACHE_DIR": str(cache), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    *printed, imported = done.stdout.split("\n")[:-1]
    return imported == "True", "\n".join(printed)
