"""Reference: the quarterly measures as one hand-written DuckDB query, without loader checks.

The floor for any DuckDB reading of the files: it computes every column
``carecover pbj measures --format csv`` prints (the same 24 measures, the CMS
exclusions written in as constants) and prints them as CSV, but checks
nothing and handles no header drift, empty hours columns or encodings.

Until 2026-12-04 this query computed 13 of the 24 columns (no blank, missing
or no-nurse days, no licensed, nurse-care or weekend aide HPRD, no
exclusions) and printed only a row count, so it was not the same work; the
ratios in RESULTS.md before that date are against that smaller query.

Usage: python benchmarks/pbj_measures_duckdb.py FILE.csv [FILE.csv...] > measures.csv
"""

from __future__ import annotations

import sys

import duckdb

QUERY = """
WITH d AS (
  SELECT PROVNUM AS provnum, CY_Qtr AS quarter, MDScensus AS census,
    make_date(WorkDate // 10000, WorkDate // 100 % 100, WorkDate % 100) AS workdate,
    Hrs_RNDON + Hrs_RNadmin + Hrs_RN AS rn, Hrs_LPNadmin + Hrs_LPN AS lpn,
    Hrs_CNA + Hrs_NAtrn + Hrs_MedAide AS aide,
    Hrs_RNDON + Hrs_RNadmin + Hrs_LPNadmin AS admin,
    Hrs_RNDON_ctr + Hrs_RNadmin_ctr + Hrs_RN_ctr + Hrs_LPNadmin_ctr + Hrs_LPN_ctr
      + Hrs_CNA_ctr + Hrs_NAtrn_ctr + Hrs_MedAide_ctr AS ctr,
    Hrs_RN_ctr IS NOT NULL AS has_ctr
  FROM read_csv(?, types = {'PROVNUM': 'VARCHAR', 'WorkDate': 'INTEGER'})),
w AS (SELECT *, rn + lpn + aide AS total, isodow(workdate) >= 6 AS weekend FROM d),
q AS (
  SELECT provnum, quarter, count(*) AS days, sum(census) AS rd,
    sum(rn) AS rn, sum(lpn) AS lpn, sum(aide) AS aide, sum(total) AS total,
    sum(admin) AS admin, sum(ctr) FILTER (has_ctr) AS ctr,
    sum(total) FILTER (has_ctr) AS ctr_base,
    sum(census) FILTER (weekend) AS w_rd, sum(total) FILTER (weekend) AS w_total,
    sum(rn) FILTER (weekend) AS w_rn, sum(aide) FILTER (weekend) AS w_aide,
    count(*) FILTER (census > 0 AND rn = 0) AS zero_rn_days,
    count(*) FILTER (census > 0 AND rn < 8) AS rn_under_8h_days,
    count(*) FILTER (rn IS NULL) AS days_blank,
    count(*) FILTER (census > 0 AND total = 0) AS no_nurse,
    min(workdate) AS first_day
  FROM w GROUP BY provnum, quarter),
m AS (
  SELECT *, CASE WHEN rd > 0 THEN total / rd END AS total_hprd,
    CASE WHEN rd > 0 THEN aide / rd END AS aide_hprd,
    CASE WHEN w_rd > 0 THEN w_total / w_rd END AS w_total_hprd,
    CASE WHEN w_rd > 0 THEN w_aide / w_rd END AS w_aide_hprd
  FROM q)
SELECT provnum, quarter, days AS days_reported,
  greatest(CASE WHEN month(first_day) <= 3
    THEN 90 + (year(first_day) % 4 = 0 AND (year(first_day) % 100 <> 0
      OR year(first_day) % 400 = 0))::INTEGER
    WHEN month(first_day) <= 6 THEN 91 ELSE 92 END - days, 0) AS days_missing,
  days_blank, rd AS resident_days, round(rd / days, 2) AS avg_census,
  round(rn, 2) AS rn_hours, round(lpn, 2) AS lpn_hours, round(aide, 2) AS aide_hours,
  round(total, 2) AS total_hours,
  round(CASE WHEN rd > 0 THEN rn / rd END, 5) AS rn_hprd,
  round(CASE WHEN rd > 0 THEN lpn / rd END, 5) AS lpn_hprd,
  round(aide_hprd, 5) AS aide_hprd, round(total_hprd, 5) AS total_hprd,
  round(CASE WHEN rd > 0 THEN (rn + lpn) / rd END, 5) AS licensed_hprd,
  round(CASE WHEN rd > 0 THEN (total - admin) / rd END, 5) AS nurse_care_hprd,
  round(w_total_hprd, 5) AS weekend_total_hprd,
  round(CASE WHEN w_rd > 0 THEN w_rn / w_rd END, 5) AS weekend_rn_hprd,
  round(CASE WHEN ctr_base > 0 THEN ctr / ctr_base END, 4) AS contract_share,
  zero_rn_days, rn_under_8h_days, no_nurse AS days_without_nurse_staffing,
  coalesce(rd, 0) <= 0 OR coalesce(total_hprd = 0 OR total_hprd > 12, false)
    OR coalesce(aide_hprd > 5.25, false)
    OR coalesce(w_total_hprd = 0 OR w_total_hprd > 12, false)
    OR coalesce(w_aide_hprd > 5.25, false)
    OR coalesce(total_hprd < 1.5 AND quarter <= '2021Q4', false)
    OR no_nurse > 0 AS excluded
FROM m ORDER BY provnum, quarter
"""

if __name__ == "__main__":
    files = sys.argv[1:]
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    # COPY takes no parameters: the paths are written in as SQL strings.
    listed = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    sql = f"COPY ({QUERY.replace('?', listed)}) TO '/dev/stdout' (FORMAT csv, HEADER true)"
    con.execute(sql)
