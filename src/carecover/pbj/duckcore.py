"""DuckDB's engine without the start-up of its Python package, where that is possible.

``import duckdb`` costs about a tenth of a second: the package re-exports its
compiled extension, ``_duckdb``, and imports Python modules around it
(relational-API helpers, typing, version metadata). ``pbj measures FILE``
on a national quarter counts its start-up (issue 4 §7) and only connects,
runs SQL and fetches rows, which the extension does on its own (importing it
alone takes about 0.03 s). ``core`` returns the extension; should a DuckDB
release stop shipping it under that name, it returns the package instead,
which has the same ``connect``, ``Error`` and ``__version__``.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["core"]


def core() -> ModuleType:
    """DuckDB's compiled engine (``_duckdb``), or the ``duckdb`` package when it is missing."""
    if "duckdb" in sys.modules:
        return sys.modules["duckdb"]  # imported already: nothing to save
    try:
        return importlib.import_module("_duckdb")
    except ImportError:
        return importlib.import_module("duckdb")
