"""Staffing measures per facility-day and facility-quarter, as Ibis expressions.

The pipeline is written in Ibis over a table of daily public-file rows (the
store's ``daily_nurse_staffing`` or the same columns from anywhere), so it
runs unchanged on any Ibis backend (DuckDB here; PySpark was checked,
library-notes.md). No row-by-row Python.

Rules (cms-staffing-methodology.md):
- RN = DON + RN admin + RN (codes 5–7), LPN = LPN admin + LPN (8–9), aide =
  CNA + aide in training + medication aide (10–12); total = RN + LPN + aide
  (§3a "Job codes").
- HPRD = hours summed over the quarter ÷ MDS census summed over the same
  days, never an average of daily ratios (§3a "HPRD").
- Weekend = Saturday and Sunday (§3b, weekend total nurse HPRD).
- A day without an RN counts only when residents were present (census > 0);
  DON and RN-admin hours count as RN (§3c rule 3, S6). A missing hours value
  is not zero: a day whose RN columns are all empty is not a zero-RN day
  (the PBJ320 pitfall, peers-and-public-files.md).
- Missing days are never silent (issue 15 §2): ``days_missing`` counts the
  quarter's calendar days absent from the rows (an absent day is not a day
  of full staffing), ``days_blank`` the days whose RN cells are all empty (0
  hours added, census kept), and ``days_without_nurse_staffing`` the days
  with residents (census > 0) and no nurse hours at all, blank or 0: CMS's
  "missing nurse staffing on days with census" (§2.1, PBJpedia S11). Its
  threshold is a row of ``exclusion_rules.csv``, UNCONFIRMED.
- Measures users ask for (issue 15 §6; ours, not CMS's): ``licensed_hprd``
  = (RN + LPN hours) ÷ resident-days; ``nurse_care_hprd`` = total nurse
  hours without the DON, RN-admin and LPN-admin hours ÷ resident-days.
- Exclusions (§3c "Staffing-level exclusions"), read from
  ``data/pbj/exclusion_rules.csv``: total HPRD = 0 or > 12, aide HPRD > 5.25,
  the same on weekends, and < 1.5 for data quarters up to 2021Q4
  (UNCONFIRMED). A quarter without resident-days is excluded too.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from carecover.engines import Engine, EngineName, place
from carecover.pbj.calendar import Quarter
from carecover.pbj.codes import JobGroup, nurse_columns
from carecover.pbj.columns import FileKind
from carecover.pbj.publicfile.rules import Row, broken, broken_group, quarter_of
from carecover.pbj.sources import FilesSource, Source, StoreSource, TableSource, resolve
from carecover.rating.comparison import hprd
from carecover.rating.exclusions import ExclusionRule, excluded, exclusion_rules

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "QUARTERLY_COLUMNS",
    "QUARTERLY_LABELS",
    "ExclusionRule",
    "daily_measures",
    "daily_source",
    "exclusion_rules",
    "quarterly_expression",
    "quarterly_measures",
    "to_rows",
]

QUARTERLY_COLUMNS = (
    "provnum",
    "quarter",
    "days_reported",
    "days_missing",
    "days_blank",
    "resident_days",
    "avg_census",
    "rn_hours",
    "lpn_hours",
    "aide_hours",
    "total_hours",
    "rn_hprd",
    "lpn_hprd",
    "aide_hprd",
    "total_hprd",
    "licensed_hprd",
    "nurse_care_hprd",
    "weekend_total_hprd",
    "weekend_rn_hprd",
    "contract_share",
    "zero_rn_days",
    "rn_under_8h_days",
    "days_without_nurse_staffing",
    "excluded",
)
#: ``QUARTERLY_COLUMNS`` in words, for pages and reports read by people (the
#: CLI and the files keep the column names, a public contract).
QUARTERLY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "provnum": "CCN",
        "quarter": "Quarter",
        "days_reported": "Days reported",
        "days_missing": "Days missing",
        "days_blank": "Days with blank nurse hours",
        "resident_days": "Resident days",
        "avg_census": "Average daily census",
        "rn_hours": "RN hours",
        "lpn_hours": "LPN hours",
        "aide_hours": "Nurse aide hours",
        "total_hours": "Total nurse hours",
        "rn_hprd": "RN HPRD",
        "lpn_hprd": "LPN HPRD",
        "aide_hprd": "Nurse aide HPRD",
        "total_hprd": "Total nurse HPRD",
        "licensed_hprd": "Licensed nurse HPRD (RN + LPN)",
        "nurse_care_hprd": "Nurse care HPRD (without DON and admin nurses)",
        "weekend_total_hprd": "Weekend total nurse HPRD",
        "weekend_rn_hprd": "Weekend RN HPRD",
        "contract_share": "Contract staff share of hours",
        "zero_rn_days": "Days with residents and no RN hours",
        "rn_under_8h_days": "Days under 8 RN hours",
        "days_without_nurse_staffing": "Days with residents and no nurse hours",
        "excluded": "Excluded from rating",
    }
)
_NURSE_HOURS = tuple(
    f"{c.lower()}{suffix}"
    for g in (JobGroup.RN, JobGroup.LPN, JobGroup.AIDE)
    for c in nurse_columns(g)
    for suffix in ("", "_emp", "_ctr")
)
# DON, RN admin and LPN admin (codes 5, 6, 8): left out of the nurse-care HPRD
# users ask for (issue 15 §6); CMS's total nurse HPRD keeps them.
_ADMIN_HOURS = ("hrs_rndon", "hrs_rnadmin", "hrs_lpnadmin")
RN_MINIMUM_HOURS = 8  # 42 CFR 483.35(b): an RN 8 consecutive hours a day (§5)


def daily_source(source: Source, engine: Engine | None = None) -> Any:
    """The Ibis table of daily nurse rows behind ``source``.

    ``source`` is an Ibis table with the store's columns, a path to a store
    (``.duckdb``/``.db``), or one or more public CSV files (read in place
    when they pass every loader check, else through the careful loader).
    On an ``engine`` other than DuckDB, files are read and checked by that
    engine itself (``publicfile.checked``): the rows never leave it.
    """
    from carecover.pbj.store import connect, ibis_table

    match resolve(source):
        case TableSource(table):
            return table
        case StoreSource(path):
            return ibis_table(connect(path, read_only=True), "daily_nurse_staffing")
        case FilesSource(paths):
            if engine is not None and engine.name is not EngineName.DUCKDB:
                from carecover.pbj.publicfile.checked import daily_table

                table = daily_table(engine, list(paths))
                if table is not None:
                    return table
            con = connect(":memory:")
            return ibis_table(con, _scan_files(con, list(paths)))


def _scan_files(con: DuckDBPyConnection, paths: list[Path]) -> str:
    """Name of a view over the files' nurse rows, checked by every loader rule.

    Fast path: DuckDB reads the files in place (typed, in parallel) and one
    aggregate checks the rules. If anything is wrong — or DuckDB cannot read
    a row — the files go through the careful loader instead, which names the
    file, line and field of the problem (``InputError``).
    """
    import duckdb
    import ibis

    from carecover.pbj.publicfile.loading import load_files
    from carecover.pbj.publicfile.scan import scan_view, scanned_rows, view_problems
    from carecover.pbj.store import quiet_ibis

    with tempfile.TemporaryDirectory(prefix="carecover-") as workdir:
        views = []
        for index, path in enumerate(paths):
            if scan_view(con, path, f"scan_{index}", Path(workdir)).kind is FileKind.NURSE:
                views.append(f"scan_{index}")
        columns = "provnum, cy_qtr, workdate, mdscensus, " + ", ".join(_NURSE_HOURS)
        union = " UNION ALL ".join(f"SELECT {columns} FROM {v}" for v in views)
        try:
            # One parallel scan into memory (only the measure columns); the
            # rule check and the measures then run on the in-memory table.
            if views:
                con.execute(f"CREATE OR REPLACE TEMP TABLE scanned AS {union}")
                if view_problems(con, "scanned", FileKind.NURSE) == 0:
                    rows, _ = scanned_rows(con, "scanned", FileKind.NURSE)
                    with quiet_ibis():
                        sql = str(ibis.to_sql(rows, dialect="duckdb"))
                    con.execute(f"CREATE OR REPLACE TEMP TABLE scanned_rows AS {sql}")
                    con.execute("DROP TABLE scanned")
                    return "scanned_rows"
        except duckdb.Error:
            pass  # the careful loader below reports the row
        finally:
            for view in views:
                con.execute(f"DROP VIEW IF EXISTS {view}")
    con.execute("DROP TABLE IF EXISTS scanned")
    load_files(con, paths)
    return "daily_nurse_staffing"


def _hours(t: Any, group: JobGroup, suffix: str = "") -> tuple[Any, Any]:
    """A group's summed hours (empty columns as 0) and whether any of its columns has a value.

    Kept apart, not as one ``CASE``: only the summed hours columns need the
    NULL of an all-empty group (``_known``); the daily flags and totals use
    the plain sum and test, fewer ``CASE``s per row in the compiled SQL.
    """
    cols = [t[c.lower() + suffix] for c in nurse_columns(group)]
    total = cols[0].fill_null(0)
    for col in cols[1:]:
        total = total + col.fill_null(0)
    known = cols[0].notnull()
    for col in cols[1:]:
        known = known | col.notnull()
    return total, known


def _known(value: Any, known: Any) -> Any:
    """``value`` where ``known``, else NULL (a group whose every column is empty)."""
    import ibis

    return ibis.ifelse(known, value, ibis.null("float64"))


def _filter(t: Any, quarter: Quarter | str | None, facility: str | None) -> Any:
    if quarter is not None:
        label = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        t = t.filter(t.quarter == label)
    if facility is not None:
        t = t.filter(t.provnum == facility)
    return t


def _per_day(t: Any, *, checked: bool = False) -> Any:
    """One row per facility-day with grouped hours (before HPRD rounding).

    ``checked`` adds what the loader-rule checks of ``quarterly_expression``
    need: the day's bit in its quarter (``_early_bit``, ``_late_bit``) and
    ``_broken``, whether the row breaks a loader rule (``publicfile.rules.broken``,
    the ``_emp`` columns included; the CCN and quarter rules are left to
    ``_clean``, once per facility-quarter).
    """
    import ibis

    (rn_sum, rn_known), (lpn_sum, lpn_known), (aide_sum, aide_known) = (
        _hours(t, g) for g in (JobGroup.RN, JobGroup.LPN, JobGroup.AIDE)
    )
    rn, lpn, aide = (
        _known(rn_sum, rn_known),
        _known(lpn_sum, lpn_known),
        _known(aide_sum, aide_known),
    )
    contract = sum(
        (_hours(t, g, "_ctr")[0] for g in (JobGroup.LPN, JobGroup.AIDE)),
        start=_hours(t, JobGroup.RN, "_ctr")[0],
    )
    total = rn_sum + lpn_sum + aide_sum
    census = t.mdscensus
    has_residents = census > 0
    extra = {}
    if checked:
        # A day's bit: days 1-31 of the quarter's first two months at bits
        # 1-62 of one int64 (month % 3 is 1, 2, 0 for its months), of its
        # third month at bits 1-31 of another. Two sums and two ORs without
        # FILTER are cheaper than one pair per month.
        one = ibis.literal(1, "int64")
        slot = (t.workdate.month() % 3).cast("int64")
        day = t.workdate.day().cast("int64")
        early = slot != 0
        slot = slot - 1
        extra = {
            "_early_bit": ibis.ifelse(early, one << (slot * 31 + day), 0),
            "_late_bit": ibis.ifelse(early, 0, one << day),
        }
        # The loader rules (``publicfile.rules``), row by row; their hours rules
        # test every hours column with one LEAST and one GREATEST.
        row = Row(
            provnum=t.provnum,
            quarter=t.quarter,
            day=t.workdate,
            census=census.cast("float64"),
            hours={c: t[c] for c in _NURSE_HOURS},
        )
        # The CCN and quarter rules are tested per facility-quarter (``_clean``).
        extra["_broken"] = broken(row, FileKind.NURSE, grouped=True)
    return t.select(
        provnum=t.provnum,
        quarter=t.quarter,
        workdate=t.workdate,
        # ibis: Monday = 0 ... Saturday = 5, Sunday = 6.
        weekend=t.workdate.day_of_week.index() >= 5,
        census=census,
        rn_hours=rn,
        lpn_hours=lpn,
        aide_hours=aide,
        total_hours=total,
        contract_hours=contract,
        zero_rn=has_residents & rn_known & (rn_sum == 0),
        _rn_blank=~rn_known,
        _admin_hours=sum(
            (t[c].fill_null(0) for c in _ADMIN_HOURS[1:]), start=t[_ADMIN_HOURS[0]].fill_null(0)
        ),
        _no_nurse=has_residents & (total == 0),
        rn_under_8h=has_residents & rn_known & (rn_sum < RN_MINIMUM_HOURS),
        _has_ctr=t.hrs_rn_ctr.notnull(),
        **extra,
    ).mutate(
        rn_hprd=ibis.ifelse(has_residents, rn / census, ibis.null("float64")),
        total_hprd=ibis.ifelse(has_residents, total / census, ibis.null("float64")),
    )


def daily_measures(
    source: Source,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    engine: Engine | None = None,
) -> Any:
    """Per facility-day: hours by group, census, HPRD, weekend and RN-coverage flags.

    ``engine`` runs the rule there (public files are read and checked there too).
    """
    d = _per_day(place(_filter(daily_source(source, engine), quarter, facility), engine))
    return d.drop("_has_ctr", "_rn_blank", "_no_nurse", "_admin_hours").order_by(
        ["provnum", "workdate"]
    )


def quarterly_measures(
    source: Source,
    *,
    quarter: Quarter | str | None = None,
    facility: str | None = None,
    engine: Engine | None = None,
) -> Any:
    """Per facility-quarter measures with ``QUARTERLY_COLUMNS``, as an Ibis table.

    ``engine`` runs the rule there (public files are read and checked there too).
    """
    rows = _filter(daily_source(source, engine), quarter, facility)
    return quarterly_expression(place(rows, engine))


def quarterly_expression(t: Any, *, checked: bool = False) -> Any:
    """The quarterly measures of the daily rows ``t`` (an Ibis table), as an Ibis table.

    ``checked`` adds a ``_clean`` column: true when the facility-quarter's rows
    pass every loader rule that the fast file scan cannot enforce while
    reading (a 6-character CCN, a quarter like 2024Q2, every row dated inside
    it, no duplicated day, a whole census >= 0 and <= ``max_census``, no
    hours that are negative, NaN, infinite or above the day's limit
    (``plausible``), in every hours column, ``_emp`` ones included). The checks
    ride in the same aggregate, so a file is read once.
    """
    import ibis

    d = _per_day(t, checked=checked)
    checks = {}
    if checked:
        checks = {"_broken": d.count(where=d._broken), "_last_day": d.workdate.max()}
        # A duplicated day, without COUNT(DISTINCT) (3x dearer in DuckDB): the
        # sum of the days' bits exceeds their OR exactly when a day's bit is
        # added twice (see _per_day).
        for part in ("early", "late"):
            checks[f"_bits_or_{part}"] = d[f"_{part}_bit"].bit_or()
            checks[f"_bits_sum_{part}"] = d[f"_{part}_bit"].sum()
    g = d.group_by(["provnum", "quarter"]).aggregate(
        days_reported=d.count(),
        resident_days=d.census.sum(),
        rn_hours=d.rn_hours.sum(),
        lpn_hours=d.lpn_hours.sum(),
        aide_hours=d.aide_hours.sum(),
        total_hours=d.total_hours.sum(),
        _admin_hours=d._admin_hours.sum(),
        contract_hours=d.contract_hours.sum(where=d._has_ctr),
        contract_base=d.total_hours.sum(where=d._has_ctr),
        weekend_census=d.census.sum(where=d.weekend),
        weekend_total=d.total_hours.sum(where=d.weekend),
        weekend_rn=d.rn_hours.sum(where=d.weekend),
        weekend_aide=d.aide_hours.sum(where=d.weekend),
        zero_rn_days=d.count(where=d.zero_rn),
        rn_under_8h_days=d.count(where=d.rn_under_8h),
        days_blank=d.count(where=d._rn_blank),
        days_without_nurse_staffing=d.count(where=d._no_nurse),
        _first_day=d.workdate.min(),
        **checks,
    )
    m = g.mutate(
        days_missing=ibis.greatest(_days_in_quarter(g._first_day) - g.days_reported, 0),
        avg_census=g.resident_days / g.days_reported,
        rn_hprd=hprd(g.rn_hours, g.resident_days),
        lpn_hprd=hprd(g.lpn_hours, g.resident_days),
        aide_hprd=hprd(g.aide_hours, g.resident_days),
        total_hprd=hprd(g.total_hours, g.resident_days),
        licensed_hprd=hprd(g.rn_hours.fill_null(0) + g.lpn_hours.fill_null(0), g.resident_days),
        nurse_care_hprd=hprd(g.total_hours - g._admin_hours, g.resident_days),
        weekend_total_hprd=hprd(g.weekend_total, g.weekend_census),
        weekend_rn_hprd=hprd(g.weekend_rn, g.weekend_census),
        weekend_aide_hprd=hprd(g.weekend_aide, g.weekend_census),
        # A share, not an HPRD: the same division, NULL without a base.
        contract_share=hprd(g.contract_hours, g.contract_base),
    )
    # Which quarters stay out of the rating is the rating's rule (``rating.exclusions``).
    m = m.mutate(excluded=excluded(m))
    columns: tuple[Any, ...] = QUARTERLY_COLUMNS
    if checked:
        columns += (_clean(m).name("_clean"),)
    return m.select(*columns).order_by(["provnum", "quarter"])


def _days_in_quarter(day: Any) -> Any:
    """The number of calendar days in the quarter of the date ``day`` (90 to 92)."""
    import ibis

    month, year = day.month(), day.year()
    leap = ((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))).cast("int64")
    return ibis.cases((month <= 3, 90 + leap), (month <= 6, 91), else_=92)


def _clean(m: Any) -> Any:
    """True when a checked facility-quarter breaks no loader rule (see quarterly_expression).

    Its rows break none (``publicfile.rules``; the CCN and quarter rules tested
    once, on its first and last day: ``broken_group``), no day is given twice, and CY_Qtr
    is written as the store keeps it (``2024Q2``): the rows are grouped on it
    as written, so another spelling is left to the loader, which normalises it.
    """
    import ibis

    def keys(day: Any) -> Row:
        return Row(m.provnum, m.quarter, day, ibis.null("float64"), {})

    clean = (m._broken == 0) & ~broken_group(keys(m._first_day), keys(m._last_day), FileKind.NURSE)
    clean = clean & (quarter_of(m.quarter) == m.quarter)
    for part in ("early", "late"):
        clean = clean & (m[f"_bits_or_{part}"] == m[f"_bits_sum_{part}"])
    return clean.fill_null(False)


def to_rows(table: Any) -> list[dict[str, Any]]:
    """Execute an Ibis table and return its rows as dictionaries."""
    import ibis

    from carecover.pbj.store import quiet_ibis

    with quiet_ibis():
        backend = ibis.get_backend(table)
        if backend.name != "duckdb":
            rows: list[dict[str, Any]] = table.to_pyarrow().to_pylist()
            return rows
        # On DuckDB, run the compiled SQL on the same connection (temp tables
        # are per connection): it skips Arrow and saves a third of a second.
        sql = str(ibis.to_sql(table, dialect="duckdb"))
    result = backend.con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
