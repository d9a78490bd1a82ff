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

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carecover.engines.duckdb import parameters, rows_of_sql, sql_of, table_of
from carecover.errors import NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history.table import HISTORY_MEASURES

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["TOP", "VIEW_COLUMNS", "chain_view", "chains", "distribution", "prepare", "state_view"]

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


def _rows(
    con: DuckDBPyConnection, sql: str, values: dict[str, Any], section: str
) -> list[dict[str, Any]]:
    out = []
    for found in rows_of_sql(con, sql, parameters=values):
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


def _top(this: Any, measure: str, kept: Any, value: Any) -> Any:
    """The ``TOP`` facilities of ``this`` with the highest ``measure``, ties by CCN."""
    import ibis

    return (
        this.filter(kept)
        .order_by([ibis.desc(measure), "provnum"])
        .limit(TOP)
        .select(*_FACILITY, measure=ibis.literal(measure), value=value)
    )


@lru_cache(maxsize=32)
def _compiled(table: str, schema: Any, view: str) -> dict[str, str]:
    """Each section of a view as SQL, compiled once per table: ``key`` and ``quarter`` are
    run-time parameters (the state code or the chain name; the quarter)."""
    import ibis

    history = ibis.table(schema, name=table)
    given = parameters(key="string", quarter="string")
    key, quarter = given.key.as_scalar(), given.quarter.as_scalar()
    if view == "state":
        picked = history.filter(history.state == key)
    else:
        picked = history.filter(history.chain.lower() == key.lower())
    long = _long(picked)
    this = picked.filter(picked.quarter == quarter)
    typed = this.select(*_FACILITY, **{m: this[m].cast("float64") for m in HISTORY_MEASURES})
    chain_long = typed.pivot_longer(list(HISTORY_MEASURES), names_to="measure", values_to="value")
    sections = {
        "latest": picked.aggregate(latest=picked.quarter.max()),
        "distribution": distribution(long.filter(long.quarter == quarter)),
        "weekend_gap": _top(
            this,
            "weekend_gap_hprd",
            ~this.excluded & this.weekend_gap_hprd.notnull(),
            this.weekend_gap_hprd.round(5),
        ),
        "zero_rn": _top(this, "zero_rn_days", this.zero_rn_days > 0, this.zero_rn_days),
        "trend": distribution(long),
        "facility": chain_long.mutate(value=chain_long.value.round(5)),
        "names": this.select("provnum", "provname"),
    }
    return {name: sql_of(expr) for name, expr in sections.items()}


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    return sorted(rows, key=lambda r: (r["quarter"], order.get(r["measure"], 99)))


def _highest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["value"], r["provnum"]))


def _quarter(con: DuckDBPyConnection, sql: dict[str, str], key: str, what: str) -> str:
    [latest] = rows_of_sql(con, sql["latest"], parameters={"key": key, "quarter": None})
    if latest["latest"] is None:
        raise NotFoundError(f"no facility of {what} in the history store")
    return str(latest["latest"])


def _group_sections(
    con: DuckDBPyConnection, sql: dict[str, str], key: str, quarter: str
) -> list[dict[str, Any]]:
    """Distribution, weekend gap, zero-RN days and trend of the facilities ``key`` picks."""
    values = {"key": key, "quarter": quarter}
    rows = _order(_rows(con, sql["distribution"], values, "distribution"))
    rows += _highest(_rows(con, sql["weekend_gap"], values, "weekend_gap"))
    rows += _highest(_rows(con, sql["zero_rn"], values, "zero_rn"))
    rows += _order(_rows(con, sql["trend"], values, "trend"))
    return rows


def _below_minimum(
    con: DuckDBPyConnection, table: str, state: str, quarter: str, minimum_rows_of: Any
) -> list[dict[str, Any]]:
    sql = _compiled(table, table_of(con, table).schema(), "state")
    found = rows_of_sql(con, sql["names"], parameters={"key": state, "quarter": quarter})
    names = {r["provnum"]: r["provname"] for r in found}
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


def prepare(con: DuckDBPyConnection, table: str) -> None:
    """Compile the state and chain views of ``table`` ahead of their first use (a server's boot)."""
    schema = table_of(con, table).schema()
    _compiled(table, schema, "state")
    _compiled(table, schema, "chain")


def state_view(
    con: DuckDBPyConnection,
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
    sql = _compiled(table, table_of(con, table).schema(), "state")
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, sql, code, f"state {code}")
    )
    rows = _group_sections(con, sql, code, label)
    if minimum_rows_of is not None:
        rows += _below_minimum(con, table, code, label, minimum_rows_of)
    return rows


def chain_view(
    con: DuckDBPyConnection, table: str, *, chain: str, quarter: Quarter | str | None = None
) -> list[dict[str, Any]]:
    """The chain view's rows (``VIEW_COLUMNS``): the chain's facilities, distribution, trend.

    ``chain`` is matched without case against the chain name of each
    facility's latest provider-information release.
    """
    name = chain.strip()
    sql = _compiled(table, table_of(con, table).schema(), "chain")
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, sql, name, f"chain {name!r}")
    )
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    facilities = sorted(
        _rows(con, sql["facility"], {"key": name, "quarter": label}, "facility"),
        key=lambda r: (r["provnum"], order[r["measure"]]),
    )
    return facilities + _group_sections(con, sql, name, label)


def chains(
    con: DuckDBPyConnection, table: str, *, search: str = "", limit: int = 50
) -> list[tuple[str, int]]:
    """Chain names containing ``search`` (no case) with their number of facilities."""
    found = rows_of_sql(
        con,
        _chain_search(table, table_of(con, table).schema(), limit),
        parameters={"search": search.strip()},
    )
    return sorted((str(r["chain"]), int(r["facilities"])) for r in found)


@lru_cache(maxsize=32)
def _chain_search(table: str, schema: Any, limit: int) -> str:
    import ibis

    history = ibis.table(schema, name=table)
    search = parameters(search="string").search.as_scalar()
    named = history.filter(history.chain.notnull() & history.chain.lower().contains(search.lower()))
    return sql_of(
        named.group_by("chain")
        .aggregate(facilities=named.provnum.nunique())
        .order_by("chain")
        .limit(limit)
    )
