"""A named pipe being read, for tests of writers that must write to a pipe as it is."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_pipe(folder: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A FIFO in ``folder`` and, once the block ends, the bytes a reader got from it."""
    pipe = folder / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    # A daemon: a writer that never opens the pipe leaves the reader blocked, not the run.
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    try:
        yield pipe, received
    finally:
        reader.join(timeout=30)
