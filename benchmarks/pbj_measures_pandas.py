"""Baseline: the quarterly PBJ measures as an idiomatic pandas script.

This is what an analyst would write by hand; the benchmark checks that it gives
the same numbers as ``carecover pbj measures`` and times both.
Usage: python benchmarks/pbj_measures_pandas.py FILE.csv > out.csv
"""

from __future__ import annotations

import sys

import pandas as pd

RN = ["Hrs_RNDON", "Hrs_RNadmin", "Hrs_RN"]
LPN = ["Hrs_LPNadmin", "Hrs_LPN"]
AIDE = ["Hrs_CNA", "Hrs_NAtrn", "Hrs_MedAide"]
CTR = [f"{c}_ctr" for c in RN + LPN + AIDE]


def measures(path: str) -> pd.DataFrame:
    """Quarterly measures per facility, in the CLI's column order."""
    df = pd.read_csv(path, dtype={"PROVNUM": str}, encoding="cp1252")
    df["date"] = pd.to_datetime(df["WorkDate"].astype(str), format="%Y%m%d")
    df["rn"] = df[RN].sum(axis=1)
    df["lpn"] = df[LPN].sum(axis=1)
    df["aide"] = df[AIDE].sum(axis=1)
    df["total"] = df["rn"] + df["lpn"] + df["aide"]
    df["ctr"] = df[CTR].sum(axis=1)
    weekend = df["date"].dt.dayofweek >= 5
    present = df["MDScensus"] > 0
    df["wk_total"] = df["total"].where(weekend, 0.0)
    df["wk_rn"] = df["rn"].where(weekend, 0.0)
    df["wk_census"] = df["MDScensus"].where(weekend, 0)
    df["zero_rn"] = (present & (df["rn"] == 0)).astype(int)
    df["rn_under_8"] = (present & (df["rn"] < 8)).astype(int)
    g = df.groupby(["PROVNUM", "CY_Qtr"], sort=True).agg(
        days_reported=("date", "count"),
        resident_days=("MDScensus", "sum"),
        rn_hours=("rn", "sum"),
        lpn_hours=("lpn", "sum"),
        aide_hours=("aide", "sum"),
        total_hours=("total", "sum"),
        ctr=("ctr", "sum"),
        wk_total=("wk_total", "sum"),
        wk_rn=("wk_rn", "sum"),
        wk_census=("wk_census", "sum"),
        zero_rn_days=("zero_rn", "sum"),
        rn_under_8h_days=("rn_under_8", "sum"),
    )
    out = pd.DataFrame(index=g.index)
    out["days_reported"] = g["days_reported"]
    out["resident_days"] = g["resident_days"]
    out["avg_census"] = g["resident_days"] / g["days_reported"]
    for name in ("rn", "lpn", "aide", "total"):
        out[f"{name}_hours"] = g[f"{name}_hours"]
    for name in ("rn", "lpn", "aide", "total"):
        out[f"{name}_hprd"] = g[f"{name}_hours"] / g["resident_days"]
    out["weekend_total_hprd"] = g["wk_total"] / g["wk_census"]
    out["weekend_rn_hprd"] = g["wk_rn"] / g["wk_census"]
    out["contract_share"] = g["ctr"] / g["total_hours"]
    out["zero_rn_days"] = g["zero_rn_days"]
    out["rn_under_8h_days"] = g["rn_under_8h_days"]
    wk_aide = None  # weekend aide HPRD is part of CMS's exclusion test
    wk_aide_hours = df["aide"].where(weekend, 0.0).groupby([df["PROVNUM"], df["CY_Qtr"]]).sum()
    wk_aide = wk_aide_hours / g["wk_census"]
    out["excluded"] = (
        (out["total_hprd"] == 0)
        | (out["total_hprd"] > 12)
        | (out["aide_hprd"] > 5.25)
        | (out["weekend_total_hprd"] == 0)
        | (out["weekend_total_hprd"] > 12)
        | (wk_aide > 5.25)
    )
    out = out.reset_index().rename(columns={"PROVNUM": "provnum", "CY_Qtr": "quarter"})
    return out


if __name__ == "__main__":
    measures(sys.argv[1]).to_csv(sys.stdout, index=False)
