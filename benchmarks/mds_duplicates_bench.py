"""Duplicate-resident detection benchmark (issue 5 §6).

Target: "duplicate detection on 1.5 million residents within a few minutes on
2 cores". A synthetic extract (``carecover synth mds``, 2 % of records with an
identity error) is bulk-loaded into a DuckDB store with SQL (the Python
loader's 20,000 records/s would make set-up the slowest part; the resident
key is computed the same way and checked against ``resident_key`` on a
sample). Each timed process opens the store and calls
``probable_duplicates`` (whole process: interpreter, imports, Splink), once
with the default (trained, since there are far more than
``training.min_residents`` keys) and once with the fixed priors; smaller
shares of the facilities show how time scales. Recall and precision are
measured against the synthetic truth (the SSN is the person).

Run: ``python -m benchmarks.run mds-duplicates``; one measurement:
``python -m benchmarks.mds_duplicates_bench detect STORE OUT.csv [--priors]``.
"""

from __future__ import annotations

import csv
import os
import sys
from datetime import date
from pathlib import Path

from benchmarks.harness import OUT, Timing, run_timed

PY = sys.executable
# Q1 2026 plus its look-back year: ~200 residents per synthetic facility, so
# 7,500 facilities give the issue's ~1.5 million residents.
FACILITIES = 7_500
SHARES = (0.125, 0.25, 0.5)
DUPLICATE_RATE = 0.02
START, END = date(2026, 1, 1), date(2026, 3, 31)

_KEY = r"""
substr(sha256('mds|' || upper(trim(STATE_CD)) || '|' || upper(trim(FAC_ID)) || '|'
    || CASE WHEN length(regexp_replace(A0600A, '\D', '', 'g')) = 9
             AND regexp_replace(A0600A, '\D', '', 'g')
                 NOT IN ('000000000', '999999999', '123456789')
        THEN regexp_replace(A0600A, '\D', '', 'g') ELSE '' END || '|'
    || upper(regexp_replace(A0500C, '[\s\-''.]+', '', 'g')) || '|'
    || upper(regexp_replace(A0500A, '[\s\-''.]+', '', 'g')) || '|'
    || strftime(strptime(A0900, '%Y%m%d'), '%Y-%m-%d') || '|' || trim(A0800)), 1, 32)
"""

_RECORDS = f"""
CREATE TEMP TABLE src AS
SELECT *, {_KEY} AS resident_key,
    strptime(CASE WHEN A0310F = '01' THEN A1600 WHEN A0310F IN ('10', '11', '12') THEN A2000
                  ELSE A2300 END, '%Y%m%d')::DATE AS target_date
-- An impossible null string: empty cells stay '' as in the Python loader.
FROM read_csv(?, header = true, all_varchar = true, nullstr = '<none>')
WHERE A0100B::INTEGER < ?
"""

_LOAD = """
INSERT INTO mds_assessments BY NAME
SELECT upper(trim(STATE_CD)) AS state, FAC_ID AS facility_internal_id, A0100B AS ccn,
    resident_key, A0500A AS first_name, A0500C AS last_name,
    strptime(A0900, '%Y%m%d')::DATE AS birth_date, A0800 AS gender,
    length(A0600A) = 9 AS ssn_present, A0310F AS a0310f, target_date,
    'bench' AS source_file, 'bench' AS sha256, 'row ' || row_number() OVER () AS record
FROM src
"""

# The synthetic truth: the SSN is the person; a record without one has its
# other items right (one error per record), so it belongs to the resident with
# the same items and an SSN.
_TRUTH = """
CREATE TABLE bench_truth AS
WITH items AS (
    SELECT FAC_ID, A0500A, A0500C, A0900, A0800, min(A0600A) AS ssn
    FROM src WHERE A0600A <> '' GROUP BY ALL
), people AS (
    SELECT DISTINCT s.FAC_ID AS fac, s.resident_key AS key,
        coalesce(nullif(s.A0600A, ''), i.ssn, s.resident_key) AS person
    FROM src s LEFT JOIN items i USING (FAC_ID, A0500A, A0500C, A0900, A0800)
)
SELECT a.key AS key_a, b.key AS key_b
FROM people a JOIN people b ON a.fac = b.fac AND a.person = b.person AND a.key < b.key
"""


