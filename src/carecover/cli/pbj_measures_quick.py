"""``carecover pbj measures FILE...`` without Typer: the national-quarter hot path.

Typer builds a pydantic TypeAdapter for every parameter of the command it
runs, and importing Typer and pydantic costs about a fifth of a second: a
tenth of ``pbj measures`` on a national quarter (issue 4 §7 counts start-up).
So ``carecover.cli.main`` hands the plain form of the command to ``run``
first:

    pbj measures FILE... [--format table|csv|json] [--quarter Q] [--facility CCN]

(each option at most once, as ``--opt value`` or ``--opt=value``, every FILE
existing). Anything else (``--help``, ``--daily``, ``--db``, no FILE, a
missing file, an unknown option or format) returns ``None`` and goes through
Typer, which prints the usage error or the help. The command itself is one
function, ``print_quarterly``, that the Typer command calls too, and errors
end as they do under Typer (``cli.edge``): ``error: <message>`` and exit 1,
exit 130 on Ctrl-C, exit 1 quietly when the reader of stdout goes away.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carecover.cli.failure import escaped_error, message
from carecover.cli.pbj_render import Format, render_tuples
from carecover.errors import CarecoverError

__all__ = ["print_quarterly", "run"]

_OPTIONS = ("--format", "--quarter", "--facility")
_FORMATS = {f.value: f for f in Format}


def print_quarterly(source: Any, quarter: str | None, facility: str | None, fmt: Format) -> None:
    """Print the quarterly measures of ``source`` (files or a store path) in ``fmt``."""
    # The quarterly measures run as compiled SQL on DuckDB: no Ibis import.
    from carecover.pbj.measures_sql import quarterly_table, quarterly_text

    label = None
    if quarter:
        from carecover.pbj.calendar import Quarter

        label = Quarter.parse(quarter)
    from carecover.pbj.missing_days import day_warnings, printed_warnings, summarised

    if fmt is Format.JSON:
        columns, rows = quarterly_table(source, quarter=label, facility=facility)
        render_tuples(rows, columns, fmt)
        warnings = [w for r in rows for w in day_warnings(dict(zip(columns, r, strict=True)))]
    else:
        # DuckDB prints the CSV lines or the table itself (the same bytes, faster).
        text = quarterly_text(source, quarter=label, facility=facility, layout=fmt.value)
        sys.stdout.write(text)
        warnings = printed_warnings(text, fmt.value)
    # Missing days are never silent (issue 15 §2); on stderr, so the output stays data.
    sys.stdout.flush()
    for line in summarised(warnings):
        print(f"warning: {line}", file=sys.stderr)


def _parse(argv: Sequence[str]) -> tuple[list[Path], dict[str, str]] | None:
    """Files and option values of the plain form, or ``None`` for anything else."""
    if list(argv[:2]) != ["pbj", "measures"]:
        return None
    files: list[Path] = []
    values: dict[str, str] = {}
    tokens = iter(argv[2:])
    for token in tokens:
        if not token.startswith("-"):
            files.append(Path(token))
            continue
        name, equals, value = token.partition("=")
        if name not in _OPTIONS or name in values:
            return None
        if not equals:
            following = next(tokens, None)
            if following is None or following.startswith("-"):
                return None
            value = following
        values[name] = value
    # Typer's FILE argument requires existing paths; let it word the error.
    if not files or not all(os.path.exists(f) for f in files):
        return None
    if values.get("--format", Format.TABLE.value) not in _FORMATS:
        return None
    return files, values


def run(argv: Sequence[str]) -> int | None:
    """Run ``argv`` (without the program name) if it is the plain form; its exit status.

    ``None``: not the plain form, nothing was done; run it through Typer.
    """
    parsed = _parse(argv)
    if parsed is None:
        return None
    files, values = parsed
    fmt = _FORMATS[values.get("--format", Format.TABLE.value)]
    try:
        print_quarterly(files, values.get("--quarter"), values.get("--facility"), fmt)
        sys.stdout.flush()
    except CarecoverError as exc:
        print(f"error: {message(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130  # as Typer: Exit(130), no message
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            # As Typer: the reader left (``| head``); exit 1 without a message,
            # and point stdout at /dev/null so the final flush cannot fail.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        name = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{name}", file=sys.stderr)
        return 1
    except Exception as exc:
        failure = escaped_error(exc)
        if failure is None:
            raise
        print(f"error: {message(failure)}", file=sys.stderr)
        return 1
    return 0
