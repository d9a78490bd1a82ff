"""Wide files fail fast (issue 12 §4): 100,000 columns refused in under 1 s and 200 MB.

Three hostile files, each with a header of 100,000 columns:

- a backup-report CSV (1.6 MB; the known columns and 100,000 more): once
  over 120 s, every column counted against every other;
- a PBJ public file with a nurse header, 100,000 more columns and one row
  that does not line up: once 37 s and 2.5 GB;
- an MDS extract with the contract columns and 100,000 more: once 28 s and
  2.6 GB, then a traceback.

Each loader reads the header first and refuses it (``csvrecords``,
``pbj.publichead``, ``mds.extract.MAX_COLUMNS``): exit 1, one line. The
targets are absolute (under 1 s wall, under 200 MiB peak RSS per process,
Python start-up included); ``carecover --help`` is timed beside them as the
floor every command pays.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.harness import OUT, ROOT, Command, run_side_by_side

PY = sys.executable
WIDTH = 100_000
TARGET_SECONDS = 1.0
TARGET_MIB = 200.0


def _backup_file(path: Path) -> None:
    from carecover.backup.reading import COLUMNS

    header = ",".join([*COLUMNS, *(f"c{i}" for i in range(WIDTH))])
    path.write_text(header + "\n" + ",".join(["x"] * (len(COLUMNS) + WIDTH)) + "\n")


def _public_file(path: Path) -> None:
    plain = ROOT / "tests" / "fixtures" / "pbj" / "nurse_2024Q2_plain.csv"
    header, first, *_ = plain.read_text(encoding="utf-8").split("\n")
    extra = "".join(f",X{i}" for i in range(WIDTH))
    # One data row lines up with the header; the second is one field short.
    path.write_text(f"{header}{extra}\n{first}{',1' * WIDTH}\n{first}{',1' * (WIDTH - 1)}\n")


def _mds_file(path: Path) -> None:
    from carecover.mds.extract import COLUMNS

    header = ",".join([*COLUMNS, *(f"X{i}" for i in range(WIDTH))])
    path.write_text(header + "\n" + ",".join(["1"] * (len(COLUMNS) + WIDTH)) + "\n")


def run() -> str:
    """Run the wide-file benchmark; return its Markdown section."""
    files = {
        "backup": OUT / "wide_backup.csv",
        "public": OUT / "wide_public.csv",
        "mds": OUT / "wide_mds.csv",
    }
    _backup_file(files["backup"])
    _public_file(files["public"])
    _mds_file(files["mds"])
    db = OUT / "wide.duckdb"
    db.unlink(missing_ok=True)
    cli = [PY, "-m", "carecover"]
    commands = [
        Command("carecover --help (start-up floor)", [*cli, "--help"]),
        Command(
            "backup validate: backup reports, 100,000 columns",
            [*cli, "backup", "validate", str(files["backup"])],
            ok_codes=(1,),
        ),
        Command(
            "pbj load: public file, 100,000 columns, one misaligned row",
            [*cli, "pbj", "load", str(files["public"]), "--db", str(db)],
            ok_codes=(1,),
        ),
        Command(
            "pbj measures FILE: the same public file",
            [*cli, "pbj", "measures", str(files["public"])],
            ok_codes=(1,),
        ),
        Command(
            "mds load: MDS extract, 100,000 columns",
            [*cli, "mds", "load", str(files["mds"]), "--db", str(db)],
            ok_codes=(1,),
        ),
    ]
    timings = run_side_by_side(commands, repeat=3)
    refusals = _in_process(files, db)
    rows = [
        f"| {t.label} | {t.seconds:.2f} s | {t.peak_mib:,.0f} MiB |"
        + ("" if i == 0 else f" {'met' if _met(t.seconds, t.peak_mib) else '**missed**'} |")
        for i, t in enumerate(timings)
    ]
    rows[0] += " (floor) |"
    sizes = ", ".join(f"{name} {path.stat().st_size / 1e6:.1f} MB" for name, path in files.items())
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return "\n".join(
        [
            "## Wide files fail fast (issue 12 §4)",
            "",
            f"Files: {sizes}; each refused with exit 1 and one `error:` line.",
            "",
            "| process | best wall time | peak RSS | target < 1 s and < 200 MiB |",
            "|---|---|---|---|",
            *rows,
            "",
            "The refusal itself, in process after the imports (best of 5; peak of Python"
            " allocations by `tracemalloc`): the rest of each wall time above is Python and"
            " CLI start-up, which the floor row shows on the same machine at the same time.",
            "",
            "| loader | refused in | peak allocations |",
            "|---|---|---|",
            *refusals,
            "",
            f"- load average (1, 5, 15 min) at the end of the suite: {load_average}"
            " on 2 cores shared with other engineers' runs",
            "",
        ]
    )


def _in_process(files: dict[str, Path], db: Path) -> list[str]:
    """Time each loader's refusal of its wide file inside this process."""
    import time
    import tracemalloc
    from collections.abc import Callable
    from datetime import date

    from carecover.backup.reading import check_reports
    from carecover.errors import InputError
    from carecover.mds import connect as mds_connect
    from carecover.mds.store import load_file as mds_load
    from carecover.pbj.ingest import load_paths
    from carecover.pbj.store import connect as pbj_connect

    pbj, mds = pbj_connect(":memory:"), mds_connect(None)
    loaders: dict[str, Callable[[], object]] = {
        "backup reading (`check_reports`)": lambda: check_reports(
            files["backup"], today=date(2026, 1, 1)
        ),
        "PBJ public file (`load_paths`)": lambda: load_paths(pbj, [files["public"]]),
        "MDS extract (`load_file`)": lambda: mds_load(mds, files["mds"]),
    }
    rows = []
    for label, call in loaders.items():
        best, peak = float("inf"), 0
        for _ in range(5):
            tracemalloc.start()
            start = time.perf_counter()
            try:
                call()
            except InputError:
                pass
            else:
                raise RuntimeError(f"{label} accepted a file of {WIDTH:,} columns")
            best = min(best, time.perf_counter() - start)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        rows.append(f"| {label} | {best * 1000:.0f} ms | {peak / 2**20:.1f} MiB |")
    return rows


def _met(seconds: float, mib: float) -> bool:
    return seconds < TARGET_SECONDS and mib < TARGET_MIB
