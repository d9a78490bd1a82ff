"""Where carecover errors become one clean line and an exit status."""

from __future__ import annotations

import contextvars
import sys
from typing import Any

import typer

from carecover.errors import CarecoverError


def run(app: typer.Typer, argv: list[str]) -> int:
    """Run ``app`` with ``argv``; translate errors into exit statuses.

    0 success, 1 a carecover error (or a command's own "invalid input" result),
    2 a usage error (Typer prints the usage), 130 interrupted. The command runs
    in a context of its own, so settings it makes for itself (``--wait``) end
    with it.
    """
    command = typer.main.get_command(app)
    try:
        # Standalone mode lets Typer print usage errors and --help itself.
        contextvars.copy_context().run(_main, command, argv)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CarecoverError as exc:
        from carecover.cli.failure import message

        print(f"error: {message(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # A file the user named cannot be opened: still one clean line.
        name = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{name}", file=sys.stderr)
        return 1
    except Exception as exc:
        # Imported only on failure: `carecover --help` loads as little as it can.
        from carecover.cli.failure import escaped_error, message

        failure = escaped_error(exc)
        if failure is None:
            raise
        print(f"error: {message(failure)}", file=sys.stderr)
        return 1
    return 0


def _main(command: Any, argv: list[str]) -> None:
    command.main(args=argv, prog_name="carecover", standalone_mode=True)
