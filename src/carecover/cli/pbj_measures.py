"""CLI commands: ``carecover pbj measures`` and ``pbj coverage`` (``pbj load``: ``pbj_load``).

Each reads CMS's PBJ public-use files (given as FILE arguments) or, with no
files, the DuckDB store (``--db``). Ibis and DuckDB are imported inside the
commands so that ``carecover --help`` stays fast.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from carecover.pbj.calendar import Quarter

DEFAULT_DB = "~/.local/share/carecover/staffing.duckdb"


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(help="PBJ Daily Nurse Staffing CSV files; none = read the store.", exists=True),
]
DbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB staffing store (used when no FILE is given).")
]
QuarterOption = Annotated[
    str | None, typer.Option("--quarter", help="Only this calendar quarter, e.g. 2024Q2.")
]
FacilityOption = Annotated[
    str | None, typer.Option("--facility", help="Only this facility (6-character CCN).")
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]

_DECIMALS = {"hprd": 5, "avg_census": 2, "contract_share": 4, "hours": 2}


def _source(files: Sequence[Path] | None, db: Path) -> Any:
    return list(files) if files else db.expanduser()


def _quarter(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def _places(name: str) -> int | None:
    for key, places in _DECIMALS.items():
        if name.endswith(key) or name == key:
            return places
    return None


def _round(name: str, value: Any) -> Any:
    places = _places(name)
    if places is None or not isinstance(value, float):
        return value
    return round(value, places)


def _cell(value: Any, places: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if places is not None and isinstance(value, float):
        value = round(value, places)
    return str(value)


def _rounded_texts(values: list[float | None], places: int) -> list[str]:
    """``str(round(v, places))`` of each value ("" for None), about twice as fast.

    ``fmt % v`` rounds exactly as ``round`` does (both correctly round the
    binary value to ``places`` decimals); for 1e-4 <= |v| < 1e9 that decimal
    has at most 15 significant digits, so ``str`` of the rounded float prints
    it back, without the trailing zeros. Outside that range ``str`` may switch
    to exponent notation: ask it.
    """
    fmt = f"%.{places}f"
    texts = []
    for v in values:
        if v is None:
            texts.append("")
        elif 1e-4 <= abs(v) < 1e9:
            text = (fmt % v).rstrip("0")
            texts.append(text + "0" if text[-1] == "." else text)
        else:
            texts.append(str(round(v, places)))
    return texts


def _column_texts(values: list[Any], places: int | None) -> list[str]:
    if places is not None and all(type(v) is float or v is None for v in values):
        # The hot case (hours, HPRD): one loop per column, not a call per cell.
        return _rounded_texts(values, places)
    if all(type(v) is str for v in values):
        return values
    if all(type(v) is int for v in values):
        return [str(v) for v in values]
    return [_cell(v, places) for v in values]


def _cells(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[tuple[str, ...]]:
    # Column by column: the rounding of each is looked up once, not once per cell.
    texts = [_column_texts([r[c] for r in rows], _places(c)) for c in columns]
    return list(zip(*texts, strict=True)) if rows else []


def _render(rows: list[dict[str, Any]], columns: Sequence[str], fmt: Format) -> None:
    if fmt is Format.JSON:
        data = [{c: _round(c, r[c]) for c in columns} for r in rows]
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    if fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(_cells(rows, columns))
        return
    table = [tuple(columns), *_cells(rows, columns)]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for index, row in enumerate(table):
        typer.echo("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            typer.echo("  ".join("-" * w for w in widths))
    if not rows:
        typer.echo("(no facility-days match)")


def measures(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    daily: Annotated[bool, typer.Option("--daily", help="One row per facility-day.")] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Staffing measures per facility-quarter (or per day with --daily)."""
    if not daily:
        # The quarterly measures run as compiled SQL on DuckDB: no Ibis import.
        from carecover.pbj.measures import QUARTERLY_COLUMNS
        from carecover.pbj.measures_sql import quarterly_rows

        rows = quarterly_rows(_source(files, db), quarter=_quarter(quarter), facility=facility)
        _render(rows, QUARTERLY_COLUMNS, fmt)
        return
    from carecover.pbj.measures import daily_measures, to_rows

    table = daily_measures(_source(files, db), quarter=_quarter(quarter), facility=facility)
    _render(to_rows(table), list(table.columns), fmt)


def coverage(
    files: FilesArg = None,
    db: DbOption = Path(DEFAULT_DB),
    quarter: QuarterOption = None,
    facility: FacilityOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Calendar of days without an RN and with under 8 RN hours, weekends marked."""
    from carecover.pbj.coverage import month_grid, rn_coverage

    days = rn_coverage(_source(files, db), quarter=_quarter(quarter), facility=facility)
    if fmt is Format.TABLE:
        for line in month_grid(days) or ["(no facility-days match)"]:
            typer.echo(line)
        return
    columns = [
        "provnum",
        "quarter",
        "workdate",
        "weekend",
        "census",
        "rn_hours",
        "zero_rn",
        "rn_under_8h",
    ]
    _render([{c: getattr(d, c) for c in columns} for d in days], columns, fmt)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("measures")(measures)
    app.command("coverage")(coverage)
