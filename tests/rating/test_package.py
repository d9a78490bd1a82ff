"""The package's public names."""

from __future__ import annotations

import subprocess
import sys

import carecover.rating


def test_every_public_name_resolves() -> None:
    for name in carecover.rating.__all__:
        assert getattr(carecover.rating, name) is not None
    assert sorted(carecover.rating.__all__) == list(carecover.rating.__all__)


def test_importing_the_package_imports_no_framework() -> None:
    code = (
        "import sys, carecover.rating; "
        "print(sorted(m for m in ('django', 'typer', 'rich', 'ibis') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
