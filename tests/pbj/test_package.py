"""The package's public names resolve, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import carecover.pbj


@pytest.mark.parametrize("name", carecover.pbj.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(carecover.pbj, name) is not None


def test_all_lists_exactly_the_lazy_names() -> None:
    assert carecover.pbj.__all__ == sorted(carecover.pbj._HOMES)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = carecover.pbj.no_such_thing  # type: ignore[attr-defined]


def test_importing_the_package_does_not_import_ibis() -> None:
    code = "import sys, carecover.pbj, carecover.pbj.calendar; print('ibis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
