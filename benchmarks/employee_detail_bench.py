"""PBJ Employee Detail at national scale, on DuckDB and on a standalone Spark cluster (issue 14 §4).

Two workloads, each timed on DuckDB (2 threads) against a hand-written DuckDB
query, and on a standalone Spark cluster started here on loopback (master and
two one-core workers from pyspark's own ``spark-class``, library-notes.md),
stopped afterwards:

1. **One quarter** (``carecover synth employee-detail``) at ``FACILITIES``
   facilities (1/10 of the national 15,000 by default; our generator gives
   about 3,600 rows a facility, so ``CARECOVER_ED_BENCH_FACILITIES=27500``
   gives the ~100 M rows of CMS's national file): contract share by category
   (``pbj.employees.measures.contract_share``), plus turnover over that one
   quarter (``rating.turnover.turnover_expression``: no six-quarter window, so
   every count is 0, but the rule does all its work):

   - ``contract``: the Ibis contract share on DuckDB;
   - ``ibis``: contract share and turnover on DuckDB;
   - ``hand``: a hand-written DuckDB query for the contract share, no checks;
   - ``spark``: the same Ibis rules on the cluster, the file read and checked
     by Spark itself (``employees.detail.employee_table``: ``Engine.read_text``
     and the Employee Detail rules, the later of repeated rows kept).

2. **Turnover over six quarters**: ``TURNOVER_FACILITIES`` facilities
   (``CARECOVER_ED_BENCH_TURNOVER_FACILITIES``, 1,500 by default), the six
   quarters ending ``QUARTER`` written with one seed (one staffing history:
   real departures) into one file:

   - ``turnover``: the Ibis rule on DuckDB;
   - ``turnover-hand``: its hand-written twin (``hand_turnover_sql``);
   - ``turnover-spark``: the Ibis rule on the cluster, Spark reading and
     checking the text.

Targets: the Ibis ways within 1.5x of the hand-written queries; the cluster
gives the same rows (1e-9). The DuckDB ways read with a declared schema and no
checks; the checked DuckDB reader of ``pbj employees`` and ``pbj load`` (two
passes over the file) is timed in docs/employee-detail.md.

Run: ``python -m benchmarks.run employee-detail``; one measurement:
``python -m benchmarks.employee_detail_bench KIND FILE OUT [MASTER]`` with KIND one of
contract, ibis, hand, spark, turnover, turnover-hand, turnover-spark.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import BIN, OUT, Command, Timing, run_side_by_side

NATIONAL = 15_000
# 1/10 by default (fits the shared machine's time); CARECOVER_ED_BENCH_FACILITIES=15000
# runs the national size (one run each: the DuckDB ways once, the cluster once).
FACILITIES = int(os.environ.get("CARECOVER_ED_BENCH_FACILITIES", "1500"))
QUARTER = "2024Q2"
MASTER_PORT = 7077
# Turnover needs six quarters: CARECOVER_ED_BENCH_TURNOVER_FACILITIES facilities
# (1/10 of the national 15,000 by default) over the six quarters ending QUARTER.
TURNOVER_FACILITIES = int(os.environ.get("CARECOVER_ED_BENCH_TURNOVER_FACILITIES", "1500"))
METHOD = "2024-07"

_HAND = """
WITH rows AS (
    SELECT PROVNUM AS provnum, CY_Qtr AS quarter, SYS_EMPLYEE_ID AS employee_id,
           JOB_TITLE_CD AS code, PAY_TYPE_CD AS pay, HRS_WRKD AS hours
    FROM read_csv(?, header = true, columns = {
        'PROVNUM': 'VARCHAR', 'CY_Qtr': 'VARCHAR', 'SYS_EMPLYEE_ID': 'VARCHAR',
        'WorkDate': 'VARCHAR', 'JOB_TITLE_CD': 'BIGINT', 'PAY_TYPE_CD': 'BIGINT',
        'HRS_WRKD': 'DOUBLE'})
), cats AS (
    SELECT * FROM (VALUES ('nurse', 5, 12), ('rn', 5, 7), ('lpn', 8, 9), ('aide', 10, 12),
                          ('admin', 1, 1)) v(category, lo, hi)
)
SELECT provnum, quarter, category, sum(hours) AS hours,
       coalesce(sum(hours) FILTER (WHERE pay = 3), 0) AS contract_hours,
       count(DISTINCT employee_id) AS employees,
       CASE WHEN sum(hours) > 0
            THEN coalesce(sum(hours) FILTER (WHERE pay = 3), 0) / sum(hours) END AS contract_share
