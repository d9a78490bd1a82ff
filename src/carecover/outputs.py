"""Files carecover writes for a user: whole or not at all, and refused by name before the work.

A command's output file (``-o``) is written beside its name, as
``NAME.part``, and renamed over ``NAME`` only once complete: an error, a full
disk or Ctrl-C leaves the file that was there (or none), never half of a new
one. Where the file cannot be written (the name is a folder, its folder
cannot be made, no permission) the error names the file before any work is
done, rather than coming from whatever the writer meets first (DuckDB's
``COPY`` names a file, but not as the one the user asked for).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from carecover.errors import InputError

__all__ = ["make_folder", "written"]


@contextmanager
def written(path: str | Path) -> Iterator[Path]:
    """The partial file to write ``path``'s content to; it becomes ``path`` when the block ends.

    The folder of ``path`` is made when missing. Leaving the block by an
    exception removes the partial file and leaves ``path`` as it was. A path
    that is a link is written where it points, and the link kept; a device or
    a pipe (``-o /dev/stdout``) has nothing to replace and is written to as is.
    """
    named = Path(path)
    try:
        places = _places(named)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"cannot write here: {reason}", file=str(named)) from None
    if places is None:
        yield named
        return
    target, partial = places
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _places(named: Path) -> tuple[Path, Path] | None:
    """The file to replace and the partial file, made empty; ``None`` for a device or pipe."""
    if named.is_dir():
        raise InputError("this is a folder, not a file to write", file=str(named))
    if named.exists() and not named.is_file():
        return None
    target = named.resolve() if named.is_symlink() else named
    make_folder(target)
    partial = target.with_name(target.name + ".part")
    partial.open("wb").close()  # told now, by name, if the file cannot be written here
    return target, partial


def make_folder(path: Path) -> None:
    """Make the folder ``path`` goes in, when missing.

    A file standing where a folder should be raises ``NotADirectoryError``
    naming it (``mkdir`` says only "File exists"); other failures ``OSError``.
    """
    folder = next((p for p in path.parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
