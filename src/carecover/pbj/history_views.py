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

The quarter defaults to the latest quarter the state (or chain) has.
"""

from __future__ import annotations

from typing import Any

from carecover.errors import NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.pbj.history import HISTORY_MEASURES

__all__ = ["TOP", "VIEW_COLUMNS", "chain_view", "chains", "state_view"]

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


def _rows(con: Any, sql: str, params: list[Any], section: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict.fromkeys(VIEW_COLUMNS)
        row.update(zip(names, values, strict=True))
        row["section"] = section
        out.append(row)
    return out


def _long(table: str, where: str) -> str:
    names = "[" + ", ".join(f"'{m}'" for m in HISTORY_MEASURES) + "]"
    return (
        f"SELECT * FROM (SELECT provnum, provname, state, quarter, unnest({names}) AS measure, "
        f"unnest([{', '.join(HISTORY_MEASURES)}]) AS value FROM {table} "
        f"WHERE NOT excluded AND {where}) WHERE value IS NOT NULL"
    )


_PERCENTILES = "count(*) AS facilities, " + ", ".join(
    f"round(quantile_cont(value, {p / 100}), 5) AS {'median' if p == 50 else f'p{p}'}"
    for p in (10, 25, 50, 75, 90)
)


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {m: i for i, m in enumerate(HISTORY_MEASURES)}
    return sorted(rows, key=lambda r: (r["quarter"], order.get(r["measure"], 99)))


def _quarter(con: Any, table: str, where: str, params: list[Any], what: str) -> str:
    ((latest,),) = con.execute(f"SELECT max(quarter) FROM {table} WHERE {where}", params).fetchall()
    if latest is None:
        raise NotFoundError(f"no facility of {what} in the history store")
    return str(latest)


def _group_sections(
    con: Any, table: str, where: str, params: list[Any], quarter: str
) -> list[dict[str, Any]]:
    """Distribution, weekend gap, zero-RN days and trend of the facilities ``where`` picks."""
    rows = _order(
        _rows(
            con,
            f"SELECT quarter, measure, {_PERCENTILES} FROM ({_long(table, where)}) "
            "WHERE quarter = ? GROUP BY quarter, measure",
            [*params, quarter],
            "distribution",
        )
    )
    facility = "provnum, provname, state, quarter"
    rows += _rows(
        con,
        f"SELECT {facility}, 'weekend_gap_hprd' AS measure, round(weekend_gap_hprd, 5) AS value "
        f"FROM {table} WHERE {where} AND quarter = ? AND NOT excluded "
        f"AND weekend_gap_hprd IS NOT NULL ORDER BY weekend_gap_hprd DESC, provnum LIMIT {TOP}",
        [*params, quarter],
        "weekend_gap",
    )
    rows += _rows(
        con,
        f"SELECT {facility}, 'zero_rn_days' AS measure, zero_rn_days AS value FROM {table} "
        f"WHERE {where} AND quarter = ? AND zero_rn_days > 0 "
        f"ORDER BY zero_rn_days DESC, provnum LIMIT {TOP}",
        [*params, quarter],
        "zero_rn",
    )
    rows += _order(
        _rows(
            con,
            f"SELECT quarter, measure, {_PERCENTILES} FROM ({_long(table, where)}) "
            "GROUP BY quarter, measure",
            params,
            "trend",
        )
    )
    return rows


def _below_minimum(
    con: Any, table: str, state: str, quarter: str, minimum_rows_of: Any
) -> list[dict[str, Any]]:
    names = dict(
        con.execute(
            f"SELECT provnum, provname FROM {table} WHERE state = ? AND quarter = ?",
            [state, quarter],
        ).fetchall()
    )
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
    where = "state = ?"
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, table, where, [code], f"state {code}")
    )
    rows = _group_sections(con, table, where, [code], label)
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
    where = "lower(chain) = lower(?)"
    name = chain.strip()
    label = (
        str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
        if quarter is not None
        else _quarter(con, table, where, [name], f"chain {name!r}")
    )
    names = "[" + ", ".join(f"'{m}'" for m in HISTORY_MEASURES) + "]"
    facilities = _rows(
        con,
        f"SELECT provnum, provname, state, quarter, unnest({names}) AS measure, "
        f"round(unnest([{', '.join(HISTORY_MEASURES)}]), 5) AS value FROM {table} "
        f"WHERE {where} AND quarter = ? ORDER BY provnum",
        [name, label],
        "facility",
    )
    return facilities + _group_sections(con, table, where, [name], label)


def chains(con: Any, table: str, *, search: str = "", limit: int = 50) -> list[tuple[str, int]]:
    """Chain names containing ``search`` (no case) with their number of facilities."""
    rows = con.execute(
        f"SELECT chain, count(DISTINCT provnum) FROM {table} "
        "WHERE chain IS NOT NULL AND contains(lower(chain), lower(?)) "
        "GROUP BY chain ORDER BY chain LIMIT ?",
        [search.strip(), limit],
    ).fetchall()
    return [(str(c), int(n)) for c, n in rows]
