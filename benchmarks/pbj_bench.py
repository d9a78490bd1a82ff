"""PBJ benchmarks (issue 4 §7): public-file measures and PBJ XML validation.

Targets, each a ratio measured side by side in one run:
- ``carecover pbj measures`` on a national quarter: a guard against regressions
  since issue 14 (whose at-scale target is the ``pbj-national`` suite; the
  one-quarter process-start target of issue 4, within 1.5x of a bare DuckDB
  ``count(*)`` scan, is retired and only reported): at least 2.5x faster than
  the pandas baseline, peak memory under 2 GB; the two give the same numbers.
- measures for every facility of a quarter from the store: well under a second.
- ``carecover pbj validate`` on 1,000,000 hour entries within 2x of a bare lxml
  parse, memory flat as the file grows.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import (
    OUT,
    Command,
    Timing,
    best_of,
    paired_ratios,
    run_rounds,
    run_side_by_side,
    run_timed,
)

PY = sys.executable
CARECOVER = [PY, "-m", "carecover"]
FACILITIES = 15_000
QUARTER = "2025Q1"
XML_SIZES = (250_000, 1_000_000)
# Rounding of the CLI's columns (cli/pbj_measures.py): the check compares at it.
_DECIMALS = {"hprd": 5, "avg_census": 2, "contract_share": 4, "hours": 2}

# Measured on 2026-11-23 with this harness, before the issue-4 §7 work (the
# measures through Ibis after a scan into a temp table and a second checking
# query; every command group imported at start-up).
BEFORE = """\
Before the performance work (2026-11-23, same machine, same files):

| process | best wall time | vs scan |
|---|---|---|
| duckdb count(*) scan (floor) | 1.02 s | 1.00x |
| carecover pbj measures | 4.53 s | 4.44x |
| pandas baseline | 5.76 s | 5.65x |
| carecover pbj measures --db (from the store) | ≈ 2 s | |
| carecover --help | 0.92 s | |
| carecover pbj validate, 1M entries, vs bare lxml parse | | 1.8–2.1x |
"""


NOTES = """\
Where the public-file time goes (2 cores, measured 2026-11-23 15:20-17:00 UTC):
the `count(*)` floor converts no values; the measures must parse 16 hours
columns, the census and the date of every row (the hand-written query, no
checks: about 1.3x the scan). `pbj measures FILE` does the same parse in
one pass and, in the same aggregate, the loader's per-facility-quarter
checks (CCN, quarter, dates inside it, no day twice, census); what it adds
over the hand-written query is about a tenth.

This round (15:20-16:15), each step measured before and after, best of 9-11
interleaved whole processes (`--format csv`; scan about 0.86-0.93 s). At the
start: 1.83x the scan (hand-written query 1.40x).
- The no-negative-hours rule without parsing the eight `_emp` columns
  (`pbj/publicfile/filebytes.py`: the Python thread that already read every byte for
  the encoding check also looks for a minus sign at the start of a field;
  only a file with one is read again with the full check): 1.68x.
- DuckDB writes the CSV lines and joins them into one text
  (`measures_text.csv_query`, cached beside the measures' SQL with its
  column types): Python no longer fetches 15,000 rows of 19 strings nor
  runs `csv.writer`; the table format is laid out from that text: 1.54x in
  the suite's run of best of 3.
- Duplicated days checked with two bit masks per facility-quarter instead
  of one pair per month; group sums without repeated `CASE`s; no measures
  module, calendar, tempfile or concurrent.futures at start-up: 1.49x.
- DuckDB's compiled engine (`_duckdb`) imported without the `duckdb`
  package's Python modules (`pbj/duckcore.py`, about -0.1 s): 1.40x
  (removed by issue 14 with the Typer-free quick path: private internals
  and a second path kept only for speed; about +0.2 s of start-up)
  (hand-written query 1.35x in the same run).
- Fixed-point text by a cast to DECIMAL except beside a rounding tie
  (`printf` there), the table's column widths by a window: 1.37x, the
  table 1.46x. Five runs of this suite since (16:20-17:00, docs/
  pbj-measures.md): met when the host is quiet, missed when it is busy,
  when the query that checks nothing rises to 1.45x as well.

