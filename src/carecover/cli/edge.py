"""Where carecover errors become one clean line and an exit status."""

from __future__ import annotations

import sys

import typer

from carecover.errors import CarecoverError


def run(app: typer.Typer, argv: list[str]) -> int:
    """Run ``app`` with ``argv``; translate errors into exit statuses.

    0 success, 1 a carecover error (or a command's own "invalid input" result),
    2 a usage error (Typer prints the usage), 130 interrupted.
    """
    command = typer.main.get_command(app)
    try:
        # Standalone mode lets Typer print usage errors and --help itself.
        command.main(args=argv, prog_name="carecover", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CarecoverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # A file the user named cannot be opened: still one clean line.
        name = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{name}", file=sys.stderr)
        return 1
    return 0
