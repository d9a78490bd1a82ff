"""The national history store: every quarter of the public files, loaded once.

``load_history`` takes any mix of Daily Nurse Staffing, Daily Non-Nurse
Staffing and NH_ProviderInfo files, in any order:

- the daily files go through the public-file loader (``loading.load_file``):
  header drift (case, old spellings, both DON spellings of 2017Q2), the
  2021Q4 ``incomplete`` column, UTF-8 or cp1252, one transaction per file;
- a facility-quarter seen again (a late resubmission in a later download)
  replaces the earlier rows of that facility-quarter whole;
- provider-information releases go to ``provider_info``
  (``history_providers``): chain, certified beds, turnover;
- every file is keyed by the SHA-256 of its bytes in ``loaded_files``, so a
  killed load run again skips what was committed and resumes with the
  first file that was not.

After the files, ``refresh_history`` rebuilds ``history_measures``: one row
per facility-quarter with its stored quarterly measures
(``quarterly_nurse_measures``), the weekend gap, its state, county, chain,
bed band and turnover — what ``pbj benchmark``, ``pbj state`` and
``pbj chain`` read instead of the daily rows. The table records the
``loaded_files`` it was built from (``pbj_derived``); a reader that finds it
stale on a read-only connection builds a temporary copy instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.pbj.measures.peer_groups import MEASURES

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "BED_BANDS",
    "HISTORY_MEASURES",
    "HISTORY_TABLE",
    "HistoryFile",
    "beds_band",
    "history_expression",
    "history_table",
    "load_history",
    "minimums_of",
    "refresh_history",
]

HISTORY_TABLE = "history_measures"
MINIMUMS_TABLE = "history_minimums"
# The benchmark's measures, and the turnover the provider files add.
HISTORY_MEASURES = (*MEASURES, "total_turnover", "rn_turnover")
BED_BANDS = ((0, 50), (50, 100), (100, 150), (150, 200), (200, 100_000))
_VERSION = "history-2"  # bump when the table's definition changes
_CODE = "history_measures_code"  # pbj_derived row: the measures' code the table was built by


@dataclass(frozen=True)
class HistoryFile:
    """What loading one file of the history did."""

    file: str
    kind: str  # nurse, non-nurse or provider_info
    rows_loaded: int
    periods: tuple[str, ...]  # quarters, or the release date of a provider file
    skipped: bool


FileCallback = Callable[[HistoryFile], None]
ProgressCallback = Callable[[int, int, str], None]
"""Called with (bytes done, bytes total, file name about to load or just loaded)."""


def beds_band(beds: Any) -> Any:
    """The band of certified beds (``BED_BANDS``) of an Ibis column, as text like ``50-99``."""
    import ibis

    branches = [(beds.isnull(), ibis.null("string"))]
    branches += [(beds < high, f"{low}-{high - 1}") for low, high in BED_BANDS[:-1]]
    return ibis.cases(*branches, else_=f"{BED_BANDS[-1][0]}+")


def _stamp(con: DuckDBPyConnection) -> str:
    """What readers compare: the table's definition and the files it was built from.

    Not the measures' code (``measures.compiled._cache_key`` hashes every module of
    the package): a read-only reader must not fall back to the daily rows
    after any code edit. The writer (``refresh_history``) also rebuilds when
    that code changed (``_CODE``).
    """
    ((files,),) = con.execute(
        "SELECT coalesce(md5(string_agg(sha256, ',' ORDER BY sha256)), '') FROM loaded_files"
    ).fetchall()
    return f"{_VERSION}:{files}"


def history_expression(measures: Any, daily: Any, providers: Any) -> Any:
    """One row per facility-quarter of the quarterly ``measures`` (Ibis).

    Beside the measures: the weekend gap; the facility's name, state and
    county from its ``daily`` rows; the chain and certified beds of its latest
    provider-information release and the turnover of the release that covers
    the quarter (``providers``).
    """
    facility = ["provnum", "quarter"]
    ids = daily.group_by(facility).aggregate(
        provname=daily.provname.max(),
        state=daily.state.max(),
        county=daily.state.max() + "/" + daily.county_fips.cast("string").max().fill_null(""),
    )
    latest = providers.group_by("provnum").aggregate(
        chain=providers.chain.argmax(providers.release),
        certified_beds=providers.certified_beds.argmax(providers.release),
    )
    turnover = providers.group_by(
        ["provnum", providers.staffing_quarter.name("quarter")]
    ).aggregate(
        total_turnover=providers.total_turnover.argmax(providers.release),
        rn_turnover=providers.rn_turnover.argmax(providers.release),
    )
    m = measures
    joined = (
        m.join(ids, facility)
        .left_join(latest, m.provnum == latest.provnum)
        .left_join(turnover, (m.provnum == turnover.provnum) & (m.quarter == turnover.quarter))
    )
    return joined.select(
        provnum=m.provnum,
        quarter=m.quarter,
        provname=ids.provname,
        state=ids.state,
        county=ids.county,
        chain=latest.chain,
        certified_beds=latest.certified_beds,
        beds_band=beds_band(latest.certified_beds),
        days_reported=m.days_reported,
        avg_census=m.avg_census,
        total_hprd=m.total_hprd,
        rn_hprd=m.rn_hprd,
        lpn_hprd=m.lpn_hprd,
        aide_hprd=m.aide_hprd,
        weekend_total_hprd=m.weekend_total_hprd,
        weekend_gap_hprd=m.total_hprd - m.weekend_total_hprd,
        contract_share=m.contract_share,
        zero_rn_days=m.zero_rn_days.cast("float64"),
        rn_under_8h_days=m.rn_under_8h_days.cast("float64"),
        total_turnover=turnover.total_turnover,
        rn_turnover=turnover.rn_turnover,
        excluded=m.excluded,
    ).order_by(["quarter", "provnum"])


def _build_sql(con: DuckDBPyConnection, measures: str = "quarterly_nurse_measures") -> str:
    """``history_expression`` over the store's tables, as SQL to create the table with."""
    from carecover.engines.duckdb import sql_of, table_of

    return sql_of(
        history_expression(
            table_of(con, measures),
            table_of(con, "daily_nurse_staffing"),
            table_of(con, "provider_info"),
        )
    )


