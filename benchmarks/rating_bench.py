"""Five-Star rating benchmark (issue 6 §6): recompute a national provider file in seconds.

A synthetic NH_ProviderInfo of 15,000 facilities (the 103 columns of the August
2024 release, cp1252, every staffing figure drawn at random) is rated by
``carecover rating stars`` and, side by side, read by a bare Python process that
only parses the CSV (the floor any reader pays).

Target: ``rating stars`` of the national file under 10 s wall time on this
machine ("a national provider file is recomputed in seconds"). For the record,
the ratio to the bare CSV parse (Python start-up and imports of numpy and the
CLI are part of ours, not of the baseline).
"""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

from benchmarks.harness import OUT, ROOT, Command, run_side_by_side

PY = sys.executable
FACILITIES = 15_000
SOURCE = ROOT / "tests" / "fixtures" / "rating" / "NH_ProviderInfo_Aug2024_real3.csv"
RANDOM_COLUMNS = {
    "Adjusted RN Staffing Hours per Resident per Day": (0.2, 2.0),
    "Adjusted Total Nurse Staffing Hours per Resident per Day": (2.5, 6.0),
    "Adjusted Weekend Total Nurse Staffing Hours per Resident per Day": (2.0, 5.0),
    "Total nursing staff turnover": (10.0, 90.0),
    "Registered Nurse turnover": (0.0, 100.0),
}
PARSE_ONLY = (
    "import csv, sys; "
    "rows = list(csv.reader(open(sys.argv[1], encoding='cp1252', newline=''))); "
    "print(len(rows))"
)


def national_file(path: Path) -> None:
    """Write the synthetic national provider file (same seed, same bytes)."""
    rng = random.Random(6)
    with SOURCE.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh))
    header, base = rows[0], rows[1:]
    where = {name: header.index(name) for name in RANDOM_COLUMNS}
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for i in range(FACILITIES):
            row = list(base[i % len(base)])
            row[0] = f"S{i:05d}"
            for name, (lo, hi) in RANDOM_COLUMNS.items():
                row[where[name]] = f"{rng.uniform(lo, hi):.5f}"
            writer.writerow(row)


def run() -> str:
    """Run the rating benchmark; return its Markdown section."""
    path = OUT / f"NH_ProviderInfo_national_{FACILITIES}.csv"
    if not path.exists():
        national_file(path)
    stars_out = OUT / "rating_stars.csv"
    ours, parse = run_side_by_side(
        [
            Command(
                "carecover rating stars (national file)",
                [PY, "-m", "carecover", "rating", "stars", "--provider-info", str(path),
                 "--method", "2024-07"],
                stars_out,
            ),
            Command("python: csv.reader over the same file", [PY, "-c", PARSE_ONLY, str(path)]),
        ],
        repeat=3,
    )  # fmt: skip
    lines = stars_out.read_text(encoding="utf-8").count("\n") - 1
    size = path.stat().st_size / 1e6
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return "\n".join(
        [
            "## Five-Star rating (issue 6)",
            "",
            f"### `rating stars` on a national provider file: {FACILITIES:,} facilities, "
            f"{size:.1f} MB",
            "",
            "| process | best wall time | peak RSS |",
            "|---|---|---|",
            f"| {ours.label} | {ours.seconds:.2f} s | {ours.peak_mib:,.0f} MiB |",
            f"| {parse.label} | {parse.seconds:.2f} s | {parse.peak_mib:,.0f} MiB |",
            "",
            f"- `rating stars`: **{ours.seconds:.2f} s** (target < 10 s); "
            f"{lines:,} facilities rated",
            f"- over the bare CSV parse: {ours.seconds / parse.seconds:.1f}x (for the record)",
            f"- load average (1, 5, 15 min) at the end of the suite: {load_average}"
            " on 2 cores shared with other engineers' runs",
            "",
        ]
    )
