"""The state view and the chain view of the history store.

Both read ``history_measures`` (one row per facility-quarter, see
``history``) and return long rows with ``VIEW_COLUMNS``, one ``section`` at a
time, so a table, a CSV file and a JSON list all carry the same figures:

- ``distribution``: for each measure, the facilities with a value (excluded
  facility-quarters left out, as for the peers) and the 10th, 25th, 50th,
  75th and 90th percentiles (interpolated) in the quarter;
- ``below_minimum`` (state view): each facility-quarter with a rule of the
  state's minimum not met (``minimums.minimum_rows``), with the days below
  and the shortfall in hours;
- ``weekend_gap``: the facilities whose weekend staffing falls furthest below
  their all-days staffing (total HPRD − weekend total HPRD), widest first;
- ``zero_rn``: the facilities with days without any RN hours, most first;
- ``facility`` (chain view): every facility of the chain with its measures;
- ``trend``: the median of each measure in every quarter of the store.

The quarter defaults to the latest quarter the state (or chain) has. Every
section is an Ibis expression over the table, run on the store's connection.
"""

from __future__ import annotations

from typing import Any

from carecover.engines.duckdb import rows_of, table_of
from carecover.errors import NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history import HISTORY_MEASURES

__all__ = ["TOP", "VIEW_COLUMNS", "chain_view", "chains", "distribution", "state_view"]

VIEW_COLUMNS = (
    "section",
    "quarter",
    "provnum",
    "provname",
    "state",
    "measure",
    "value",
    "facilities",
    "p10",
    "p25",
    "median",
    "p75",
    "p90",
    "rule",
    "required",
    "days_below",
    "shortfall_hours",
)
TOP = 20  # facilities listed in the weekend-gap and zero-RN sections


def _rows(con: Any, expr: Any, section: str) -> list[dict[str, Any]]:
    out = []
    for found in rows_of(con, expr):
        row = dict.fromkeys(VIEW_COLUMNS)
        row.update(found)
        row["section"] = section
        out.append(row)
    return out


_FACILITY = ("provnum", "provname", "state", "quarter")


def _long(picked: Any) -> Any:
    """One row per facility-quarter and measure with a value, excluded quarters left out."""
    kept = picked.filter(~picked.excluded)
    typed = kept.select(*_FACILITY, **{m: kept[m].cast("float64") for m in HISTORY_MEASURES})
    long = typed.pivot_longer(list(HISTORY_MEASURES), names_to="measure", values_to="value")
    return long.filter(long.value.notnull())


def distribution(long: Any) -> Any:
    """Facilities and interpolated percentiles of each quarter and measure of ``long`` (Ibis)."""
    value = long.value
    return long.group_by(["quarter", "measure"]).aggregate(
        facilities=long.count(),
        p10=value.quantile(0.10).round(5),
        p25=value.quantile(0.25).round(5),
        median=value.quantile(0.50).round(5),
        p75=value.quantile(0.75).round(5),
        p90=value.quantile(0.90).round(5),
    )


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    return sorted(rows, key=lambda r: (r["quarter"], order.get(r["measure"], 99)))


def _quarter(con: Any, picked: Any, what: str) -> str:
    [latest] = rows_of(con, picked.aggregate(latest=picked.quarter.max()))
    if latest["latest"] is None:
        raise NotFoundError(f"no facility of {what} in the history store")
    return str(latest["latest"])


def _group_sections(con: Any, picked: Any, quarter: str) -> list[dict[str, Any]]:
    """Distribution, weekend gap, zero-RN days and trend of the facilities in ``picked``."""
    import ibis

    long = _long(picked)
    rows = _order(_rows(con, distribution(long.filter(long.quarter == quarter)), "distribution"))
    this = picked.filter(picked.quarter == quarter)
    gaps = this.filter(~this.excluded & this.weekend_gap_hprd.notnull())
    rows += _rows(
        con,
        gaps.order_by([ibis.desc("weekend_gap_hprd"), "provnum"])
        .limit(TOP)
        .select(
            *_FACILITY,
            measure=ibis.literal("weekend_gap_hprd"),
            value=gaps.weekend_gap_hprd.round(5),
        ),
        "weekend_gap",
    )
    zero = this.filter(this.zero_rn_days > 0)
    rows += _rows(
        con,
        zero.order_by([ibis.desc("zero_rn_days"), "provnum"])
        .limit(TOP)
        .select(*_FACILITY, measure=ibis.literal("zero_rn_days"), value=zero.zero_rn_days),
        "zero_rn",
    )
    rows += _order(_rows(con, distribution(long), "trend"))
    return rows