def _is_current(con: DuckDBPyConnection, name: str) -> bool:
    return _is_stamped(con, name, _stamp(con))


def _derived(con: DuckDBPyConnection, name: str) -> str | None:
    """The key ``pbj_derived`` records for ``name`` (``None``: none)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pbj_derived'"
    ).fetchall()
    if not exists[0][0]:
        return None
    row = con.execute("SELECT code_key FROM pbj_derived WHERE name = ?", [name]).fetchall()
    return str(row[0][0]) if row else None


def _is_stamped(con: DuckDBPyConnection, name: str, stamp: str) -> bool:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('pbj_derived', ?)",
        [name],
    ).fetchall()
    if exists[0][0] < 2:
        return False
    row = con.execute("SELECT code_key FROM pbj_derived WHERE name = ?", [name]).fetchall()
    return bool(row) and row[0][0] == stamp


def refresh_history(con: DuckDBPyConnection) -> None:
    """Rebuild ``history_measures`` (and the quarterly summary under it) in one transaction."""
    from carecover.pbj.derived import catch_up
    from carecover.pbj.history.providers import PROVIDER_DDL
    from carecover.pbj.measures.compiled import _cache_key
    from carecover.storefile import abort

    con.execute(PROVIDER_DDL)
    code = _cache_key(False)
    if _is_current(con, HISTORY_TABLE) and _derived(con, _CODE) == code:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        catch_up(con)  # the loads' marked quarters; rebuilt whole if from other code
        con.execute(f"CREATE OR REPLACE TABLE {HISTORY_TABLE} AS {_build_sql(con)}")
        _build_minimums(con)
        con.execute(
            "CREATE TABLE IF NOT EXISTS pbj_derived (name VARCHAR PRIMARY KEY, code_key VARCHAR)"
        )
        con.execute(
            "INSERT OR REPLACE INTO pbj_derived VALUES (?, ?)", [HISTORY_TABLE, _stamp(con)]
        )
        con.execute("INSERT OR REPLACE INTO pbj_derived VALUES (?, ?)", [_CODE, code])
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)


def _build_minimums(con: DuckDBPyConnection) -> None:
    """Store every facility-quarter's state minimum rows (``minimums.minimum_rows``)."""
    from carecover.pbj.measures.minimums import minimum_table
    from carecover.pbj.store import ibis_table, quiet_ibis

    with quiet_ibis():
        rows = minimum_table(ibis_table(con, "daily_nurse_staffing")).to_pyarrow()
    con.register("history_minimum_rows", rows)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {MINIMUMS_TABLE} AS "
            "SELECT * FROM history_minimum_rows ORDER BY state, period, provnum, rule"
        )
    finally:
        con.unregister("history_minimum_rows")


