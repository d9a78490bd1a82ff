"""The ``carecover`` command line: a thin layer over the domain packages.

Every command parses its arguments, calls one library function and renders
the result. ``carecover.errors.CarecoverError`` is turned into one line on
stderr (``error: <message>``) and exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import sys

from carecover.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the CLI; never let a traceback reach the user."""
    from carecover.cli.edge import run

    sys.exit(run(app, sys.argv[1:]))
