"""The flat module paths of ``carecover.pbj`` still import for one release, and say where to go."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from carecover.pbj.moved import MOVED

# Five old modules gave their name to a sub-package (``measures``, ``history``...).
PACKAGES = {new.partition(".")[0] for new in MOVED.values()}


@pytest.mark.parametrize("old", sorted(set(MOVED) - PACKAGES))
def test_every_old_module_path_gives_the_names_of_its_new_home(old: str) -> None:
    new = importlib.import_module(f"carecover.pbj.{MOVED[old]}")
    with pytest.warns(DeprecationWarning, match=f"carecover.pbj.{old} moved to"):
        module = _fresh(f"carecover.pbj.{old}")
    for name in new.__all__:
        assert getattr(module, name) is getattr(new, name)


@pytest.mark.parametrize("old", sorted(PACKAGES & set(MOVED)))
def test_every_package_that_took_a_modules_name_gives_that_modules_names(old: str) -> None:
    new = importlib.import_module(f"carecover.pbj.{MOVED[old]}")
    package = importlib.import_module(f"carecover.pbj.{old}")
    for name in new.__all__:
        with pytest.warns(DeprecationWarning, match=f"carecover.pbj.{old}.{name} moved to"):
            found = getattr(package, name)
        assert found is getattr(new, name)


def _fresh(name: str) -> object:
    # Each test imports the old path anew, so its warning is seen.
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_an_old_path_warns_at_the_line_that_imports_it() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c",
         "from carecover.pbj.measures_sql import quarterly_text"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "<string>:1: DeprecationWarning: carecover.pbj.measures_sql moved to" in done.stderr
    assert "carecover.pbj.measures.compiled" in done.stderr


def test_a_submodule_is_never_shadowed_by_a_forwarded_name() -> None:
    # measures.staffing may hold a name ``coverage``; the submodule wins.
    from carecover.pbj.measures import coverage

    assert coverage.__name__ == "carecover.pbj.measures.coverage"


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import carecover.pbj.history as history

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = history.nothing_here
