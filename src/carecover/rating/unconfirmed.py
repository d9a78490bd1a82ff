"""Every UNCONFIRMED value the rating rests on, gathered from the data files.

Nothing here is a list kept by hand: the values come from the files that hold
them (the method TOMLs' facts, the nursing weight tables, the footnote legend,
the national figures, the release calendar) and from ``unconfirmed_rules.csv``
for the rules that are not a value of one file (e.g. PBJ record counting).
``carecover rating methods`` prints them; docs/rating.md lists the same set (a
test compares the two).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from carecover.rating.methods import data_text, methods

__all__ = ["Unconfirmed", "unconfirmed_values"]

WEIGHT_TABLES = ("nursing_weights_pdpm.csv", "nursing_weights_rug_iv.csv")
UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True)
class Unconfirmed:
    """One UNCONFIRMED value: where it lives, its key, the value in use and its source."""

    where: str
    key: str
    value: str
    source: str


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_text(name))))


def _unconfirmed(confidence: str) -> bool:
    return confidence.strip().upper().startswith(UNCONFIRMED)


def _weights() -> list[Unconfirmed]:
    out = []
    for name in WEIGHT_TABLES:
        rows = _rows(name)
        flagged = [r for r in rows if _unconfirmed(r["confidence"])]
        if flagged:
            weights = [float(r["weight"]) for r in flagged]
            value = f"{len(flagged)} of {len(rows)} groups, {min(weights)}-{max(weights)}"
            out.append(Unconfirmed(name, "weight", value, flagged[0]["source"]))
    return out


def _releases() -> list[Unconfirmed]:
    rows = _rows("releases.csv")
    out = []
    quarters = [r for r in rows if _unconfirmed(r["confidence"])]
    if quarters:
        names = ", ".join(r["release"] for r in quarters)
        out.append(Unconfirmed("releases.csv", "pbj_quarter", names, quarters[0]["source"]))
    dates = [r for r in rows if _unconfirmed(r["date_confidence"])]
    if dates:
        value = f"{len(dates)} of {len(rows)} release days"
        out.append(Unconfirmed("releases.csv", "date", value, dates[0]["date_source"]))
    return out


def unconfirmed_values() -> list[Unconfirmed]:
    """Every UNCONFIRMED value, methods first, then the reference tables and rules."""
    out = [
        Unconfirmed(m.name, f.key, str(f.value), f.source) for m in methods() for f in m.unconfirmed
    ]
    out += _weights()
    out += [
        Unconfirmed("footnotes.csv", f"footnote {r['code']}", r["effect"], r["source"])
        for r in _rows("footnotes.csv")
        if _unconfirmed(r["confidence"])
    ]
    out += [
        Unconfirmed(
            "national_averages.csv",
            f"{r['release']} {r['measure']}",
            r["national_average"],
            r["source"],
        )
        for r in _rows("national_averages.csv")
        if _unconfirmed(r["confidence"])
    ]
    out += _releases()
    out += [
        Unconfirmed("unconfirmed_rules.csv", r["key"], r["value"], r["source"])
        for r in _rows("unconfirmed_rules.csv")
        if _unconfirmed(r["confidence"])
    ]
    return out
