"""The ``carecover`` command line: a thin layer over the domain packages.

Every command parses its arguments, calls one library function and renders
the result. ``carecover.errors.CarecoverError`` is turned into one line on
stderr (``error: <message>``) and exit status 1; usage errors exit 2.

Every command, ``pbj measures`` included, goes through the Typer
application ``app`` (imported on first use) and ``edge.run``, which turns
errors, Ctrl-C and a closed stdout into the same exits for all of them.
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
    from carecover.cli.app import app
    from carecover.cli.edge import run

    sys.exit(run(app, argv))
