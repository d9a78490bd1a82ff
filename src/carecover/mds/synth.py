"""Synthetic MDS extracts: realistic residents, stays and assessments, vectorised with numpy.

Each facility gets a census size (drawn from the national facility-quarter
summary when given, else a lognormal around 80). Stays arrive as a Poisson
process with a short-stay/long-stay length mix so the census is steady;
every stay gets an entry record (A0310F=01), quarterly records about every
90 days and, if it ends in the period, a discharge (10 or 11) or death (12)
record, except a share of discharges that are never sent ("missing
discharges"). Some return-anticipated discharges come back within 30 days
(a reentry, A1700=2). At ``duplicate_rate`` a record carries an identity
error: a typo in the last name, day and month swapped in the birth date,
first and last names swapped, or the SSN missing. No per-record Python: a
national year (~6M records) is array arithmetic plus one CSV write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from carecover.errors import InputError
from carecover.mds.extract import COLUMNS
from carecover.outputs import written

__all__ = ["SynthSummary", "synth_mds"]

_FIRST = np.array(
    "MARY JOHN PATRICIA ROBERT LINDA JAMES BARBARA WILLIAM ELIZABETH RICHARD SUSAN JOSEPH"
    " DOROTHY THOMAS MARGARET CHARLES HELEN GEORGE BETTY DONALD RUTH FRANK ANNA WALTER".split()
)
_LAST = np.array(
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ"
    " GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE"
    " HARRIS SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT".split()
)
_CMGS = np.array(["ES3", "ES2", "HBC2", "LBC1", "CDE2", "CBC1", "BAB2", "PDE1", "PBC2", "PA1"])
# Shares of the groups: few extensive-services residents, many with reduced
# function, so that the mean nursing weight (about 1.35 with the shipped PDPM
# weights) sits near the national case-mix index (1.37 in 2024–2025) and a
# synthetic facility's case-mix ratio is close to 1, as most are.
_CMG_SHARES = np.array([0.02, 0.03, 0.07, 0.12, 0.10, 0.16, 0.10, 0.12, 0.14, 0.14])
_SHORT_LOS, _LONG_LOS, _SHORT_SHARE = 28.0, 700.0, 0.6
_EPOCH = np.datetime64("1970-01-01", "D")
_BATCH = 500


@dataclass(frozen=True)
class SynthSummary:
    """What ``synth_mds`` wrote."""

    path: Path
    facilities: int
    residents: int
    records: int


def _census_sizes(rng: np.random.Generator, n: int, reference: Path | None) -> Any:
    if reference is not None:
        import duckdb

        rows = duckdb.sql(
            "SELECT avg(avg_daily_census) FROM read_csv(?) WHERE avg_daily_census > 0"
            " GROUP BY ccn ORDER BY ccn",
            params=[str(reference)],
        ).fetchall()
        pool = np.array([r[0] for r in rows], dtype=float)
        if pool.size == 0:
            raise InputError("no avg_daily_census in the reference file", file=str(reference))
        sizes = rng.choice(pool, size=n)
    else:
        sizes = rng.lognormal(np.log(80.0), 0.5, size=n)
    return np.maximum(1, np.rint(sizes)).astype(np.int64)


def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _datestr(days: Any, mask: Any) -> Any:
    text = np.char.replace(np.datetime_as_string(_EPOCH + days.astype("timedelta64[D]")), "-", "")
    return np.where(mask, text, "")


def synth_mds(
    out: Path,
    *,
    facilities: int,
    start: date,
    end: date,
    seed: int = 0,
    duplicate_rate: float = 0.0,
    reference: Path | None = None,
) -> SynthSummary:
    """Write a synthetic MDS extract CSV covering [start, end] plus the year of look-back."""
    if not 1 <= facilities <= 99_999:
        raise InputError("facilities must be between 1 and 99999", field="--facilities")
    if seed < 0:  # numpy's generators take none
        raise InputError(f"the seed must be 0 or more, not {seed}", field="--seed")
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    if not 0.0 <= duplicate_rate <= 1.0:
        raise InputError("the duplicate rate must be between 0 and 1")
    census = _census_sizes(np.random.default_rng(seed), facilities, reference)
    lo, hi = _days(start) - 365, _days(end)
    residents = records = 0
    with written(out) as partial, partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(COLUMNS) + "\n")
        # Facilities in batches, each with its own seeded generator: memory stays
        # bounded for a national run and the bytes depend only on the seed.
        for b, first_fac in enumerate(range(0, facilities, _BATCH)):
            rng = np.random.default_rng([seed, b + 1])
            sizes = census[first_fac : first_fac + _BATCH]
            rows, n_res = _batch(rng, sizes, first_fac, lo, hi)
            _apply_identity_errors(rng, rows, duplicate_rate)
            records += _write(handle, rows)
            residents += n_res
    return SynthSummary(out, facilities, residents, records)


def _batch(
    rng: np.random.Generator, census: Any, fac_offset: int, lo: int, hi: int
) -> tuple[dict[str, Any], int]:
    # Arrivals start long enough before the look-back that long stays are in steady state.
    first = lo - 3 * int(_LONG_LOS)
    mean_los = _SHORT_SHARE * _SHORT_LOS + (1 - _SHORT_SHARE) * _LONG_LOS
    arrivals = rng.poisson(census * (hi - first + 1) / mean_los)
    fac = np.repeat(np.arange(census.size), arrivals)
    n = fac.size
    adm = rng.integers(first, hi + 1, size=n)
    short = rng.random(n) < _SHORT_SHARE
    los = np.ceil(rng.exponential(np.where(short, _SHORT_LOS, _LONG_LOS))).astype(np.int64) + 1
    keep = adm + los >= lo
    fac, adm, los = fac[keep] + fac_offset, adm[keep], los[keep]
    resident = np.arange(fac.size)
    kind = rng.choice(np.array([10, 11, 12]), size=fac.size, p=[0.45, 0.35, 0.20])
    # A share of return-anticipated discharges come back within 30 days: a reentry stay.
    back = (kind == 11) & (rng.random(fac.size) < 0.6) & (adm + los < hi)
    r_adm = (adm + los + rng.integers(1, 31, size=fac.size))[back]
    r_los = np.ceil(rng.exponential(_SHORT_LOS, size=r_adm.size)).astype(np.int64) + 1
    s_fac = np.concatenate([fac, fac[back]])
    s_res = np.concatenate([resident, resident[back]])
    s_adm = np.concatenate([adm, r_adm])
    s_dis = s_adm + np.concatenate([los, r_los])
    s_kind = np.concatenate([kind, rng.choice(np.array([10, 12]), size=r_adm.size)])
    s_reentry = np.concatenate([np.zeros(fac.size, bool), np.ones(r_adm.size, bool)])
    # Records: the entry, quarterlies every ~90 days, and the discharge if it is sent.
    last = np.minimum(s_dis - 1, hi)
    quarters = np.maximum(0, (last - s_adm) // 90)
    q_stay = np.repeat(np.arange(s_adm.size), quarters)
    q_k = np.arange(q_stay.size) - np.repeat(np.cumsum(quarters) - quarters, quarters) + 1
    q_t = np.minimum(s_adm[q_stay] + 90 * q_k + rng.integers(-5, 1, size=q_stay.size), last[q_stay])
    sent = (s_dis <= hi) & (rng.random(s_adm.size) >= 0.03)
    d_stay = np.nonzero(sent)[0]
    stay = np.concatenate([np.arange(s_adm.size), q_stay, d_stay])
    a0310f = np.concatenate([np.full(s_adm.size, 1), np.full(q_stay.size, 99), s_kind[d_stay]])
    target = np.concatenate([s_adm, q_t, s_dis[d_stay]])
    inside = target >= lo
    stay, a0310f, target = stay[inside], a0310f[inside], target[inside]
    order = np.lexsort((target, s_fac[stay]))
    stay, a0310f, target = stay[order], a0310f[order], target[order]
    rows = _columns(rng, stay, a0310f, target, s_fac, s_res, s_adm, s_reentry)
    return rows, int(resident.size)


def _columns(
    rng: np.random.Generator,
    stay: Any,
    a0310f: Any,
    target: Any,
    s_fac: Any,
    s_res: Any,
    s_adm: Any,
    s_reentry: Any,
) -> dict[str, Any]:
    n_res = int(s_res.max()) + 1 if s_res.size else 0
    birth = rng.integers(_days(date(1925, 1, 1)), _days(date(1962, 12, 31)), size=n_res)
    gender = rng.integers(1, 3, size=n_res)
    ssn = rng.integers(100_000_000, 899_999_999, size=n_res)
    res, fac = s_res[stay], s_fac[stay]
    entry, other = a0310f == 1, a0310f == 99
    out_ = ~(entry | other)
    n = stay.size
    states = np.array(["CA", "TX", "NY", "FL", "OH", "PA", "IL"])
    return {
        "STATE_CD": states[fac % states.size],
        "FAC_ID": np.char.add("F", fac.astype(str)),
        "A0100B": (100000 + fac).astype(str),
        "RESIDENT_INTERNAL_ID": np.full(n, ""),
        "A0500A": _FIRST[res % _FIRST.size],
        "A0500C": _LAST[(res // _FIRST.size) % _LAST.size],
        "A0600A": ssn[res].astype(str),
        "A0800": gender[res].astype(str),
        "A0900": _datestr(birth[res], np.ones(n, bool)),
        "A0310A": np.where(entry, "99", np.where(other, "02", "99")),
        "A0310B": np.where(entry, "01", "99"),
        "A0310F": np.char.zfill(a0310f.astype(str), 2),
        "A1600": _datestr(s_adm[stay], np.ones(n, bool)),
        "A1700": np.where(entry, np.where(s_reentry[stay], "2", "1"), ""),
        "A2000": _datestr(target, out_),
        "A2100": np.where(
            a0310f == 12, "08", np.where(a0310f == 11, "03", np.where(out_, "01", ""))
        ),
        "A2300": _datestr(target, other),
        "TRGT_DT": np.full(n, ""),
        "PDPM_NURSING_CMG": np.where(out_, "", rng.choice(_CMGS, size=n, p=_CMG_SHARES)),
        "RUG_IV_GROUP": np.full(n, ""),
    }


def _apply_identity_errors(rng: np.random.Generator, rows: dict[str, Any], rate: float) -> None:
    n = rows["A0310F"].size
    hit = rng.random(n) < rate
    error = rng.integers(0, 4, size=n)
    first, last = rows["A0500A"].astype(object), rows["A0500C"].astype(object)
    typo = hit & (error == 0)
    rows["A0500C"] = np.where(
        typo, np.char.add(np.char.rstrip(last.astype(str), "AEIOU"), "X"), last
    )
    swap = hit & (error == 2)
    rows["A0500A"], rows["A0500C"] = (
        np.where(swap, rows["A0500C"], first),
        np.where(swap, first, rows["A0500C"]),
    )
    birth = rows["A0900"]
    swapped = np.char.add(
        np.char.add(_slice(birth, 0, 4), _slice(birth, 6, 8)), _slice(birth, 4, 6)
    )
    # Day-month swaps only make a plausible date when the day is 12 or less.
    day_ok = _slice(birth, 6, 8).astype(int) <= 12
    rows["A0900"] = np.where(hit & (error == 1) & day_ok, swapped, birth)
    rows["A0600A"] = np.where(hit & (error == 3), "", rows["A0600A"])


def _slice(values: Any, a: int, b: int) -> Any:
    return (
        values.astype(f"<U{b}")
        .astype(f"<U{b}")
        .view("<U1")
        .reshape(-1, b)[:, a:b]
        .copy()
        .view(f"<U{b - a}")
        .ravel()
    )


def _write(handle: Any, rows: dict[str, Any]) -> int:
    line = rows[COLUMNS[0]].astype(object)
    for column in COLUMNS[1:]:
        line = line + "," + rows[column].astype(object)
    if line.size:
        handle.write("\n".join(line.tolist()) + "\n")
    return int(line.size)
