"""The words of a failure on the command line (``edge`` prints them).

Free of Typer: a plain function of the exception, tested on its own.
"""

from __future__ import annotations

import re

from carecover.errors import CarecoverError, InputError, StoreBusyError, ValidationError

__all__ = ["SHOWN_PROBLEMS", "escaped_error", "message"]


#: A ``ValidationError`` lists every problem; one line shows the first few.
SHOWN_PROBLEMS = 3


def message(exc: CarecoverError) -> str:
    """The text after ``error: `` for ``exc``, with the CLI's own hint where one helps."""
    if isinstance(exc, StoreBusyError) and not exc.waited:
        return f"{exc} (or let the command wait for it with --wait SECONDS)"
    if isinstance(exc, ValidationError) and len(exc.problems) > SHOWN_PROBLEMS:
        shown = "; ".join(str(p) for p in exc.problems[:SHOWN_PROBLEMS])
        rest = len(exc.problems) - SHOWN_PROBLEMS
        return str(InputError(f"{shown} (and {rest} more problems)", file=exc.file, line=exc.line))
    return str(exc)


def escaped_error(exc: Exception) -> CarecoverError | None:
    """A DuckDB error that escaped a command, told as a ``StoreError`` or one plain line.

    The stores translate what they can (``carecover.storefile``); this is the
    backstop for the rest (for example a lock met by ``ATTACH``).
    """
    if not type(exc).__module__.lstrip("_").startswith("duckdb"):
        return None
    from carecover.storefile import describe_failure

    text = str(exc)
    # DuckDB names the file it failed on: 'Could not set lock on file "/x.duckdb"'.
    quoted = re.search(r'file "([^"]+)"', text)
    failure = describe_failure(exc, quoted[1] if quoted else "the store")
    if failure is not None:
        return failure
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return CarecoverError(f"DuckDB could not run the command: {first}")