def build_store(extract: Path, db: Path, facilities: int) -> tuple[int, int]:
    """Bulk-load the first ``facilities`` facilities of ``extract``; (keys, true pairs)."""
    from carecover.mds.residents import Identity, resident_key
    from carecover.mds.store import connect

    db.unlink(missing_ok=True)
    con = connect(db)
    con.execute(_RECORDS, [str(extract), 100_000 + facilities])
    con.execute(_LOAD)
    con.execute(_TRUTH)
    sample = con.execute(
        "SELECT STATE_CD, FAC_ID, A0600A, A0500C, A0500A, A0900, A0800, resident_key"
        " FROM src USING SAMPLE 500 ROWS (reservoir, 1)"
    ).fetchall()
    for *items, key in sample:
        items[5] = f"{items[5][:4]}-{items[5][4:6]}-{items[5][6:]}"
        assert resident_key(Identity(*items)) == key, "the SQL key must match resident_key"
    ((keys,),) = con.execute("SELECT count(DISTINCT resident_key) FROM src").fetchall()
    ((pairs,),) = con.execute("SELECT count(*) FROM bench_truth").fetchall()
    con.close()
    return int(keys), int(pairs)


def detect(db: Path, out: Path, *, priors: bool) -> None:
    """One measured process: read the store, find the pairs, write them as CSV."""
    from carecover.mds.duplicates import probable_duplicates
    from carecover.mds.store import connect

    con = connect(db, read_only=True)
    pairs = probable_duplicates(con, train=False if priors else None)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key_a", "key_b", "probability"])
        writer.writerows((p.key_a, p.key_b, p.probability) for p in pairs)


def quality(db: Path, found: Path) -> tuple[int, float, float]:
    """(pairs found, recall, precision) against ``bench_truth``."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    ((n, hits, truth),) = con.execute(
        "SELECT (SELECT count(*) FROM read_csv(?1)),"
        " (SELECT count(*) FROM read_csv(?1) f JOIN bench_truth USING (key_a, key_b)),"
        " (SELECT count(*) FROM bench_truth)",
        [str(found)],
    ).fetchall()
    con.close()
    return int(n), hits / max(1, truth), hits / max(1, n)


def _measure(label: str, db: Path, *, priors: bool) -> tuple[Timing, tuple[int, float, float]]:
    found = OUT / f"{db.stem}{'_priors' if priors else ''}_pairs.csv"
    argv = [PY, "-m", "benchmarks.mds_duplicates_bench", "detect", str(db), str(found)]
    timing = run_timed(label, [*argv, "--priors"] if priors else argv, repeat=1)
    return timing, quality(db, found)


def run() -> str:
    """Build the stores, time detection at each size, return the RESULTS.md section."""
    extract = OUT / f"mds_dup_{FACILITIES}.csv"
    if not extract.exists():
        from carecover.mds.synth import synth_mds

        synth_mds(
            extract,
            facilities=FACILITIES,
            start=START,
            end=END,
            seed=1,
            duplicate_rate=DUPLICATE_RATE,
        )
    lines = [
        "## MDS duplicate residents (issue 5 §6)",
        "",
        f"Synthetic extract: {FACILITIES:,} facilities, {START} to {END} plus the look-back"
        f" year, {DUPLICATE_RATE:.0%} of records with an identity error. Whole process"
        " (start-up, reading the store, Splink), one run each. Load average at the start:"
        f" {os.getloadavg()[0]:.1f} (a shared machine: the times are upper bounds).",
        "",
        "| facilities | resident keys | true pairs | mode | wall time | peak RSS"
        " | pairs found | recall | precision |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    full: Timing | None = None
    for share in (*SHARES, 1.0):
        facilities = round(FACILITIES * share)
        db = OUT / f"mds_dup_{facilities}.duckdb"
        keys, truth = build_store(extract, db, facilities)
        modes = [("default (trains)", False)] + ([("priors only", True)] if share == 1 else [])
        for mode, priors in modes:
            t, (n, recall, precision) = _measure(f"duplicates {facilities}", db, priors=priors)
            full = t if share == 1 and not priors else full
            lines.append(
                f"| {facilities:,} | {keys:,} | {truth:,} | {mode} | {t.seconds:.1f} s"
                f" | {t.peak_mib:,.0f} MiB | {n:,} | {recall:.3f} | {precision:.3f} |"
            )
        db.unlink(missing_ok=True)
    if full is not None:
        lines += [
            "",
            f"- {FACILITIES:,} facilities (~1.5 M residents): **{full.seconds / 60:.1f} min**,"
            f" peak {full.peak_mib:,.0f} MiB (target: a few minutes on 2 cores)",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "detect":
        detect(Path(sys.argv[2]), Path(sys.argv[3]), priors="--priors" in sys.argv[4:])
    else:
        print(run())