FROM rows JOIN cats ON code BETWEEN lo AND hi
GROUP BY ALL ORDER BY provnum, quarter, category
"""


_HAND_TURNOVER = """
WITH src AS (
    SELECT PROVNUM AS provnum, SYS_EMPLYEE_ID AS employee_id, WorkDate AS workdate,
           JOB_TITLE_CD AS code, PAY_TYPE_CD AS pay, HRS_WRKD AS hours
    FROM read_csv(?, header = true, dateformat = '%Y%m%d', columns = {{
        'PROVNUM': 'VARCHAR', 'CY_Qtr': 'VARCHAR', 'SYS_EMPLYEE_ID': 'VARCHAR',
        'WorkDate': 'DATE', 'JOB_TITLE_CD': 'BIGINT', 'PAY_TYPE_CD': 'BIGINT',
        'HRS_WRKD': 'DOUBLE'}})
    WHERE WorkDate BETWEEN DATE '{w0}' AND DATE '{w1}' AND HRS_WRKD > 0
), grps AS (
    SELECT * FROM (VALUES ('nurse', 5, 12), ('rn', 5, 7), ('admin', 1, 1)) v(grp, lo, hi)
), days AS (
    SELECT provnum, employee_id, grp, workdate, sum(hours) AS hours
    FROM src JOIN grps ON code BETWEEN lo AND hi
    WHERE pay IN ({pay_types}) GROUP BY ALL
), eligible AS (
    SELECT provnum, employee_id, grp FROM days
    WHERE workdate >= DATE '{p0}' - {eligibility_days} AND workdate < DATE '{p0}'
    GROUP BY ALL HAVING sum(hours) >= {eligibility_hours}
), runs AS (
    SELECT provnum, employee_id, grp, workdate,
           coalesce(lead(workdate) OVER (PARTITION BY provnum, employee_id, grp
                                         ORDER BY workdate), DATE '{w1}' + 1) AS nxt
    FROM days SEMI JOIN eligible USING (provnum, employee_id, grp)
), departed AS (
    SELECT DISTINCT provnum, employee_id, grp FROM runs
    WHERE nxt - workdate - 1 >= {gap} AND workdate <= DATE '{p1}' - 1
      AND nxt >= DATE '{p0}' + 1 AND workdate <= DATE '{w1}' - {gap}
), admin AS (
    SELECT provnum, year(workdate) * 4 + quarter(workdate) AS k, employee_id,
           count(DISTINCT workdate) AS days
    FROM src WHERE code = 1 GROUP BY ALL
), flags AS (
    SELECT provnum, max(n) >= {admin_ids} AS admin_excluded
    FROM (SELECT provnum, k, count(*) FILTER (WHERE days >= {admin_days}) AS n
          FROM admin GROUP BY ALL)
    GROUP BY provnum
), counted AS (
    SELECT provnum,
           count(*) FILTER (WHERE grp = 'nurse') AS nurse, count(*) FILTER (WHERE grp = 'rn') AS rn,
           count(*) FILTER (WHERE grp = 'admin') AS admin
    FROM eligible GROUP BY provnum
), left_ AS (
    SELECT provnum,
           count(*) FILTER (WHERE grp = 'nurse') AS nurse, count(*) FILTER (WHERE grp = 'rn') AS rn,
           count(*) FILTER (WHERE grp = 'admin') AS admin
    FROM departed GROUP BY provnum
)
SELECT f.provnum,
       coalesce(e.nurse, 0) AS nurse_eligible, coalesce(d.nurse, 0) AS nurse_departures,
       coalesce(e.rn, 0) AS rn_eligible, coalesce(d.rn, 0) AS rn_departures,
       coalesce(e.admin, 0) AS admin_eligible, coalesce(d.admin, 0) AS admin_departures,
       coalesce(x.admin_excluded, false) AS admin_excluded
