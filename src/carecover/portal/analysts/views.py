"""The analyst workspace's pages: search, facility, state, chain, and their downloads.

Every view requires the ``analyst`` role (``access.analyst_user``): other
roles get 403, anonymous users the login page. Only public CMS files are
read (the history store, ``CARECOVER_HISTORY_STORE``); no organisation's
own data is reachable from here. CCNs, states and chain names are public,
not PHI, so they may sit in URLs. Downloads are audited like the other apps'.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carecover.backup.rollup import Table
from carecover.errors import NotFoundError, RuleError
from carecover.pbj.history.views import VIEW_COLUMNS
from carecover.pbj.measures.benchmark import BENCHMARK_COLUMNS, PEER_GROUPS
from carecover.portal import queryparams
from carecover.portal.analysts.access import analyst_user, portal_user
from carecover.portal.analysts.pages import (
    chain_figures,
    facility_figures,
    search,
    state_figures,
)
from carecover.portal.analysts.store import history_cursor
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.nursinghome.downloads import FORMATS, as_csv, as_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATE = re.compile(r"^[A-Z]{2}$")


def _peers(request: HttpRequest) -> str:
    peers = queryparams.text(request.GET, "peers", max_length=10) or "state"
    if peers not in PEER_GROUPS:
        raise queryparams.BadQuery("peers", f"expected one of {', '.join(PEER_GROUPS)}")
    return peers


def _state(code: str) -> str:
    if not _STATE.match(code.upper()):
        raise Http404
    return code.upper()


def _chain(request: HttpRequest) -> str:
    name = queryparams.text(request.GET, "name", max_length=200)
    if not name:
        raise queryparams.BadQuery("name", "the chain name is required")
    return name


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return render(request, "analysts/not_found.html", {"reason": str(exc)}, status=404)


@analyst_user
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """Search any facility by CCN or name; open a state or a chain."""
    text = queryparams.text(request.GET, "q", max_length=100)
    chain_text = queryparams.text(request.GET, "chain", max_length=100)
    try:
        with history_cursor() as (cursor, table):
            from carecover.pbj.history.views import chains

            found = search(cursor, table, text)
            states = [
                s
                for (s,) in cursor.execute(
                    f"SELECT DISTINCT state FROM {table} WHERE state IS NOT NULL ORDER BY 1"
                ).fetchall()
            ]
            chain_rows = chains(cursor, table, search=chain_text) if chain_text else []
    except NotFoundError as exc:
        return _not_found(request, exc)
    context = {
        "q": text,
        "found": found,
        "states": states,
        "chain": chain_text,
        "chains": chain_rows,
    }
    return render(request, "analysts/workspace.html", context)


@analyst_user
@require_GET
def facility(request: HttpRequest, ccn: str) -> HttpResponse:
    """A facility from public files alone: measures, peer percentiles, state minimum rows."""
    quarter = queryparams.quarter(request.GET, "quarter")
    peers = _peers(request)
    try:
        with history_cursor() as (cursor, table):
            figures = facility_figures(cursor, table, ccn.upper(), quarter=quarter, peers=peers)
    except NotFoundError as exc:
        return _not_found(request, exc)
    except RuleError as exc:
        raise queryparams.BadQuery("peers", str(exc)) from None
    figures["peer_groups"] = PEER_GROUPS
    return render(request, "analysts/facility.html", figures)


@analyst_user
@require_GET
def state(request: HttpRequest, code: str) -> HttpResponse:
    """A state: distributions, facilities below its minimum, weekend gaps, zero-RN days, trend."""
    quarter = queryparams.quarter(request.GET, "quarter")
    code = _state(code)
    try:
        with history_cursor() as (cursor, table):
            _, page = state_figures(cursor, table, code, quarter=quarter)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return render(request, "analysts/state.html", page | {"code": code})


@analyst_user
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    """A chain (as the provider file names it): its facilities, distribution and trend."""
    quarter = queryparams.quarter(request.GET, "quarter")
    name = _chain(request)
    try:
        with history_cursor() as (cursor, table):
            _, page = chain_figures(cursor, table, name, quarter=quarter)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return render(request, "analysts/chain.html", page | {"name": name})


def _download(
    request: HttpRequest,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    name: str,
    fmt: str,
    what: str,
) -> HttpResponse:
    table = Table(name, name, columns, tuple(tuple(r[c] for c in columns) for r in rows))
    record(
        portal_user(request),
        Action.EXPORT,
        object_type="public_file",
        object_id=what[:40],
        after={"format": fmt, "rows": len(rows)},
    )
    if fmt == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_xlsx(table), content_type=XLSX)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:80]
    response["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    return response


@analyst_user
@require_GET
def facility_download(request: HttpRequest, ccn: str, fmt: str) -> HttpResponse:
    """The facility's benchmark rows (every quarter) as CSV or XLSX."""
    from carecover.pbj.history.benchmark import history_benchmark_rows

    if fmt not in FORMATS:
        raise Http404
    peers = _peers(request)
    try:
        with history_cursor() as (cursor, table):
            rows = history_benchmark_rows(cursor, table, facility=ccn.upper(), peers=peers)
    except NotFoundError as exc:
        return _not_found(request, exc)
    except RuleError as exc:
        raise queryparams.BadQuery("peers", str(exc)) from None
    return _download(
        request,
        rows,
        BENCHMARK_COLUMNS,
        f"{ccn.upper()}-benchmark-{peers}",
        fmt,
        f"facility:{ccn.upper()}",
    )


@analyst_user
@require_GET
def state_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The state view's rows as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    quarter = queryparams.quarter(request.GET, "quarter")
    code = _state(code)
    try:
        with history_cursor() as (cursor, table):
            rows, page = state_figures(cursor, table, code, quarter=quarter)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return _download(
        request, rows, VIEW_COLUMNS, f"{code}-{page['quarter']}-state", fmt, f"state:{code}"
    )


@analyst_user
@require_GET
def chain_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The chain view's rows as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    quarter = queryparams.quarter(request.GET, "quarter")
    name = _chain(request)
    try:
        with history_cursor() as (cursor, table):
            rows, page = chain_figures(cursor, table, name, quarter=quarter)
    except NotFoundError as exc:
        return _not_found(request, exc)
    return _download(
        request, rows, VIEW_COLUMNS, f"{name}-{page['quarter']}-chain", fmt, f"chain:{name}"
    )
