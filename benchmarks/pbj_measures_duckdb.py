"""Reference: the quarterly measures as one hand-written DuckDB query, without loader checks.

The floor for any DuckDB reading of the file: it parses the same columns as
``carecover pbj measures`` but checks nothing and handles no header drift,
empty hours or encodings. Usage: python benchmarks/pbj_measures_duckdb.py FILE.csv [FILE.csv...]
"""

from __future__ import annotations

import sys

import duckdb

QUERY = """
WITH d AS (
  SELECT PROVNUM AS provnum, CY_Qtr AS quarter, MDScensus AS census,
    isodow(strptime(WorkDate::VARCHAR, '%Y%m%d')) >= 6 AS weekend,
    Hrs_RNDON + Hrs_RNadmin + Hrs_RN AS rn, Hrs_LPNadmin + Hrs_LPN AS lpn,
    Hrs_CNA + Hrs_NAtrn + Hrs_MedAide AS aide,
    Hrs_RNDON_ctr + Hrs_RNadmin_ctr + Hrs_RN_ctr + Hrs_LPNadmin_ctr + Hrs_LPN_ctr
      + Hrs_CNA_ctr + Hrs_NAtrn_ctr + Hrs_MedAide_ctr AS ctr
  FROM read_csv(?, types = {'PROVNUM': 'VARCHAR'}))
SELECT provnum, quarter, count(*) AS days, sum(census) AS resident_days,
  sum(rn) / sum(census) AS rn_hprd, sum(lpn) / sum(census) AS lpn_hprd,
  sum(aide) / sum(census) AS aide_hprd, sum(rn + lpn + aide) / sum(census) AS total_hprd,
  sum(rn + lpn + aide) FILTER (weekend) / sum(census) FILTER (weekend) AS weekend_total_hprd,
  sum(rn) FILTER (weekend) / sum(census) FILTER (weekend) AS weekend_rn_hprd,
  sum(ctr) / sum(rn + lpn + aide) AS contract_share,
  count(*) FILTER (census > 0 AND rn = 0) AS zero_rn_days,
  count(*) FILTER (census > 0 AND rn < 8) AS rn_under_8h_days
FROM d GROUP BY ALL ORDER BY ALL
"""

if __name__ == "__main__":
    files = sys.argv[1:]
    rows = duckdb.execute(QUERY, [files[0] if len(files) == 1 else files]).fetchall()
    print(len(rows))
