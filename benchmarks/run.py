"""``make bench``: run every benchmark and write benchmarks/RESULTS.md.

Each target is a ratio between whole processes measured side by side in this
run (see harness.py), so the figures survive the drift of shared machines.
"""

from __future__ import annotations

import sys

from benchmarks import pbj_bench
from benchmarks.harness import OUT, ROOT, header


def main() -> None:
    """Run the benchmarks named on the command line (default: all) and write RESULTS.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    suites = {"pbj": pbj_bench.run}
    wanted = sys.argv[1:] or list(suites)
    sections = [suites[name]() for name in wanted]
    text = "# Benchmark results\n\n" + header() + "\n" + "\n".join(sections)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
