"""The flat module paths of ``carecover.pbj`` before its sub-packages, kept for one release.

Issue 14 gave ``pbj`` sub-packages that show the domain (``submission``,
``timeclock``, ``publicfile``, ``measures``, ``history``, ``employees``).
Code written against the old flat paths keeps working until the next
release: ``import carecover.pbj.measures_sql`` gives a module that forwards
every name to ``carecover.pbj.measures.compiled`` and warns once
(``DeprecationWarning``) where the old path was imported. Four old modules
gave their name to a sub-package (``measures``, ``history``, ``timeclock``,
``publicfile``, and ``submission``): those packages forward the old
module's names the same way (``forwarding``).

The old paths are listed in ``MOVED`` (old module -> new path under
``carecover.pbj``); docs/architecture.md has the same map.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

__all__ = ["MOVED", "forwarding", "install"]

_PACKAGE = "carecover.pbj"
MOVED = {
    "reader": "submission.reader",
    "xmlsafe": "submission.xmlsafe",
    "submission": "submission.records",
    "validation": "submission.validation",
    "checker": "submission.checker",
    "edits": "submission.edits",
    "fvr": "submission.fvr",
    "writer": "submission.writer",
    "xmlstore": "submission.store",
    "submission_days": "submission.days",
    "casper": "submission.casper",
    "synth_xml": "submission.synth",
    "timeclock": "timeclock.export",
    "shifts": "timeclock.shifts",
    "onsite": "timeclock.onsite",
    "missing_days": "timeclock.missing_days",
    "publichead": "publicfile.head",
    "publicfile": "publicfile.scan",
    "filebytes": "publicfile.filebytes",
    "loader_rules": "publicfile.rules",
    "plausible": "publicfile.plausible",
    "loading": "publicfile.loading",
    "synth_puf": "publicfile.synth",
    "measures": "measures.staffing",
    "measures_sql": "measures.compiled",
    "measures_text": "measures.text",
    "coverage": "measures.coverage",
    "nonnurse_measures": "measures.nonnurse",
    "minimums": "measures.minimums",
    "minimum_rules": "measures.minimum_rules",
    "peer_groups": "measures.peer_groups",
    "peer_comparison": "measures.peer_comparison",
    "benchmark": "measures.benchmark",
    "history": "history.table",
    "history_providers": "history.providers",
    "history_views": "history.views",
    "history_benchmark": "history.benchmark",
    "employee_detail": "employees.detail",
    "employee_store": "employees.store",
    "employee_measures": "employees.measures",
    "synth_employee_detail": "employees.synth",
    "employee_rules": "employees.rules",
    "employee_scan": "employees.scan",
}


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} moved to {new}; the old path goes in the next release",
        DeprecationWarning,
        stacklevel=3,
    )


def forwarding(package: str, old: str, new: str) -> Callable[[str], Any]:
    """A package ``__getattr__`` (PEP 562) giving the names of the module the package replaced.

    ``carecover.pbj.measures`` was a module; ``from carecover.pbj.measures
    import quarterly_measures`` still works, from ``measures.staffing``.
    """

    def __getattr__(name: str) -> Any:
        # A submodule of the package is the import system's to find, never a forwarded name.
        if name.startswith("__") or importlib.util.find_spec(f"{package}.{name}") is not None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        target = importlib.import_module(new)
        if not hasattr(target, name):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        _warn(f"{old}.{name}", f"{new}.{name}")
        return getattr(target, name)

    return __getattr__


class _Forward(importlib.abc.Loader):
    """Makes the old module: a module of its own that forwards every name to the new one."""

    def __init__(self, new: str) -> None:
        self.new = new

    def exec_module(self, module: ModuleType) -> None:
        target = importlib.import_module(self.new)
        _warn(module.__name__, self.new)

        def __getattr__(name: str) -> Any:
            return getattr(target, name)

        def __dir__() -> list[str]:
            return dir(target)

        vars(module).update(
            __getattr__=__getattr__, __dir__=__dir__, __all__=list(getattr(target, "__all__", []))
        )


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, old = fullname.rpartition(".")
        if package != _PACKAGE or old not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Forward(f"{_PACKAGE}.{MOVED[old]}"))


def install() -> None:
    """Let the old flat paths import (once per process; ``carecover.pbj`` calls it)."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
