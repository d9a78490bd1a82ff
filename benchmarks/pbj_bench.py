"""PBJ benchmarks (issue 4 §7): public-file measures and PBJ XML validation.

Targets, each a ratio measured side by side in one run:
- ``carecover pbj measures`` on a national quarter within 1.5x of a bare DuckDB
  ``count(*)`` scan of the same CSV, at least 3x faster than the pandas baseline,
  peak memory under 2 GB; the two give the same numbers.
- measures for every facility of a quarter from the store: well under a second.
- ``carecover pbj validate`` on 1,000,000 hour entries within 2x of a bare lxml
  parse, memory flat as the file grows.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

from benchmarks.harness import OUT, Timing, run_timed

PY = sys.executable
CARECOVER = [PY, "-m", "carecover"]
FACILITIES = 15_000
QUARTER = "2025Q1"


def _row(t: Timing, baseline: Timing | None = None) -> str:
    ratio = f"{t.seconds / baseline.seconds:.2f}x" if baseline else ""
    return f"| {t.label} | {t.seconds:.2f} s | {t.peak_mib:,.0f} MiB | {ratio} |"


def _same_numbers(ours: Path, theirs: Path) -> str:
    """Compare the CLI's CSV with the pandas baseline, column by column."""

    def load(p: Path) -> dict[tuple[str, str], dict[str, str]]:
        with p.open(encoding="utf-8") as fh:
            return {(r["provnum"], r["quarter"]): r for r in csv.DictReader(fh)}

    a, b = load(ours), load(theirs)
    if a.keys() != b.keys():
        return f"DIFFERENT facility-quarters ({len(a)} vs {len(b)})"
    worst = 0.0
    for key, row in a.items():
        for col, value in row.items():
            other = b[key].get(col)
            if other is None or col in ("provnum", "quarter"):
                continue
            if value.lower() in ("true", "false") or other.lower() in ("true", "false"):
                if value.lower() != other.lower():
                    return f"DIFFERENT {col} for {key}: {value} vs {other}"
                continue
            x, y = float(value or "nan"), float(other or "nan")
            if math.isnan(x) and math.isnan(y):
                continue
            worst = max(worst, abs(x - y))
    return f"same numbers for {len(a):,} facility-quarters (largest difference {worst:.1e})"


def measures_bench() -> list[str]:
    """National public-file quarter: measures vs scan vs pandas, then from the store."""
    puf = OUT / f"puf_{QUARTER}.csv"
    if not puf.exists():
        run_timed(
            "synth",
            [
                *CARECOVER,
                "synth",
                "puf",
                "--facilities",
                str(FACILITIES),
                "--quarter",
                QUARTER,
                "-o",
                str(puf),
                "--seed",
                "1",
            ],
            repeat=1,
        )
    size = puf.stat().st_size / 1e6
    with puf.open("rb") as fh:
        rows = sum(1 for _ in fh) - 1
    scan = run_timed(
        "duckdb count(*) scan (floor)",
        [
            PY,
            "-c",
            'import duckdb,sys; print(duckdb.sql("select count(*) from read_csv(?)", '
            "params=[sys.argv[1]]).fetchall())",
            str(puf),
        ],
    )
    ours_csv = OUT / "measures_carecover.csv"
    ours = run_timed(
        "carecover pbj measures",
        [*CARECOVER, "pbj", "measures", str(puf), "--format", "csv"],
        stdout=ours_csv,
    )
    theirs_csv = OUT / "measures_pandas.csv"
    pandas = run_timed(
        "pandas baseline", [PY, "benchmarks/pbj_measures_pandas.py", str(puf)], stdout=theirs_csv
    )
    db = OUT / "bench.duckdb"
    db.unlink(missing_ok=True)
    run_timed("load", [*CARECOVER, "pbj", "load", str(puf), "--db", str(db)], repeat=1)
    stored = run_timed(
        "carecover pbj measures --db (from the store)",
        [*CARECOVER, "pbj", "measures", "--db", str(db), "--quarter", QUARTER, "--format", "csv"],
    )
    return [
        f"### Public-file measures: {FACILITIES:,} facilities, {rows:,} rows, {size:.0f} MB",
        "",
        "| process | best wall time | peak RSS | vs scan |",
        "|---|---|---|---|",
        _row(scan, scan),
        _row(ours, scan),
        _row(pandas, scan),
        _row(stored, scan),
        "",
        f"- measures / scan: **{ours.seconds / scan.seconds:.2f}x** (target ≤ 1.5x)",
        f"- pandas / measures: **{pandas.seconds / ours.seconds:.2f}x** (target ≥ 3x)",
        f"- peak memory of measures: **{ours.peak_mib:,.0f} MiB** (target < 2,048 MiB)",
        f"- from the store: **{stored.seconds:.2f} s** whole process, start-up included",
        f"- check: {_same_numbers(ours_csv, theirs_csv)}",
        "",
    ]


def xml_bench() -> list[str]:
    """PBJ XML: validate+aggregate vs a bare lxml parse, at two sizes for flat memory."""
    lines = [
        "### PBJ XML validation",
        "",
        "| process | entries | best wall time | peak RSS | vs bare parse |",
        "|---|---|---|---|---|",
    ]
    ratios = []
    peaks = []
    for entries in (250_000, 1_000_000):
        xml = OUT / f"pbj_{entries}.xml"
        if not xml.exists():
            run_timed(
                "synth",
                [
                    *CARECOVER,
                    "synth",
                    "pbj-xml",
                    "--facilities",
                    "1",
                    "--quarter",
                    "2026Q3",
                    "--entries",
                    str(entries),
                    "--seed",
                    "1",
                    "-o",
                    str(xml),
                ],
                repeat=1,
            )
        bare = run_timed(
            "bare lxml iterparse",
            [
                PY,
                "-c",
                "import sys; from lxml import etree\n"
                "for _, el in etree.iterparse(sys.argv[1], events=('end',)):\n"
                "    el.clear()\n",
                str(xml),
            ],
        )
        ours = _validate_timing(xml)
        ratios.append(ours.seconds / bare.seconds)
        peaks.append(ours.peak_mib)
        mb = xml.stat().st_size / 1e6
        lines.append(
            f"| {bare.label} ({mb:.0f} MB) | {entries:,} | {bare.seconds:.2f} s | "
            f"{bare.peak_mib:,.0f} MiB | 1.00x |"
        )
        lines.append(
            f"| carecover pbj validate | {entries:,} | {ours.seconds:.2f} s | "
            f"{ours.peak_mib:,.0f} MiB | {ours.seconds / bare.seconds:.2f}x |"
        )
    lines += [
        "",
        f"- validate / bare parse at 1M entries: **{ratios[-1]:.2f}x** (target ≤ 2x)",
        f"- peak memory 250k → 1M entries: {peaks[0]:,.0f} → {peaks[1]:,.0f} MiB "
        "(flat means it does not grow with the file)",
        "",
    ]
    return lines


def _validate_timing(xml: Path) -> Timing:
    # Exit 1 (rejected) is a valid outcome for synthetic data; time the run anyway.
    argv = [
        *CARECOVER,
        "pbj",
        "validate",
        str(xml),
        "--format",
        "json",
        "--submitted-on",
        "2026-11-01",
    ]
    return run_timed("carecover pbj validate", argv, ok_codes=(0, 1))


def run() -> str:
    """Run the PBJ benchmarks; return their Markdown section."""
    return "\n".join(["## PBJ (issue 4)", "", *measures_bench(), *xml_bench()])
