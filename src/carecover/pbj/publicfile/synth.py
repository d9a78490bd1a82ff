"""Synthetic PBJ Daily Nurse Staffing rows with realistic national distributions.

Each synthetic facility copies the profile of one real facility-quarter drawn
from the national summary (``national_facility_quarter_summary_*.csv``:
average census, RN and total nurse HPRD, share of days with no RN and with
under 8 RN hours). Daily values scatter around that profile. Everything is
generated in one DuckDB query; randomness comes from ``hash(seed, ...)``,
not ``random()``, so the output is identical for the same seed whatever the
thread count. 15,000 facilities × 91 days (≈ 1.37 million rows) take a few
seconds.

Synthetic CCNs are ``S`` + 5 digits (``S00001``): letters are legal in CCNs,
and no real CCN starts with ``S``, so synthetic rows never collide with real
ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carecover.errors import InputError
from carecover.outputs import written
from carecover.pbj.calendar import Quarter
from carecover.pbj.columns import FileKind, hour_columns

__all__ = ["SynthResult", "synthesize_puf"]

# Shares inside each group; PBJ320-style national splits, illustrative only.
_SPLIT = {
    "rndon": "least(8.0, rn_g * 0.12)",
    "rnadmin": "rn_g * 0.12",
    "rn": "rn_g - least(8.0, rn_g * 0.12) - rn_g * 0.12",
    "lpnadmin": "lpn_g * 0.06",
    "lpn": "lpn_g * 0.94",
    "cna": "aide_g * 0.89",
    "natrn": "aide_g * 0.03",
    "medaide": "aide_g * 0.08",
}
BUILT_IN_PROFILES = (
    Path(__file__).parents[2] / "data" / "pbj" / "national_facility_profiles_sample.csv"
)
"""Every 12th facility-quarter (by CCN, quarter) of the CY2025Q1–CY2026Q1 national summary."""
WEEKEND_FACTOR = 0.86  # national weekend total HPRD ≈ 3.26 vs ≈ 3.8 all days (§3b, S39)
WEEKEND_NO_RN_WEIGHT = 2.5  # most days without an RN fall on weekends (QSO-18-17-NH memo)


@dataclass(frozen=True)
class SynthResult:
    """What ``synthesize_puf`` wrote."""

    path: Path
    facilities: int
    rows: int
    quarter: str


def _u(seed: int, *parts: str) -> str:
    """A uniform (0, 1) number from a hash of the seed and ``parts``."""
    args = ", ".join([str(seed), *parts])
    return f"((hash({args}) % 1000000007)::DOUBLE + 0.5) / 1000000007.0"


def _normal(seed: int, *parts: str) -> str:
    u1 = _u(seed, *parts, "'n1'")
    u2 = _u(seed, *parts, "'n2'")
    return f"(sqrt(-2 * ln({u1})) * cos(2 * pi() * {u2}))"


def _sql(summary: Path, quarter: Quarter, facilities: int, seed: int) -> str:
    p_zero = (
        f"least(1.0, f.p_zero * 7 * (CASE WHEN d.weekend THEN {WEEKEND_NO_RN_WEIGHT} ELSE 1 END)"
        f" / (5 + 2 * {WEEKEND_NO_RN_WEIGHT}))"
    )
    hours = ",\n".join(f"round({expr}, 2) AS {stem}" for stem, expr in _SPLIT.items())
    out_cols = []
    for col in hour_columns(FileKind.NURSE):
        stem = col[4:].split("_")[0]
        if col.endswith("_emp"):
            out_cols.append(f'round({stem} - round({stem} * share, 2), 2) AS "{_cms(col)}"')
        elif col.endswith("_ctr"):
            out_cols.append(f'round({stem} * share, 2) AS "{_cms(col)}"')
        else:
            out_cols.append(f'{stem} AS "{_cms(col)}"')
    return f"""