FROM (SELECT DISTINCT provnum FROM src) f
LEFT JOIN counted e USING (provnum) LEFT JOIN left_ d USING (provnum)
LEFT JOIN flags x USING (provnum)
ORDER BY f.provnum
"""


def hand_turnover_sql() -> str:
    """The hand-written twin of ``turnover_expression`` for ``QUARTER`` and ``METHOD``."""
    from carecover.pbj.calendar import Quarter
    from carecover.rating.methods import method
    from carecover.rating.turnover import turnover_window

    rule = method(METHOD).turnover
    assert rule is not None
    assert rule.admin_exclusion_scope == "quarter"
    w0, p0, p1, w1 = turnover_window(Quarter.parse(QUARTER))
    return _HAND_TURNOVER.format(
        w0=w0,
        p0=p0,
        p1=p1,
        w1=w1,
        gap=rule.departure_gap_days,
        pay_types=", ".join(map(str, rule.pay_types)),
        eligibility_days=rule.eligibility_days,
        eligibility_hours=rule.eligibility_hours,
        admin_ids=rule.admin_exclusion_ids,
        admin_days=rule.admin_exclusion_days,
    )


def _schema() -> tuple[dict[str, str], dict[str, str]]:
    from carecover.pbj.employees.detail import columns

    typed = {c.headers[0]: c.type for c in columns()}
    renamed = {c.field: c.headers[0] for c in columns()}
    return typed, renamed


def _write(rows: list[dict[str, object]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if rows:
            writer.writerow(rows[0])
        for row in rows:
            writer.writerow(row.values())


def measure(kind: str, path: Path, out: Path, master: str | None = None) -> None:
    """One timed process: the contract share (and turnover) of ``path`` into ``out``."""
    if kind in ("hand", "turnover-hand"):
        import duckdb

        con = duckdb.connect()
        con.execute("SET threads = 2")
        result = con.execute(_HAND if kind == "hand" else hand_turnover_sql(), [str(path)])
        names = [d[0] for d in result.description]
        _write([dict(zip(names, r, strict=True)) for r in result.fetchall()], out)
        return
    from carecover.engines.duckdb import DuckDBEngine
    from carecover.engines.spark import SparkEngine
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.employees.measures import contract_share
    from carecover.rating.methods import method
    from carecover.rating.turnover import turnover_expression

    engine: DuckDBEngine | SparkEngine
    spark = kind in ("spark", "turnover-spark")
    if spark:
        engine = SparkEngine.start(master or "local[2]", partitions=8)
    else:
        engine = DuckDBEngine.memory()
        engine.backend.con.execute("SET threads = 2")
    if spark:
        from carecover.pbj.employees.detail import employee_table

        t = employee_table(engine, [path])  # Spark reads and checks the text itself
    else:
        typed, renamed = _schema()
        raw = engine.read_csv(path, typed, date_format="yyyyMMdd")
        t = raw.select(**{field: raw[header] for field, header in renamed.items()})
    rule = method(METHOD).turnover
    assert rule is not None
    if kind.startswith("turnover"):
        _write(
            engine.to_rows(turnover_expression(t, Quarter.parse(QUARTER), rule, keep=engine.kept)),
            out,
        )
        engine.close()
        return
    _write(engine.to_rows(contract_share(t)), out)
    if kind == "contract":
        engine.close()
        return
    turnover = engine.to_rows(
        turnover_expression(t, Quarter.parse(QUARTER), rule, keep=engine.kept)
    )
    out.with_suffix(".turnover").write_text(f"{len(turnover)} facilities\n", encoding="utf-8")
    engine.close()


def _same(left: Path, right: Path) -> bool:
    with left.open(encoding="utf-8") as a, right.open(encoding="utf-8") as b:
        rows_a, rows_b = list(csv.reader(a)), list(csv.reader(b))
    if len(rows_a) != len(rows_b):
        return False
    for x, y in zip(rows_a[1:], rows_b[1:], strict=True):
        for u, v in zip(x, y, strict=True):
            if u == v:
                continue
            try:
                if not math.isclose(float(u), float(v), rel_tol=1e-9, abs_tol=1e-9):
                    return False
            except ValueError:
                return False
    return True


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


def start_cluster() -> list[subprocess.Popen[bytes]]:
    """A master and two one-core workers on loopback, each in its own process group."""
    home = _spark_home()
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1"}
    spark_class = str(home / "bin" / "spark-class")
    logs = OUT / "spark-cluster"
    logs.mkdir(parents=True, exist_ok=True)
    master = [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1"]
    master += ["--port", str(MASTER_PORT), "--webui-port", "18080"]
    procs = [
        subprocess.Popen(
            master,
            env=env,
            stdout=(logs / "master.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ]
    _wait_for_port(MASTER_PORT, 90)
    for n in (1, 2):
        worker = [spark_class, "org.apache.spark.deploy.worker.Worker"]
        worker += [f"spark://127.0.0.1:{MASTER_PORT}", "--host", "127.0.0.1", "--cores", "1"]
        worker += ["--memory", "2g", "--webui-port", str(18080 + n)]
        procs.append(
            subprocess.Popen(
                worker,
                env=env,
                stdout=(logs / f"worker{n}.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    time.sleep(15)  # the workers register with the master
    return procs


def stop_cluster(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the cluster's processes by their process groups (ours only)."""
    for proc in reversed(procs):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _share() -> str:
    if FACILITIES == NATIONAL:
        return f"all of the national {NATIONAL:,}"
    if FACILITIES > NATIONAL:
        # Our generator gives about 3,600 rows a facility; CMS's national file
        # is on the order of 100 M rows, which this many facilities give.
        return f"{FACILITIES / NATIONAL:.2f} times the national {NATIONAL:,}: the ~100 M rows"
    return f"1/{round(NATIONAL / FACILITIES)} of the national {NATIONAL:,}"


