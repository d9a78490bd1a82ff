"""Baseline: the quarterly PBJ measures as an idiomatic pandas script.

This is what an analyst would write by hand, with the definitions of
``carecover.pbj.measures.staffing`` (the benchmark checks both give the same numbers):
a group's hours are empty only when all its columns are; HPRD = summed hours
/ summed census; weekend = Saturday and Sunday; a zero-RN or under-8-hours day
needs residents and reported RN hours; the contract share counts only days
that report contract columns; the exclusion rules come from the same
``exclusion_rules.csv``.
Usage: python benchmarks/pbj_measures_pandas.py FILE.csv > out.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

RN = ["Hrs_RNDON", "Hrs_RNadmin", "Hrs_RN"]
LPN = ["Hrs_LPNadmin", "Hrs_LPN"]
AIDE = ["Hrs_CNA", "Hrs_NAtrn", "Hrs_MedAide"]
CTR = [f"{c}_ctr" for c in RN + LPN + AIDE]
RULES = Path(__file__).resolve().parent.parent / "src/carecover/data/pbj/exclusion_rules.csv"


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den).where(den > 0)


def measures(path: str) -> pd.DataFrame:
    """Quarterly measures per facility, in the CLI's column order."""
    df = pd.read_csv(path, dtype={"PROVNUM": str}, encoding="cp1252")
    df["date"] = pd.to_datetime(df["WorkDate"].astype(str), format="%Y%m%d")
    df["rn"] = df[RN].sum(axis=1, min_count=1)
    df["lpn"] = df[LPN].sum(axis=1, min_count=1)
    df["aide"] = df[AIDE].sum(axis=1, min_count=1)
    df["total"] = df[["rn", "lpn", "aide"]].sum(axis=1)
    has_ctr = df["Hrs_RN_ctr"].notna()
    ctr = (
        df[CTR[:3]].sum(axis=1, min_count=1).fillna(0)
        + df[CTR[3:5]].sum(axis=1, min_count=1).fillna(0)
        + df[CTR[5:]].sum(axis=1, min_count=1).fillna(0)
    )
    df["ctr"] = ctr.where(has_ctr)
    df["ctr_base"] = df["total"].where(has_ctr)
    weekend = df["date"].dt.day_of_week >= 5
    present = df["MDScensus"] > 0
    for name in ("total", "rn", "aide"):
        df[f"wk_{name}"] = df[name].where(weekend)
    df["wk_census"] = df["MDScensus"].where(weekend)
    df["zero_rn"] = present & df["rn"].notna() & (df["rn"] == 0)
    df["rn_under_8"] = present & df["rn"].notna() & (df["rn"] < 8)
    df["rn_blank"] = df["rn"].isna()
    df["no_nurse"] = present & (df["total"] == 0)
    df["admin"] = df[["Hrs_RNDON", "Hrs_RNadmin", "Hrs_LPNadmin"]].fillna(0).sum(axis=1)
    g = df.groupby(["PROVNUM", "CY_Qtr"], sort=True).agg(
        days_reported=("date", "size"),
        resident_days=("MDScensus", "sum"),
        rn_hours=("rn", "sum"),
        lpn_hours=("lpn", "sum"),
        aide_hours=("aide", "sum"),
        total_hours=("total", "sum"),
        ctr=("ctr", "sum"),
        ctr_base=("ctr_base", "sum"),
        wk_total=("wk_total", "sum"),
        wk_rn=("wk_rn", "sum"),
        wk_aide=("wk_aide", "sum"),
        wk_census=("wk_census", "sum"),
        admin_hours=("admin", "sum"),
        days_blank=("rn_blank", "sum"),
        days_without_nurse_staffing=("no_nurse", "sum"),
        first_day=("date", "min"),
        zero_rn_days=("zero_rn", "sum"),
        rn_under_8h_days=("rn_under_8", "sum"),
        rn_days=("rn", "count"),
        lpn_days=("lpn", "count"),
        aide_days=("aide", "count"),
    )
    for name in ("rn", "lpn", "aide"):  # like SQL's SUM: empty when no day reports the group
        g[f"{name}_hours"] = g[f"{name}_hours"].where(g[f"{name}_days"] > 0)
    out = pd.DataFrame(index=g.index)
    out["days_reported"] = g["days_reported"]
    start = g["first_day"].dt.to_period("Q")
    in_quarter = (start.dt.end_time.dt.normalize() - start.dt.start_time).dt.days + 1
    out["days_missing"] = (in_quarter - g["days_reported"]).clip(lower=0)
    out["days_blank"] = g["days_blank"]
    out["resident_days"] = g["resident_days"]
    out["avg_census"] = g["resident_days"] / g["days_reported"]
    for name in ("rn", "lpn", "aide", "total"):
        out[f"{name}_hours"] = g[f"{name}_hours"]
    for name in ("rn", "lpn", "aide", "total"):
        out[f"{name}_hprd"] = _ratio(g[f"{name}_hours"], g["resident_days"])
    licensed = g["rn_hours"].fillna(0) + g["lpn_hours"].fillna(0)
    out["licensed_hprd"] = _ratio(licensed, g["resident_days"])
    out["nurse_care_hprd"] = _ratio(g["total_hours"] - g["admin_hours"], g["resident_days"])
    out["weekend_total_hprd"] = _ratio(g["wk_total"], g["wk_census"])
    out["weekend_rn_hprd"] = _ratio(g["wk_rn"], g["wk_census"])
    out["contract_share"] = _ratio(g["ctr"], g["ctr_base"])
    out["zero_rn_days"] = g["zero_rn_days"]
    out["rn_under_8h_days"] = g["rn_under_8h_days"]
    out["days_without_nurse_staffing"] = g["days_without_nurse_staffing"]
    values = out.assign(weekend_aide_hprd=_ratio(g["wk_aide"], g["wk_census"]))
    quarter = out.index.get_level_values("CY_Qtr")
    excluded = g["resident_days"] <= 0
    for rule in pd.read_csv(RULES, dtype=str, keep_default_na=False).itertuples():
        value, limit = values[rule.measure], float(rule.threshold)
        hit = {"eq": value == limit, "gt": value > limit, "lt": value < limit}[rule.operator]
        if rule.first_quarter:
            hit &= quarter >= rule.first_quarter
        if rule.last_quarter:
            hit &= quarter <= rule.last_quarter
        excluded |= hit
    out["excluded"] = excluded
    return out.reset_index().rename(columns={"PROVNUM": "provnum", "CY_Qtr": "quarter"})


if __name__ == "__main__":
    measures(sys.argv[1]).to_csv(sys.stdout, index=False)