def minimums_of(
    con: DuckDBPyConnection,
    table: str,
    *,
    state: str | None = None,
    facility: str | None = None,
    quarter: str | None = None,
) -> list[dict[str, Any]]:
    """State minimum rows (``minimums.COLUMNS``) of a state or facility in ``quarter``.

    Read from ``history_minimums`` when ``table`` is the current stored
    facility-quarter table (built in the same transaction), else computed
    from the daily rows.
    """
    if table != HISTORY_TABLE:
        from carecover.pbj.measures.minimums import minimum_rows
        from carecover.pbj.store import ibis_table

        daily = ibis_table(con, "daily_nurse_staffing")
        return minimum_rows(daily, state=state, facility=facility, quarter=quarter)
    where, params = ["true"], []
    for column, value in (("state", state), ("provnum", facility), ("period", quarter)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value.upper() if column == "state" else value)
    cursor = con.execute(
        f"SELECT * FROM {MINIMUMS_TABLE} WHERE {' AND '.join(where)} "
        "ORDER BY provnum, period, rule",
        params,
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def history_table(con: DuckDBPyConnection, *, read_only: bool = True) -> str:
    """The name of a current facility-quarter measures table on ``con``.

    The stored ``history_measures`` when it is current; else it is rebuilt
    (writable connection) or built as a temporary table (read-only store).
    ``NotFoundError`` when the store holds no staffing files at all.
    """
    ((stored,),) = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_name IN ('loaded_files', 'daily_nurse_staffing')"
    ).fetchall()
    if stored < 2:
        from carecover.errors import NotFoundError

        raise NotFoundError("this store holds no staffing files: load them with `pbj history load`")
    if _is_current(con, HISTORY_TABLE):
        return HISTORY_TABLE
    if not read_only:
        refresh_history(con)
        return HISTORY_TABLE
    temp = "history_measures_live"
    has_provider = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'provider_info'"
    ).fetchall()[0][0]
    if not has_provider:
        from carecover.pbj.history.providers import PROVIDER_DDL

        con.execute(PROVIDER_DDL.replace("CREATE TABLE", "CREATE TEMP TABLE"))
    con.execute(f"CREATE OR REPLACE TEMP VIEW history_source AS {_measures_source(con)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {temp} AS {_build_sql(con, 'history_source')}")
    return temp


def _measures_source(con: DuckDBPyConnection) -> str:
    """A SELECT of the stored quarterly summary when current, else of its query over the days."""
    from carecover.pbj.measures.compiled import SUMMARY, _bound, summary_is_current

    if summary_is_current(con):
        return f"SELECT * FROM {SUMMARY}"
    return _bound("SELECT * FROM daily_nurse_staffing", checked=False)


def _kind_of(path: Path) -> str:
    from carecover.pbj.history.providers import is_provider_info

    return "provider_info" if is_provider_info(path) else "daily"


def load_history(
    con: DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    quarantine: bool = False,
    progress: ProgressCallback | None = None,
    on_loaded: FileCallback | None = None,
    memory_limit: str | None = None,
) -> list[HistoryFile]:
    """Load daily staffing and provider-information files, then rebuild ``history_measures``.

    Each file is its own transaction; a failure stops the load after the
    files before it were committed (run the same command again to resume).
    ``memory_limit`` (DuckDB's, e.g. ``"1.5GB"``) caps the memory DuckDB
    keeps; beyond it DuckDB spills to disk.
    """
    if memory_limit is not None:
        from carecover.storefile import cap_memory

        cap_memory(con, memory_limit)
    from carecover.pbj.history.providers import PROVIDER_DDL, load_provider_release
    from carecover.pbj.publicfile.head import check_public_head
    from carecover.pbj.publicfile.loading import load_file

    con.execute(PROVIDER_DDL)
    files = [Path(p) for p in paths]
    sizes = [f.stat().st_size for f in files]
    total, done = sum(sizes), 0
    results: list[HistoryFile] = []
    for file, size in zip(files, sizes, strict=True):
        if progress is not None:
            progress(done, total, file.name)
        check_public_head(file)
        if _kind_of(file) == "provider_info":
            release, rows, skipped = load_provider_release(con, file)
            result = HistoryFile(str(file), "provider_info", rows, (release,), skipped)
        else:
            r = load_file(con, file, quarantine=quarantine)
            result = HistoryFile(str(file), r.kind, r.rows_loaded, r.quarters, r.skipped)
        results.append(result)
        if on_loaded is not None:
            on_loaded(result)
        done += size
        if progress is not None:
            progress(done, total, file.name)
    refresh_history(con)
    return results
