"""Time whole processes side by side and write the figures down.

Absolute times drift on shared machines, so every target is a ratio between
processes measured in the same run; each command runs ``repeat`` times and the
best wall time counts (the least disturbed run), with its peak RSS. Where a
target is close, the ratio within each round (``paired_ratios``: the
commands of a round ran seconds apart) is reported too, and its median.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
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


@dataclass(frozen=True)
class Command:
    """One process to time: its label, argv, where stdout goes, the exit codes that are fine."""

    label: str
    argv: list[str]
    stdout: Path | None = None
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] | None = None  # added to this process's environment


# Linux counts the memory of the process that forked a child in the child's
# peak RSS (exec keeps the old address space's high-water mark, and with
# vfork that is the parent's). So a small launcher process starts each
# command and reports its wall time, exit status and peak RSS on one line.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed} {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def _run_once(cmd: Command) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of ``cmd``."""
    sink = cmd.stdout.open("wb") if cmd.stdout else subprocess.DEVNULL
    env = {**os.environ, **cmd.env} if cmd.env else None
    with tempfile.TemporaryDirectory(prefix="carecover-bench-") as tmp:
        report = Path(tmp) / "report"
        launcher = [sys.executable, "-c", _LAUNCHER, str(report), *cmd.argv]
        proc = subprocess.run(launcher, stdout=sink, stderr=subprocess.PIPE, env=env, check=False)
        elapsed, code, kib = report.read_text().split()
    if cmd.stdout and not isinstance(sink, int):
        sink.close()
    if int(code) not in cmd.ok_codes:
        err = proc.stderr.decode(errors="replace")
        raise RuntimeError(f"{cmd.label} failed: {' '.join(cmd.argv)}\n{err}")
    return float(elapsed), int(kib) / 1024  # Linux reports KiB


def run_side_by_side(commands: list[Command], *, repeat: int = 3) -> list[Timing]:
    """Run the commands in turn, ``repeat`` rounds; each keeps its best time and largest RSS.

    Interleaving the rounds (A, B, A, B...) exposes every command to the same
    drift of a shared machine, which a ratio between them then cancels.
    """
    return best_of(run_rounds(commands, repeat=repeat))


def run_rounds(commands: list[Command], *, repeat: int = 3) -> list[list[Timing]]:
    """Every round's timings: ``repeat`` rounds, each running the commands in turn.

    The commands of one round ran seconds apart, under the same load, so a
    ratio within a round (``paired_ratios``) cancels drift that the best
    times of different rounds may not.
    """
    rounds = []
    for _ in range(repeat):
        timings = []
        for cmd in commands:
            elapsed, rss = _run_once(cmd)
            timings.append(Timing(cmd.label, elapsed, rss))
        rounds.append(timings)
    return rounds


def best_of(rounds: list[list[Timing]]) -> list[Timing]:
    """Per command, its best wall time over the rounds and its largest peak RSS."""
    return [
        Timing(runs[0].label, min(t.seconds for t in runs), max(t.peak_mib for t in runs))
        for runs in zip(*rounds, strict=True)
    ]


def paired_ratios(rounds: list[list[Timing]], top: int, bottom: int) -> list[float]:
    """Per round, command ``top``'s wall time over command ``bottom``'s, sorted."""
    return sorted(r[top].seconds / r[bottom].seconds for r in rounds)


def run_timed(
    label: str,
    argv: list[str],
    *,
    repeat: int = 3,
    stdout: Path | None = None,
    ok_codes: tuple[int, ...] = (0,),
    env: dict[str, str] | None = None,
) -> Timing:
    """Run ``argv`` ``repeat`` times; keep the fastest run and the largest peak RSS."""
    [timing] = run_side_by_side([Command(label, argv, stdout, ok_codes, env)], repeat=repeat)
    return timing


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
