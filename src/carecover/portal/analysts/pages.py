"""What the analyst pages show, computed from the history store (no Django here but types).

Each function takes a cursor and the facility-quarter table name (from
``store.history_cursor``) and returns plain dictionaries and charts; the
views render them and the downloads turn them into tables.
"""

from __future__ import annotations

from typing import Any

from carecover.errors import NotFoundError
from carecover.pbj.calendar import Quarter
from carecover.portal.analysts.charts import BarChart, bar_chart

__all__ = ["SEARCH_LIMIT", "chain_figures", "facility_figures", "search", "state_figures"]

SEARCH_LIMIT = 50
LABELS = {
    "total_hprd": "Total nurse HPRD",
    "rn_hprd": "RN HPRD",
    "lpn_hprd": "LPN HPRD",
    "aide_hprd": "Aide HPRD",
    "weekend_total_hprd": "Weekend total HPRD",
    "weekend_gap_hprd": "Weekend gap (HPRD)",
    "contract_share": "Contract share",
    "zero_rn_days": "Days without RN hours",
    "rn_under_8h_days": "Days under 8 RN hours",
    "total_turnover": "Total nursing turnover (%)",
    "rn_turnover": "RN turnover (%)",
}


def search(cursor: Any, table: str, text: str) -> list[dict[str, Any]]:
    """Facilities whose CCN starts with, or whose latest name contains, ``text``."""
    if not text:
        return []
    rows = cursor.execute(
        f"SELECT provnum, arg_max(provname, quarter), arg_max(state, quarter), "
        f"arg_max(chain, quarter), max(quarter) FROM {table} "
        "WHERE starts_with(provnum, upper(?)) OR contains(lower(provname), lower(?)) "
        "GROUP BY provnum ORDER BY 2, 1 LIMIT ?",
        [text, text, SEARCH_LIMIT],
    ).fetchall()
    keys = ("provnum", "provname", "state", "chain", "latest")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _trend_chart(chart_id: str, title: str, points: list[tuple[str, Any]]) -> BarChart:
    return bar_chart(chart_id, title, [(q, v) for q, v in points])


def facility_figures(
    cursor: Any, table: str, ccn: str, *, quarter: Quarter | None, peers: str
) -> dict[str, Any]:
    """A facility's page: its measures with peer percentiles, state minimum rows, trend."""
    from carecover.pbj.history.benchmark import history_benchmark_rows
    from carecover.pbj.history.table import minimums_of

    facts = cursor.execute(
        f"SELECT provname, state, county, chain, certified_beds, max(quarter) OVER () "
        f"FROM {table} WHERE provnum = ? ORDER BY quarter DESC LIMIT 1",
        [ccn],
    ).fetchall()
    if not facts:
        raise NotFoundError(f"facility {ccn} is not in the history store")
    name, state, county, chain, beds, latest = facts[0]
    label = str(quarter) if quarter is not None else str(latest)
    rows = [
        r | {"label": LABELS[r["measure"]]}
        for r in history_benchmark_rows(cursor, table, facility=ccn, quarter=label, peers=peers)
    ]
    minimums = minimums_of(cursor, table, facility=ccn, quarter=label)
    history = cursor.execute(
        f"SELECT quarter, total_hprd, rn_hprd FROM {table} WHERE provnum = ? ORDER BY quarter",
        [ccn],
    ).fetchall()
    trend = [(q, total) for q, total, _ in history]
    rn = [(q, value) for q, _, value in history]
    return {
        "ccn": ccn,
        "name": name,
        "state": state,
        "county": county,
        "chain": chain,
        "beds": beds,
        "quarter": label,
        "quarters": [q for q, _, _ in reversed(history)],
        "peers": peers,
        "rows": rows,
        "minimums": minimums,
        "charts": [
            _trend_chart("trend-total", "Total nurse HPRD by quarter", trend),
            _trend_chart("trend-rn", "RN HPRD by quarter", rn),
        ],
    }


def _sections(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r["section"]), []).append(
            r | {"label": LABELS.get(str(r["measure"]), r["measure"])}
        )
    return out


def _charts(sections: dict[str, list[dict[str, Any]]], what: str) -> list[BarChart]:
    total = [r for r in sections.get("trend", []) if r["measure"] == "total_hprd"]
    dist = next((r for r in sections.get("distribution", []) if r["measure"] == "total_hprd"), None)
    charts = [
        bar_chart(
            "trend-median",
            f"Median total nurse HPRD of {what}, by quarter",
            [(str(r["quarter"]), r["median"]) for r in total],
        )
    ]
    if dist is not None:
        charts.append(
            bar_chart(
                "distribution-total",
                f"Total nurse HPRD of {what} in {dist['quarter']}: percentiles",
                [(k, dist[k]) for k in ("p10", "p25", "median", "p75", "p90")],
            )
        )
    return charts


def state_figures(
    cursor: Any, table: str, state: str, *, quarter: Quarter | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The state view's rows (for downloads) and the page's sections and charts."""
    from carecover.pbj.history.table import minimums_of
    from carecover.pbj.history.views import state_view

    rows = state_view(
        cursor,
        table,
        state=state,
        quarter=quarter,
        minimum_rows_of=lambda **kw: minimums_of(cursor, table, **kw),
    )
    sections = _sections(rows)
    quarter_shown = next(iter(sections.get("distribution", [])), {}).get("quarter", quarter)
    return rows, {
        "sections": sections,
        "quarter": quarter_shown,
        "charts": _charts(sections, state),
    }


def chain_figures(
    cursor: Any, table: str, chain: str, *, quarter: Quarter | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The chain view's rows (for downloads) and the page's sections and charts."""
    from carecover.pbj.history.views import chain_view

    rows = chain_view(cursor, table, chain=chain, quarter=quarter)
    sections = _sections(rows)
    facilities: dict[str, dict[str, Any]] = {}
    for r in sections.get("facility", []):
        entry = facilities.setdefault(
            str(r["provnum"]),
            {"provnum": r["provnum"], "provname": r["provname"], "state": r["state"]},
        )
        entry[str(r["measure"])] = r["value"]
    quarter_shown = next(iter(sections.get("distribution", [])), {}).get("quarter", quarter)
    return rows, {
        "sections": sections,
        "facilities": list(facilities.values()),
        "quarter": quarter_shown,
        "charts": _charts(sections, chain),
    }
