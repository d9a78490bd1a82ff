"""A synthetic national quarter of the PBJ Employee Detail file (``synth employee-detail``).

Facilities draw their size and staffing from real facility-quarters (the
built-in sample of CMS's national summary, ``synth_puf.BUILT_IN_PROFILES``):
average census, RN HPRD and total nurse HPRD. Each facility gets a roster
per category sized so that its staff, each working about 60% of days (less
at weekends), give the profile's hours; about a tenth of nurse and aide ids
are contract staff (pay type 3); a few days are double shifts (the
hour-outlier flags have something to find).

Each roster place is held by a succession of employees: the place's tenure
(a number of days drawn once per place, long-tailed, ``TENURE_DAYS``) is cut
into terms on an absolute calendar, and each term is a new employee id
(``E<facility>-<category>-<place>-<term>``) who starts the day the last one
left. So quarters written with the same seed and facility count are one
history: an id carries on from quarter to quarter until its term ends, and
six of them give the turnover rule (``rating.turnover``) realistic
departures (about half the nurse staff a year). One DuckDB statement writes
the CSV, so a national quarter (~15,000 facilities, tens of millions of
rows) needs no Python loop. Same seed, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carecover.outputs import written
from carecover.pbj.calendar import Quarter
from carecover.pbj.employees.detail import columns
from carecover.pbj.publicfile.synth import BUILT_IN_PROFILES

__all__ = ["EmployeeSynthResult", "synthesize_employee_detail"]

SHIFT_HOURS = 8.0
WORK_SHARE = 0.6  # a staff member works about 3 days in 5
WEEKEND_WORK_SHARE = 0.5
CONTRACT_SHARE = 0.1
# A place's tenure in days: MIN plus a long-tailed (exponential) draw of mean
# MEAN. Synthetic data knobs, not reference facts, tuned so that the turnover
# rule finds about half the nurse staff leaving in a year, as CMS's national
# figures do (six quarters of 150 facilities: median nurse turnover 53%, RN
# 50%, 0.46 administrator departures a facility).
TENURE_DAYS = {"nurse": (365, 700), "admin": (365, 1400)}
EPOCH = "2000-01-01"  # the terms' calendar: day 0


@dataclass(frozen=True)
class EmployeeSynthResult:
    """What ``synthesize_employee_detail`` wrote."""

    path: Path
    facilities: int
    rows: int
    quarter: str


def _u(seed: int, *parts: str) -> str:
    """A uniform [0, 1) number from a hash of the seed and ``parts``."""
    return f"((hash({', '.join([str(seed), *parts])}) % 1000003)::DOUBLE / 1000003.0)"


def synthesize_employee_detail(
    out: Path, *, facilities: int, quarter: Quarter, seed: int = 0, summary: Path | None = None
) -> EmployeeSynthResult:
    """Write ``facilities`` facilities' Employee Detail rows for ``quarter`` to ``out``."""
    import duckdb

    headers = {c.field: c.headers[0] for c in columns()}
    profiles = str(summary or BUILT_IN_PROFILES).replace("'", "''")
    nurse_min, nurse_mean = TENURE_DAYS["nurse"]
    admin_min, admin_mean = TENURE_DAYS["admin"]
    query = f"""
    WITH prof AS (
        SELECT row_number() OVER (ORDER BY State, quarter, avg_daily_census) - 1 AS k, *
        FROM read_csv('{profiles}', header = true)
        WHERE avg_daily_census > 0 AND avg_total_nurse_hprd > avg_rn_hprd
    ), fac AS (
        SELECT i, printf('%06d', 100000 + i * 7) AS provnum, p.*
        FROM range({facilities}) r(i)
        JOIN prof p ON p.k = (hash({seed}, i) % (SELECT count(*) FROM prof))
    ), cats AS (
        SELECT * FROM (VALUES ('rn', 0), ('lpn', 1), ('aide', 2), ('admin', 3)) v(cat, c)
    ), staff AS (
        SELECT f.provnum, c.cat, c.c, f.i,
            CASE c.cat
                WHEN 'rn' THEN f.avg_rn_hprd
                WHEN 'lpn' THEN (f.avg_total_nurse_hprd - f.avg_rn_hprd) * 0.3
                WHEN 'aide' THEN (f.avg_total_nurse_hprd - f.avg_rn_hprd) * 0.7
                ELSE 0 END * f.avg_daily_census AS day_hours
        FROM fac f CROSS JOIN cats c
    ), places AS (
        -- a roster place and its tenure in days (long-tailed: most terms are
        -- a year or two, a few are many years)
        SELECT s.provnum, s.cat, s.c, s.i, e.j,
            (CASE WHEN s.cat = 'admin' THEN {admin_min} ELSE {nurse_min} END
             + least(20 * 365, floor(-ln(1 - {_u(seed, "s.i", "s.c", "e.j", "'tenure'")})
                 * CASE WHEN s.cat = 'admin' THEN {admin_mean} ELSE {nurse_mean} END)))::BIGINT
                AS tenure,
            {_u(seed, "s.i", "s.c", "e.j", "'offset'")} AS phase
        FROM staff s,
             range(CASE WHEN s.cat = 'admin' THEN 1
                        ELSE greatest(2, ceil(s.day_hours / ({SHIFT_HOURS} * {WORK_SHARE})))::BIGINT
                   END) e(j)
    ), days AS (
        SELECT d::DATE AS workdate, (d::DATE - DATE '{EPOCH}')::BIGINT AS e,
               dayofweek(d) IN (0, 6) AS weekend
        FROM range(DATE '{quarter.start}', DATE '{quarter.end}' + 1, INTERVAL 1 DAY) t(d)
    ), held AS (
        -- who holds each place each day: its term on the absolute calendar
        SELECT p.*, d.workdate, d.e, d.weekend,
               (d.e + floor(p.phase * p.tenure)::BIGINT) // p.tenure AS term
        FROM places p CROSS JOIN days d
    ), people AS (
        SELECT h.*, 'E' || h.i || '-' || h.c || '-' || h.j || '-' || h.term AS employee_id,
            CASE h.cat
                WHEN 'admin' THEN 1
                WHEN 'rn' THEN CASE WHEN h.j = 0 THEN 5 WHEN h.j = 1 THEN 6 ELSE 7 END
                WHEN 'lpn' THEN CASE WHEN h.j = 0 THEN 8 ELSE 9 END
                ELSE CASE WHEN {_u(seed, "h.i", "h.j", "h.term", "'code'")} < 0.03 THEN 11
                          WHEN {_u(seed, "h.i", "h.j", "h.term", "'code'")} < 0.11 THEN 12
                          ELSE 10 END
            END AS job_title_code,
            CASE WHEN h.cat <> 'admin' AND h.j > 1
                      AND {_u(seed, "h.i", "h.c", "h.j", "h.term", "'ctr'")} < {CONTRACT_SHARE}
                 THEN 3 WHEN h.cat IN ('admin', 'rn') AND h.j < 2 THEN 1 ELSE 2 END
                AS pay_type_code
        FROM held h
    )
    SELECT p.provnum AS "{headers["provnum"]}", '{quarter}' AS "{headers["quarter"]}",
           p.employee_id AS "{headers["employee_id"]}",
           strftime(p.workdate, '%Y%m%d') AS "{headers["workdate"]}",
           p.job_title_code AS "{headers["job_title_code"]}",
           p.pay_type_code AS "{headers["pay_type_code"]}",
           CASE WHEN {_u(seed, "p.employee_id", "p.e", "'double'")} < 0.004 THEN 16.5
                ELSE round(({SHIFT_HOURS} + 1.5 * ({_u(seed, "p.employee_id", "p.e", "'h'")}
                             - 0.5)) * 4) / 4 END AS "{headers["hours"]}"
    FROM people p
    WHERE {_u(seed, "p.employee_id", "p.e")}
          < CASE WHEN p.cat = 'admin' THEN (CASE WHEN p.weekend THEN 0.05 ELSE 0.95 END)
                 WHEN p.weekend THEN {WEEKEND_WORK_SHARE} ELSE {WORK_SHARE} END
    ORDER BY 1, 3, 4
    """
    con = duckdb.connect(":memory:")
    try:
        with written(out) as partial:
            target = str(partial).replace("'", "''")
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER, DELIMITER ',')")
            (rows,) = con.execute(f"SELECT count(*) FROM read_csv('{target}')").fetchone() or (0,)
    finally:
        con.close()
    return EmployeeSynthResult(out, facilities, int(rows), str(quarter))
