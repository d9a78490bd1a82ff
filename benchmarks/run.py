"""``make bench``: run benchmarks and write their sections of benchmarks/RESULTS.md.

Each target is a ratio between whole processes measured side by side in this
run (see harness.py), so the figures survive the drift of shared machines.

``python -m benchmarks.run pbj`` runs one suite and replaces only its section:
every section sits between ``<!-- suite:NAME -->`` and ``<!-- /suite:NAME -->``
and carries the machine and date of its own run; the other sections stay as
they were. A new suite is one line in ``SUITES``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from benchmarks import (
    employee_detail_bench,
    history_bench,
    history_full_bench,
    mds_bench,
    mds_duplicates_bench,
    nursinghome_bench,
    pbj_bench,
    pbj_national_bench,
    portal_bench,
    rating_bench,
    wide_bench,
)
from benchmarks.harness import OUT, ROOT, header

SUITES: dict[str, Callable[[], str]] = {
    "pbj": pbj_bench.run,
    "pbj-national": pbj_national_bench.run,
    "mds": mds_bench.run,
    "mds-duplicates": mds_duplicates_bench.run,
    "portal": portal_bench.run,
    "rating": rating_bench.run,
    "nursinghome": nursinghome_bench.run,
    "wide": wide_bench.run,
    "history": history_bench.run,
    "employee-detail": employee_detail_bench.run,
    "history-full": history_full_bench.run,
}
#: Run only when named: too large for every ``make bench`` (9 GB of files).
OPT_IN = frozenset({"history-full"})
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
TITLE = (
    "# Benchmark results\n\n"
    "Written by `make bench` (`python -m benchmarks.run [SUITE...]`); each section\n"
    "is replaced only when its suite runs, and names the machine and date of that run.\n"
)
_SECTION = re.compile(r"<!-- suite:([\w-]+) -->\n.*?<!-- /suite:\1 -->\n?", re.DOTALL)


def section(name: str, body: str, machine_and_date: str) -> str:
    """``body`` (a suite's Markdown) between its markers, the machine and date under its title."""
    title, _, rest = body.partition("\n")
    if title.startswith("#"):
        body = f"{title}\n\n{machine_and_date}{rest}"
    else:
        body = f"{machine_and_date}\n{body}"
    return f"<!-- suite:{name} -->\n{body.rstrip()}\n<!-- /suite:{name} -->\n"


def merge(existing: str, fresh: dict[str, str]) -> str:
    """``existing`` RESULTS.md with the sections in ``fresh`` replaced (or appended)."""
    kept = {m.group(1): m.group(0) for m in _SECTION.finditer(existing)}
    order = list(kept) + [name for name in fresh if name not in kept]
    sections = [fresh.get(name) or kept[name] for name in order]
    return TITLE + "\n" + "\n".join(s.rstrip() + "\n" for s in sections)


def main() -> None:
    """Run the suites named (default: all but ``OPT_IN``) and merge them into RESULTS.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = sys.argv[1:] or [name for name in SUITES if name not in OPT_IN]
    unknown = [name for name in wanted if name not in SUITES]
    if unknown:
        sys.exit(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(SUITES)}")
    fresh = {name: section(name, SUITES[name](), header()) for name in wanted}
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    RESULTS.write_text(merge(existing, fresh), encoding="utf-8")
    print("\n".join(fresh.values()))


if __name__ == "__main__":
    main()