Before this round (14:09, load 1): `pbj measures` 2.11 s = 1.94x the scan,
pandas / measures 2.4x; (13:03) 2.32 s = 1.59x; (12:35) 2.19 s = 1.84x,
from the store 1.03 s.
"""


def _row(t: Timing, baseline: Timing | None = None) -> str:
    ratio = f"{t.seconds / baseline.seconds:.2f}x" if baseline else ""
    return f"| {t.label} | {t.seconds:.2f} s | {t.peak_mib:,.0f} MiB | {ratio} |"


def _places(column: str) -> int | None:
    return next((p for key, p in _DECIMALS.items() if column.endswith(key)), None)


def same_numbers(ours: Path, theirs: Path) -> tuple[bool, str]:
    """Compare the CLI's CSV with the pandas baseline, cell by cell, at the CLI's rounding.

    Two sums of the same floats in another order can differ in the last bit,
    which can flip a rounding: one unit in the last printed place is allowed.
    """

    def load(p: Path) -> dict[tuple[str, str], dict[str, str]]:
        with p.open(encoding="utf-8") as fh:
            return {(r["provnum"], r["quarter"]): r for r in csv.DictReader(fh)}

    a, b = load(ours), load(theirs)
    if a.keys() != b.keys():
        return False, f"DIFFERENT facility-quarters ({len(a)} vs {len(b)})"
    worst = 0.0
    for key, row in a.items():
        for col, value in row.items():
            other = b[key].get(col)
            if other is None:
                return False, f"DIFFERENT columns: the baseline has no {col}"
            if col in ("provnum", "quarter"):
                continue
            if value.lower() in ("true", "false") or other.lower() in ("true", "false"):
                if value.lower() != other.lower():
                    return False, f"DIFFERENT {col} for {key}: {value} vs {other}"
                continue
            x, y = float(value or "nan"), float(other or "nan")
            if math.isnan(x) or math.isnan(y):
                if math.isnan(x) != math.isnan(y):
                    return False, f"DIFFERENT {col} for {key}: {value!r} vs {other!r}"
                continue
            places = _places(col)
            unit = 10.0**-places if places is not None else 0.0
            if places is not None:
                y = round(y, places)
            if abs(x - y) > unit + 1e-9:
                return False, f"DIFFERENT {col} for {key}: {value} vs {other}"
            worst = max(worst, abs(x - y))
    cells = len(a) * (len(next(iter(a.values()))) - 2) if a else 0
    return True, (
        f"same numbers for {len(a):,} facility-quarters ({cells:,} cells; largest "
        f"difference {worst:.1e}, within the last printed decimal)"
    )


def _spread(ratios: list[float]) -> str:
    """``median 1.40x (1.33–1.52x)`` of sorted per-round ratios."""
    return f"median {ratios[len(ratios) // 2]:.2f}x ({ratios[0]:.2f}–{ratios[-1]:.2f}x)"


def _national_file() -> Path:
    puf = OUT / f"puf_{QUARTER}.csv"
    if not puf.exists():
        argv = [*CARECOVER, "synth", "puf", "--facilities", str(FACILITIES), "--quarter"]
        run_timed("synth", [*argv, QUARTER, "-o", str(puf), "--seed", "1"], repeat=1)
    return puf


def measures_bench() -> list[str]:
    """National public-file quarter: measures vs scan vs pandas, then from the store."""
    puf = _national_file()
    size = puf.stat().st_size / 1e6
    with puf.open("rb") as fh:
        rows = sum(1 for _ in fh) - 1
    scan_code = (
        'import duckdb,sys; print(duckdb.sql("select count(*) from read_csv(?)", '
        "params=[sys.argv[1]]).fetchall())"
    )
    ours_csv, theirs_csv = OUT / "measures_carecover.csv", OUT / "measures_pandas.csv"
    measures = [*CARECOVER, "pbj", "measures", str(puf), "--format", "csv"]
    with tempfile.TemporaryDirectory(prefix="carecover-bench-cache-") as cold_cache:
        # First run on a machine: Ibis compiles the measures' SQL (then cached).
        cold = run_timed(
            "carecover pbj measures, first run (compiles the SQL)",
            measures,
            repeat=1,
            env={"CARECOVER_CACHE_DIR": cold_cache},
        )
    # Seven rounds: on 2 shared cores one run in three can lose a tenth of a
    # second or more to a neighbour. The targets are judged on each command's
    # best of 7 (its least disturbed run); the ratios within each round
    # (harness.paired_ratios) are reported to show how large that noise is.
    rounds = run_rounds(
        [
            Command("duckdb count(*) scan (floor)", [PY, "-c", scan_code, str(puf)]),
            Command(
                "hand-written DuckDB measures query, no checks (reference)",
                [PY, "benchmarks/pbj_measures_duckdb.py", str(puf)],
            ),
            Command("carecover pbj measures --format csv", measures, stdout=ours_csv),
            Command(
                "carecover pbj measures (table, the default format)",
                [*CARECOVER, "pbj", "measures", str(puf)],
            ),
            Command(
                "pandas baseline",
                [PY, "benchmarks/pbj_measures_pandas.py", str(puf)],
                stdout=theirs_csv,
            ),
        ],
        repeat=7,
    )
    scan, hand, ours, table, pandas = best_of(rounds)
    paired = {
        "csv": paired_ratios(rounds, 2, 0),
        "table": paired_ratios(rounds, 3, 0),
        "hand": paired_ratios(rounds, 1, 0),
        "pandas": paired_ratios(rounds, 4, 2),
    }
    db = OUT / "bench.duckdb"
    db.unlink(missing_ok=True)
    run_timed("load", [*CARECOVER, "pbj", "load", str(puf), "--db", str(db)], repeat=1)
    from_store = [*CARECOVER, "pbj", "measures", "--db", str(db), "--quarter", QUARTER]
    stored, start = run_side_by_side(
        [
            Command(
                "carecover pbj measures --db --quarter (from the store)",
                [*from_store, "--format", "csv"],
            ),
            Command("carecover --help (start-up)", [*CARECOVER, "--help"]),
        ]
    )
    same, check = same_numbers(ours_csv, theirs_csv)
    ratio, speedup = ours.seconds / scan.seconds, pandas.seconds / ours.seconds
    return [
        f"### Public-file measures: {FACILITIES:,} facilities, {rows:,} rows, {size:.0f} MB",
        "",
        "| process | best wall time | peak RSS | vs scan |",
        "|---|---|---|---|",
        _row(scan, scan),
        _row(hand, scan),
        _row(ours, scan),
        _row(table, scan),
        _row(pandas, scan),
        _row(cold, scan),
        _row(stored, scan),
        _row(start),
        "",
        f"- measures / scan: **{ratio:.2f}x** best of 7 (issue 4's ≤ 1.5x, retired by "
        "issue 14: reported only); "
        f"as a table (the default format): {table.seconds / scan.seconds:.2f}x",
        f"- the same within each round (the noise of this machine: a process seconds "
        f"away can run 40% slower): CSV {_spread(paired['csv'])}, table "
        f"{_spread(paired['table'])}; the hand-written query that checks nothing "
        f"{_spread(paired['hand'])}",
        f"- measures / hand-written query: **{ours.seconds / hand.seconds:.2f}x** (what the "
        "loader checks, header drift, encodings and start-up cost over the bare query)",
        f"- pandas / measures: **{speedup:.2f}x** best of 7 (issue 14's guard ≥ 2.5x: "
        f"{'met' if speedup >= 2.5 else f'MISSED by {1 - speedup / 2.5:.0%}'}; the "
        "speed-only quick path it once partly came from is gone and stays gone); "
        f"within each round {_spread(paired['pandas'])}",
        f"- peak memory of measures: **{ours.peak_mib:,.0f} MiB** (target < 2,048 MiB: "
        f"{'met' if ours.peak_mib < 2048 else 'MISSED'})",
        f"- from the store: **{stored.seconds:.2f} s** whole process, start-up included "
        "(target: well under 1 s)",
        f"- check: {check}" + ("" if same else " **(the baseline disagrees)**"),
        "",
    ]


def _xml_file(entries: int) -> Path:
    xml = OUT / f"pbj_{entries}.xml"
    if not xml.exists():
        argv = [*CARECOVER, "synth", "pbj-xml", "--facilities", "1", "--quarter", "2026Q3"]
        argv += ["--entries", str(entries), "--seed", "1", "-o", str(xml)]
        run_timed("synth", argv, repeat=1)
    return xml


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
    bare_code = (
        "import sys; from lxml import etree\n"
        "for _, el in etree.iterparse(sys.argv[1], events=('end',)):\n"
        "    el.clear()\n"
    )
    for entries in XML_SIZES:
        xml = _xml_file(entries)
        validate = [*CARECOVER, "pbj", "validate", str(xml), "--format", "json"]
        bare, ours = run_side_by_side(
            [
                Command("bare lxml iterparse", [PY, "-c", bare_code, str(xml)]),
                # Exit 1 (rejected) is a valid outcome for synthetic data; time it anyway.
                Command(
                    "carecover pbj validate",
                    [*validate, "--submitted-on", "2026-11-01"],
                    ok_codes=(0, 1),
                ),
            ]
        )
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
    ratio = ratios[-1]
    lines += [
        "",
        f"- validate / bare parse at 1M entries: **{ratio:.2f}x** (target ≤ 2x: "
        f"{'met' if ratio <= 2 else f'MISSED by {ratio / 2 - 1:.0%}'})",
        f"- peak memory 250k → 1M entries: {peaks[0]:,.0f} → {peaks[1]:,.0f} MiB "
        "(flat means it does not grow with the file)",
        "",
    ]
    return lines


def run() -> str:
    """Run the PBJ benchmarks; return their Markdown section."""
    sections = [*measures_bench(), *xml_bench()]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    sections.append(
        f"- load average (1, 5, 15 min) at the end of the suite: {load} on 2 cores shared "
        "with other engineers' runs\n"
    )
    return "\n".join(["## PBJ (issue 4)", "", *sections, NOTES, BEFORE])
