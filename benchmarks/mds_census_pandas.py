"""Baseline: the MDS daily census as a pandas user would write it (per-day expansion).

Reads the MDS extract CSV, keys residents on the normalised Resident Internal
ID items (or RESIDENT_INTERNAL_ID), and applies CMS's rules with the default
conventions: each non-discharge record keeps the resident present from its
target date until the next record or 150 days later; each presence interval
is expanded into one row per resident-day and the rows are counted per
facility and day. The benchmark checks it gives the same census as
``carecover mds census`` and times both.
Usage: python benchmarks/mds_census_pandas.py FILE.csv FROM TO > out.csv
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

GONE = 150
OUT = ("10", "11", "12")


def _name(s: pd.Series) -> pd.Series:
    return s.str.replace(r"[\s\-'.]+", "", regex=True).str.upper()


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.str.replace("-", "", regex=False), format="%Y%m%d", errors="coerce")


def census(path: str, start: str, end: str) -> pd.DataFrame:
    """Daily census per facility (A0100B) and date in [start, end]."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    target = _date(df["TRGT_DT"])
    f = df["A0310F"]
    source = np.where(f == "01", df["A1600"], np.where(f.isin(OUT), df["A2000"], df["A2300"]))
    df["t"] = target.fillna(_date(pd.Series(source, index=df.index)))
    df = df[(df["t"] >= first - pd.Timedelta(days=365)) & (df["t"] <= last)].copy()
    ssn = df["A0600A"].str.replace(r"\D", "", regex=True)
    ssn = ssn.where((ssn.str.len() == 9) & ~ssn.isin(["000000000", "999999999", "123456789"]), "")
    rid = df["RESIDENT_INTERNAL_ID"].str.strip().str.upper()
    identity = (
        df["STATE_CD"].str.upper() + "|" + df["FAC_ID"].str.upper() + "|" + ssn + "|"
        + _name(df["A0500C"]) + "|" + _name(df["A0500A"]) + "|"
        + _date(df["A0900"]).dt.strftime("%Y-%m-%d").fillna("") + "|" + df["A0800"]
    )  # fmt: skip
    df["resident"] = np.where(rid != "", "rid|" + df["STATE_CD"].str.upper() + "|" + rid, identity)
    df["out"] = df["A0310F"].isin(OUT)
    # Same day: a discharge closing an earlier stay first, then the rest, then a discharge.
    entry = _date(df["A1600"])
    df["rank"] = np.where(df["out"], np.where(entry < df["t"], 0, 2), 1)
    df["row"] = np.arange(len(df))
    df = df.sort_values(["A0100B", "resident", "t", "rank", "row"])
    df["next_t"] = df.groupby(["A0100B", "resident"])["t"].shift(-1)
    keep = df[~df["out"]].copy()
    stop = keep["t"] + pd.Timedelta(days=GONE)
    keep["end"] = keep["next_t"].where(keep["next_t"] < stop, stop)
    keep["s"] = keep["t"].clip(lower=first)
    keep["e"] = keep["end"].clip(upper=last + pd.Timedelta(days=1))
    keep = keep[keep["s"] < keep["e"]]
    # The per-day expansion: one row per resident-day.
    days = (keep["e"] - keep["s"]).dt.days.to_numpy()
    facility = np.repeat(keep["A0100B"].to_numpy(), days)
    offset = np.arange(days.sum()) - np.repeat(np.cumsum(days) - days, days)
    day = np.repeat(keep["s"].to_numpy(), days) + offset.astype("timedelta64[D]")
    per_day = pd.DataFrame({"facility": facility, "date": day})
    counts = per_day.groupby(["facility", "date"]).size().rename("census")
    facilities = sorted(df["A0100B"].unique())
    grid = pd.MultiIndex.from_product(
        [facilities, pd.date_range(first, last, freq="D")], names=["facility", "date"]
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out


if __name__ == "__main__":
    census(sys.argv[1], sys.argv[2], sys.argv[3]).to_csv(sys.stdout, index=False)