def run() -> str:
    """Synthesize the quarter, time the three ways, check equal rows; RESULTS.md section."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"employee_detail_{FACILITIES}_{QUARTER}.csv"
    if not data.exists():
        synth = [str(BIN / "carecover"), "synth", "employee-detail"]
        synth += ["--facilities", str(FACILITIES), "--quarter", QUARTER, "-o", str(data)]
        subprocess.run(synth, check=True)
    rows = _rows(data)
    me = [sys.executable, "-m", "benchmarks.employee_detail_bench"]
    outs = {k: OUT / f"employee_detail_{k}.csv" for k in ("ibis", "contract", "hand", "spark")}
    local = run_side_by_side(
        _commands(
            me,
            data,
            outs,
            [
                ("Ibis contract share on DuckDB (2 threads)", "contract", "contract"),
                ("Ibis contract share and turnover on DuckDB (2 threads)", "ibis", "ibis"),
                ("hand-written DuckDB query", "hand", "hand"),
            ],
        ),
        repeat=3 if FACILITIES < NATIONAL else 1,
    )
    six = _six_quarters()
    six_rows = _rows(six)
    t_outs = {k: OUT / f"employee_detail_turnover_{k}.csv" for k in ("ibis", "hand", "spark")}
    turnover_local = run_side_by_side(
        _commands(
            me,
            six,
            t_outs,
            [
                ("Ibis turnover on DuckDB (2 threads)", "turnover", "ibis"),
                ("hand-written DuckDB turnover query", "turnover-hand", "hand"),
            ],
        ),
        repeat=3,
    )
    cluster = start_cluster()
    try:
        master = f"spark://127.0.0.1:{MASTER_PORT}"
        spark, turnover_spark = run_side_by_side(
            [
                Command(
                    "Ibis rules on the Spark cluster",
                    [*me, "spark", str(data), str(outs["spark"]), master],
                ),
                Command(
                    "Ibis turnover on the Spark cluster",
                    [*me, "turnover-spark", str(six), str(t_outs["spark"]), master],
                ),
            ],
            repeat=1,
        )
    finally:
        stop_cluster(cluster)
    ratio = local[0].seconds / local[2].seconds
    equal_hand = _same(outs["ibis"], outs["hand"])
    equal_spark = _same(outs["ibis"], outs["spark"])
    lines = [
        "## PBJ Employee Detail: DuckDB and a standalone Spark cluster (issue 14 §4)",
        "",
        f"### Contract share and turnover: {FACILITIES:,} facilities ({_share()}), "
        f"{rows:,} rows, {data.stat().st_size / 2**20:,.0f} MB",
        "",
        f"| process | seconds ({'best of 3' if FACILITIES < NATIONAL else 'one run'}) | peak MiB |",
        "|---|---:|---:|",
        *(f"| {t.label} | {t.seconds:.2f} | {t.peak_mib:,.0f} |" for t in (*local, spark)),
        "",
        f"- Ibis contract share / the hand-written contract-share query (whole processes, "
        f"Ibis import and compilation included): **{ratio:.2f}x** (target 1.5x). Turnover over "
        f"one quarter (no six-quarter window: every count 0, all the rule's work done) is the "
        f"difference of the first two rows; its hand-written twin is timed over six quarters "
        f"below.",
        f"- Same contract-share rows, Ibis vs hand-written: {equal_hand}; DuckDB vs the Spark "
        f"cluster (master and two one-core workers on loopback, started and stopped here): "
        f"{equal_spark}.",
        "- The Spark process's peak memory is the driver's; the cluster's JVMs (each worker "
        "given 2 GB) are separate processes. Spark reads and checks the file's text itself "
        "(the Employee Detail rules); the DuckDB ways read it typed, unchecked.",
        *(
            [
                "- Not measured here: the full national size (set CARECOVER_ED_BENCH_FACILITIES"
                "=15000), and DuckDB's checked reader (`pbj employees` end to end)."
            ]
            if FACILITIES < NATIONAL
            else ["- Not measured here: DuckDB's checked reader (`pbj employees` end to end)."]
        ),
        *_turnover_lines(six, six_rows, t_outs, [*turnover_local, turnover_spark]),
    ]
    return "\n".join(lines) + "\n"


def _rows(path: Path) -> int:
    """Data rows of a CSV file (its lines but the header)."""
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def _commands(
    me: list[str], data: Path, outs: dict[str, Path], ways: list[tuple[str, str, str]]
) -> list[Command]:
    """One timed process per (label, kind, output key), each measuring ``data``."""
    return [Command(label, [*me, kind, str(data), str(outs[key])]) for label, kind, key in ways]


def _quarters() -> list[str]:
    from carecover.pbj.calendar import Quarter

    found = [Quarter.parse(QUARTER)]
    while len(found) < 6:
        found.insert(0, found[0].previous())
    return [str(q) for q in found]


def _six_quarters() -> Path:
    """Six synthetic quarters ending ``QUARTER`` (one seed: one history) in one file."""
    data = OUT / f"employee_detail_{TURNOVER_FACILITIES}_six_quarters_to_{QUARTER}.csv"
    if data.exists():
        return data
    partial = data.with_suffix(".partial")
    with partial.open("wb") as out:
        for n, quarter in enumerate(_quarters()):
            part = OUT / f"employee_detail_{TURNOVER_FACILITIES}_{quarter}.part.csv"
            synth = [str(BIN / "carecover"), "synth", "employee-detail"]
            synth += ["--facilities", str(TURNOVER_FACILITIES), "--quarter", quarter]
            subprocess.run([*synth, "-o", str(part)], check=True, stdout=subprocess.DEVNULL)
            with part.open("rb") as handle:
                header = handle.readline()
                if n == 0:
                    out.write(header)
                shutil.copyfileobj(handle, out)
            part.unlink()
    partial.rename(data)
    return data


def _turnover_lines(
    data: Path, rows: int, outs: dict[str, Path], timings: list[Timing]
) -> list[str]:
    ibis_, hand, _ = timings
    with outs["ibis"].open(encoding="utf-8") as handle:
        figures = list(csv.DictReader(handle))
    eligible = sum(int(r["nurse_eligible"]) for r in figures)
    departures = sum(int(r["nurse_departures"]) for r in figures)
    rn_eligible = sum(int(r["rn_eligible"]) for r in figures)
    rn_departures = sum(int(r["rn_departures"]) for r in figures)
    share = (
        "all" if TURNOVER_FACILITIES >= NATIONAL else (f"1/{round(NATIONAL / TURNOVER_FACILITIES)}")
    )
    return [
        "",
        f"### Turnover over six quarters ({', '.join(_quarters())}): {TURNOVER_FACILITIES:,} "
        f"facilities ({share} of the national {NATIONAL:,}), {rows:,} rows, "
        f"{data.stat().st_size / 2**20:,.0f} MB",
        "",
        "The synthetic quarters, written with one seed, are one staffing history (an id "
        "carries on from quarter to quarter until its term ends), so the rule finds real "
        f"departures: {departures:,} of {eligible:,} eligible nurse staff "
        f"({100 * departures / max(eligible, 1):.1f}%), {rn_departures:,} of {rn_eligible:,} "
        f"RNs ({100 * rn_departures / max(rn_eligible, 1):.1f}%), method {METHOD}.",
        "",
        "| process | seconds (best of 3; the cluster one run) | peak MiB |",
        "|---|---:|---:|",
        *(f"| {t.label} | {t.seconds:.2f} | {t.peak_mib:,.0f} |" for t in timings),
        "",
        f"- Ibis turnover / the hand-written turnover query (whole processes): "
        f"**{ibis_.seconds / hand.seconds:.2f}x** (target 1.5x).",
        f"- Same rows (every count and flag of {len(figures):,} facilities), Ibis vs "
        f"hand-written: {_same(outs['ibis'], outs['hand'])}; DuckDB vs the Spark cluster "
        f"(Spark reading and checking the text): {_same(outs['ibis'], outs['spark'])}.",
    ]


if __name__ == "__main__":
    measure(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:5])