WITH profiles AS (
    SELECT row_number() OVER (ORDER BY state, quarter, avg_daily_census, avg_rn_hprd,
               avg_total_nurse_hprd, rn_0_days_pct, rn_below_8hr_days_pct) - 1 AS i, state,
           avg_daily_census AS census, avg_rn_hprd AS rn_hprd,
           avg_total_nurse_hprd AS total_hprd,
           coalesce(rn_0_days_pct, 0) / 100 AS p_zero,
           greatest(coalesce(rn_below_8hr_days_pct, 0) - coalesce(rn_0_days_pct, 0), 0)
               / 100 AS p_under8
    FROM read_csv('{str(summary).replace("'", "''")}', header = true,
                  types = {{'state': 'VARCHAR'}})
    WHERE avg_daily_census >= 1 AND avg_total_nurse_hprd > 0 AND avg_total_nurse_hprd <= 12
      AND avg_rn_hprd IS NOT NULL
),
n AS (SELECT count(*) AS n FROM profiles),
picks AS (
    SELECT g.f, (hash({seed}, g.f, 'profile') % n.n)::BIGINT AS i
    FROM range(1, {facilities} + 1) AS g(f), n
),
f AS (
    SELECT picks.f, p.*,
           CASE WHEN {_u(seed, "picks.f", "'ctr?'")} < 0.6 THEN 0.0
                ELSE 0.3 * {_u(seed, "picks.f", "'ctr'")} END AS share
    FROM picks JOIN profiles p ON p.i = picks.i
),
d AS (
    SELECT day::DATE AS day, isodow(day) >= 6 AS weekend
    FROM range(DATE '{quarter.start}', DATE '{quarter.end}' + 1, INTERVAL 1 DAY) AS r(day)
),
fd AS MATERIALIZED (
    SELECT f.f, f.state, f.share, d.day, d.weekend,
           greatest(0, round(f.census * (1 + 0.03 * {_normal(seed, "f.f", "d.day", "'c'")})))
               AS mds,
           f.rn_hprd, f.total_hprd,
           {_u(seed, "f.f", "d.day", "'zero'")} < {p_zero} AS no_rn,
           {_u(seed, "f.f", "d.day", "'under'")} < f.p_under8 AS under8,
           {_u(seed, "f.f", "d.day", "'u8h'")} AS u8,
           {_normal(seed, "f.f", "d.day", "'rn'")} AS z_rn,
           {_normal(seed, "f.f", "d.day", "'tot'")} AS z_tot
    FROM f CROSS JOIN d
),
g AS (
    SELECT *,
        CASE WHEN no_rn THEN 0.0
             WHEN under8 THEN 1 + 6.9 * u8
             ELSE greatest(8.0, rn_hprd * mds * (1 + 0.15 * z_rn)) END AS rn_g,
        greatest(0.0, total_hprd * mds * (1 + 0.08 * z_tot)
                 * CASE WHEN weekend THEN {WEEKEND_FACTOR} ELSE 1 END) AS total0
    FROM fd
),
h AS (
    SELECT *, greatest(0.0, total0 - rn_g) * 0.27 AS lpn_g,
           greatest(0.0, total0 - rn_g) * 0.73 AS aide_g
    FROM g
),
s AS MATERIALIZED (SELECT *, {hours} FROM h)
SELECT 'S' || lpad(f::VARCHAR, 5, '0') AS "PROVNUM",
       'SYNTHETIC FACILITY ' || lpad(f::VARCHAR, 5, '0') AS "PROVNAME",
       'SYNTHVILLE' AS "CITY", state AS "STATE", 'Synthetic' AS "COUNTY_NAME",
       '000' AS "COUNTY_FIPS", '{quarter}' AS "CY_Qtr",
       strftime(day, '%Y%m%d') AS "WorkDate", mds::INTEGER AS "MDScensus",
       {", ".join(out_cols)}
FROM s ORDER BY f, day
"""


def _cms(column: str) -> str:
    from carecover.pbj.codes import job_titles

    for t in job_titles():
        if t.puf_column and column.startswith(t.puf_column.lower()):
            rest = column[len(t.puf_column) :]
            if rest in ("", "_emp", "_ctr"):
                return t.puf_column + rest
    return column


def synthesize_puf(
    out: str | Path,
    *,
    facilities: int,
    quarter: Quarter | str,
    summary: str | Path | None = None,
    seed: int = 0,
) -> SynthResult:
    """Write a synthetic Daily Nurse Staffing CSV of ``facilities`` × every day of ``quarter``.

    ``summary`` is a national facility-quarter summary CSV (columns ``state``,
    ``quarter``, ``avg_daily_census``, ``avg_rn_hprd``, ``avg_total_nurse_hprd``,
    ``rn_0_days_pct``, ``rn_below_8hr_days_pct``); default: the built-in sample.
    """
    import duckdb

    if facilities < 1 or facilities > 99_999:
        raise InputError("facilities must be between 1 and 99999", field="--facilities")
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    source = Path(summary) if summary is not None else BUILT_IN_PROFILES
    if not source.is_file():
        raise InputError("national summary file not found", file=str(source))
    target = Path(out)
    con = duckdb.connect(":memory:")
    try:
        with written(target) as partial:
            query = _sql(source, q, facilities, seed)
            path = str(partial).replace("'", "''")
            con.execute("SET enable_progress_bar = false")
            con.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER, DELIMITER ',')")
    except duckdb.Error as exc:
        raise InputError(f"cannot build synthetic rows: {exc}", file=str(source)) from None
    finally:
        con.close()
    return SynthResult(target, facilities, facilities * q.days, str(q))
