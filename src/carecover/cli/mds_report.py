"""``carecover mds report KIND`` (CASPER-style reports) and ``carecover mds reconcile``."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from carecover.cli.engine_options import SparkMasterOption, engine_for
from carecover.cli.options import WaitOption, optional_date, parse_date, wait_for_stores
from carecover.engines import EngineName
from carecover.errors import ConfigError, InputError
from carecover.mds.census_risk import DEFAULT_HORIZON_DAYS, census_risk
from carecover.mds.movements import admissions, discharges
from carecover.mds.quarantine import record_errors
from carecover.mds.reconcile import Reconciliation, attach_pbj_store, reconcile_census
from carecover.mds.reports import missing_assessments, roster
from carecover.mds.sequencing import sequence_errors
from carecover.mds.store import DEFAULT_STORE, open_store

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


class Report(StrEnum):
    """The reports of ``mds report``."""

    ROSTER = "roster"
    ADMISSIONS = "admissions"
    DISCHARGES = "discharges"
    MISSING = "missing"
    RISK = "risk"
    DUPLICATES = "duplicates"
    ERRORS = "errors"


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(help="MDS files to read into a scratch store (or into --db); else the store."),
]
DbOption = Annotated[
    Path | None, typer.Option("--db", help=f"DuckDB store (default {DEFAULT_STORE}).")
]
FacilityOption = Annotated[str | None, typer.Option("--facility", help="Only this CCN (A0100B).")]
FormatOption = Annotated[Format, typer.Option("--format", help="table, csv or json.")]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, tuple | list):
        return "|".join(str(v) for v in value)
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _records(rows: Sequence[Any]) -> tuple[list[str], list[dict[str, object]]]:
    if not rows:
        return [], []
    if dataclasses.is_dataclass(rows[0]):
        dicts = [dataclasses.asdict(r) for r in rows]
    else:  # a pair object that is not a dataclass: its public attributes
        dicts = [{k: v for k, v in vars(r).items() if not k.startswith("_")} for r in rows]
    return list(dicts[0]), dicts


def _render(rows: Sequence[Any], fmt: Format, columns: list[str]) -> None:
    found, dicts = _records(rows)
    columns = found or columns
    if fmt is Format.JSON:
        data = [{k: _json_value(v) for k, v in d.items()} for d in dicts]
        typer.echo(json.dumps(data, indent=2))
        return
    table = [[_cell(d[c]) for c in columns] for d in dicts]
    if fmt is Format.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
        typer.echo(out.getvalue(), nl=False)
        return
    widths = [max([len(c), *(len(r[i]) for r in table)]) for i, c in enumerate(columns)]
    typer.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in table:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    if not table:
        typer.echo("(none)")


def _duplicates(
    con: DuckDBPyConnection, facility: str | None, threshold: float, engine: Any
) -> list[Any]:
    try:
        from carecover.mds.duplicates import probable_duplicates
    except ImportError:
        raise ConfigError(
            "duplicate detection is not available in this build (carecover.mds.duplicates"
            " is missing)"
        ) from None
    return list(probable_duplicates(con, facility=facility, threshold=threshold, engine=engine))


# Column names shown when a report has no rows (table and CSV headers).
_EMPTY_COLUMNS = {
    Report.ROSTER: ["facility", "resident_key", "first_name", "last_name", "entry_date"],
    Report.ADMISSIONS: ["facility", "entry_date", "kind", "resident_key"],
    Report.DISCHARGES: ["facility", "discharge_date", "kind", "a0310f", "resident_key"],
    Report.MISSING: ["facility", "resident_key", "last_obra_date", "reason"],
    Report.RISK: ["facility", "gone_on", "days_left", "last_record_date", "resident_key"],
    Report.DUPLICATES: ["key_a", "key_b", "probability", "differing_fields", "facility"],
    Report.ERRORS: ["facility", "source_file", "record", "item", "problem", "error"],
}


def report(
    kind: Annotated[Report, typer.Argument(help="Which report.")],
    files: FilesArg = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Run date (default today), e.g. 2026-03-31.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="admissions/discharges: first day (default --to minus 29)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="admissions/discharges: last day (default --on).")
    ] = None,
    db: DbOption = None,
    facility: FacilityOption = None,
    horizon: Annotated[
        int,
        typer.Option("--horizon", min=0, help="risk: days ahead to look for the 150-day clock."),
    ] = DEFAULT_HORIZON_DAYS,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0, help="duplicates: least match probability."),
    ] = 0.8,
    fmt: FormatOption = Format.TABLE,
    wait: WaitOption = 0.0,
    engine: Annotated[
        EngineName,
        typer.Option(
            "--engine",
            help="duplicates: where Splink links residents, duckdb (default) or spark.",
        ),
    ] = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
) -> None:
    """CASPER-style reports: roster, admissions, discharges, missing, risk, duplicates, errors."""
    if engine is not EngineName.DUCKDB and kind is not Report.DUPLICATES:
        raise InputError(
            f"--engine {engine} runs the duplicates report only; {kind} runs on duckdb",
            field="--engine",
        )
    wait_for_stores(wait)
    as_of = optional_date(on, "--on") or date.today()
    last = optional_date(end, "--to") or as_of
    first = optional_date(start, "--from") or last - timedelta(days=29)
    con = open_store(files or [], db)
    try:
        rows: Sequence[Any]
        if kind is Report.ROSTER:
            rows = roster(con, as_of, facility=facility)
        elif kind is Report.ADMISSIONS:
            rows = admissions(con, first, last, facility=facility)
        elif kind is Report.DISCHARGES:
            rows = discharges(con, first, last, facility=facility)
        elif kind is Report.MISSING:
            rows = missing_assessments(con, as_of, facility=facility)
        elif kind is Report.RISK:
            rows = census_risk(con, as_of, facility=facility, horizon_days=horizon)
        elif kind is Report.DUPLICATES:
            # Records are read and checked on DuckDB as always; Splink links on the engine.
            with engine_for(engine, spark_master) as on:
                rows = _duplicates(con, facility, threshold, on)
        else:
            # The errors are a list of what is waiting to be fixed: --on does not apply.
            # Refused records first, then accepted records out of sequence.
            rows = [
                *record_errors(con, facility=facility),
                *sequence_errors(con, facility=facility),
            ]
    finally:
        con.close()
    _render(rows, fmt, _EMPTY_COLUMNS[kind])


def _same_file(a: Path | None, b: Path) -> bool:
    return Path(a or DEFAULT_STORE).expanduser().resolve() == b.expanduser().resolve()


def _summary_lines(result: Reconciliation) -> list[str]:
    return [
        f"days compared: {result.days_compared}",
        f"days equal: {result.days_equal}",
        f"mean absolute difference: {result.mean_absolute_difference:.4f}",
        f"days without a PBJ row: {result.days_without_pbj}",
    ]


def reconcile(
    pbj_db: Annotated[
        Path, typer.Option("--pbj-db", help="The store holding the PBJ public file (pbj load).")
    ],
    start: Annotated[str, typer.Option("--from", help="First day, e.g. 2026-01-01.")],
    end: Annotated[str, typer.Option("--to", help="Last day, e.g. 2026-03-31.")],
    files: FilesArg = None,
    db: DbOption = None,
    facility: FacilityOption = None,
    fmt: FormatOption = Format.TABLE,
    wait: WaitOption = 0.0,
) -> None:
    """Our MDS census against the PBJ public file's MDScensus: the days that differ."""
    wait_for_stores(wait)
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    con = open_store(files or [], db)
    try:
        same = (not files or db is not None) and _same_file(db, pbj_db)
        table = attach_pbj_store(con, pbj_db, same_file=same)
        result = reconcile_census(con, first, last, facility=facility, pbj_table=table)
    finally:
        con.close()
    if fmt is Format.JSON:
        summary = {k: v for k, v in dataclasses.asdict(result).items() if k != "differences"}
        data = [
            {k: _json_value(v) for k, v in dataclasses.asdict(d).items()}
            for d in result.differences
        ]
        typer.echo(json.dumps({"summary": summary, "differences": data}, indent=2))
        return
    if fmt is Format.CSV:
        for line in _summary_lines(result):
            typer.echo(line, err=True)
    else:
        typer.echo("\n".join(_summary_lines(result)) + "\n")
    _render(result.differences, fmt, ["facility", "date", "ours", "pbj", "difference"])


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``reconcile`` to the ``mds`` command group."""
    app.command("report")(report)
    app.command("reconcile")(reconcile)
