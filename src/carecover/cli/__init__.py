"""The ``carecover`` command line: a thin layer over the domain packages.

Every command parses its arguments, calls one library function and renders
the result. ``carecover.errors.CarecoverError`` is turned into one line on
stderr (``error: <message>``) and exit status 1; usage errors exit 2.

``main`` first offers the arguments to the quick path of ``pbj measures
FILE...`` (``pbj_measures_quick``), which runs that command without
importing Typer; everything else, and anything that path does not
recognise, goes through the Typer application ``app`` (imported on first
use, so the quick path never pays for it).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carecover.cli.app import app

__all__ = ["app", "main"]


class _Package(types.ModuleType):
    """This package, with ``app`` imported on first use.

    A property, not a module ``__getattr__``: importing the submodule
    ``carecover.cli.app`` makes the import system set the package attribute
    ``app`` to that submodule, which would then hide the Typer application;
    the property's setter ignores that assignment.
    """

    @property
    def app(self) -> Any:
        """The Typer application (``carecover.cli.app.app``)."""
        from carecover.cli.app import app

        return app

    @app.setter
    def app(self, value: Any) -> None:
        pass  # the submodule carecover.cli.app, set by the import system


sys.modules[__name__].__class__ = _Package


def main() -> None:
    """Run the CLI; never let a traceback reach the user."""
    argv = sys.argv[1:]
    if argv[:2] == ["pbj", "measures"]:
        from carecover.cli.pbj_measures_quick import run as run_quick

        code = run_quick(argv)
        if code is not None:
            sys.exit(code)
    from carecover.cli.app import app
    from carecover.cli.edge import run

    sys.exit(run(app, argv))