def _below_minimum(
    con: Any, table: str, state: str, quarter: str, minimum_rows_of: Any
) -> list[dict[str, Any]]:
    history = table_of(con, table)
    here = history.filter((history.state == state) & (history.quarter == quarter))
    names = {r["provnum"]: r["provname"] for r in rows_of(con, here.select("provnum", "provname"))}
    out = []
    for r in minimum_rows_of(state=state, quarter=quarter):
        if r["compliant"] is not False:
            continue
        row = dict.fromkeys(VIEW_COLUMNS)
        row.update(
            section="below_minimum",
            quarter=quarter,
            provnum=r["provnum"],
            provname=names.get(r["provnum"]),
            state=r["state"],
            measure=r["measure"],
            value=r["actual"],
            rule=r["rule"],
            required=r["required"],
            days_below=r["days_below"],
            shortfall_hours=r["shortfall_hours"],
        )
        out.append(row)
    return sorted(out, key=lambda r: (-(r["shortfall_hours"] or 0), r["provnum"], r["rule"]))


def state_view(
    con: Any,
    table: str,
    *,
    state: str,
    quarter: Quarter | str | None = None,
    minimum_rows_of: Any = None,
) -> list[dict[str, Any]]:
    """The state view's rows (``VIEW_COLUMNS``) of ``state`` in ``quarter`` (default latest).

    ``minimum_rows_of(state=, quarter=)`` gives the state minimum rows
    (``minimums.minimum_rows`` over the same store); without it the
    ``below_minimum`` section is left out.
    """
    code = state.strip().upper()
    history = table_of(con, table)
    picked = history.filter(history.state == code)
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, picked, f"state {code}")
    )
    rows = _group_sections(con, picked, label)
    if minimum_rows_of is not None:
        rows += _below_minimum(con, table, code, label, minimum_rows_of)
    return rows


def chain_view(
    con: Any, table: str, *, chain: str, quarter: Quarter | str | None = None
) -> list[dict[str, Any]]:
    """The chain view's rows (``VIEW_COLUMNS``): the chain's facilities, distribution, trend.

    ``chain`` is matched without case against the chain name of each
    facility's latest provider-information release.
    """
    import ibis

    name = chain.strip()
    history = table_of(con, table)
    picked = history.filter(history.chain.lower() == ibis.literal(name).lower())
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, picked, f"chain {name!r}")
    )
    this = picked.filter(picked.quarter == label)
    typed = this.select(*_FACILITY, **{m: this[m].cast("float64") for m in HISTORY_MEASURES})
    long = typed.pivot_longer(list(HISTORY_MEASURES), names_to="measure", values_to="value")
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    facilities = sorted(
        _rows(con, long.mutate(value=long.value.round(5)), "facility"),
        key=lambda r: (r["provnum"], order[r["measure"]]),
    )
    return facilities + _group_sections(con, picked, label)


def chains(con: Any, table: str, *, search: str = "", limit: int = 50) -> list[tuple[str, int]]:
    """Chain names containing ``search`` (no case) with their number of facilities."""
    import ibis

    history = table_of(con, table)
    named = history.filter(
        history.chain.notnull()
        & history.chain.lower().contains(ibis.literal(search.strip()).lower())
    )
    found = (
        named.group_by("chain")
        .aggregate(facilities=named.provnum.nunique())
        .order_by("chain")
        .limit(limit)
    )
    return [(str(r["chain"]), int(r["facilities"])) for r in rows_of(con, found)]
