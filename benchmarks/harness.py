"""Time whole processes side by side and write the figures down.

Absolute times drift on shared machines, so every target is a ratio between
processes measured in the same run; each command runs ``repeat`` times and the
best wall time counts (the least disturbed run), with its peak RSS.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Timing:
    """Best wall time (seconds) and the peak resident memory (MiB) of a command."""

    label: str
    seconds: float
    peak_mib: float


def run_timed(
    label: str,
    argv: list[str],
    *,
    repeat: int = 3,
    stdout: Path | None = None,
    ok_codes: tuple[int, ...] = (0,),
) -> Timing:
    """Run ``argv`` ``repeat`` times; keep the fastest run and the largest peak RSS."""
    best = float("inf")
    peak = 0.0
    for _ in range(repeat):
        sink = stdout.open("wb") if stdout else subprocess.DEVNULL
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if stdout and not isinstance(sink, int):
            sink.close()
        if os.waitstatus_to_exitcode(status) not in ok_codes:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"{label} failed: {' '.join(argv)}\n{err}")
        best = min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)  # Linux reports KiB
    return Timing(label, best, peak)


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def header() -> str:
    """The RESULTS.md header: machine and date."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Machine: {machine()}  \nDate: {now}\n"
