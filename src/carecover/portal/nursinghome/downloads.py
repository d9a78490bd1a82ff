"""The facility page's tables as downloads (CSV or XLSX), safe against formula injection.

Each download is one ``carecover.backup.export.Table`` built from the same
``FacilityFigures`` the page shows, written by ``export.to_csv`` /
``export.write_xlsx`` (both neutralise a cell a spreadsheet would run as a
formula: a resident or file name starting with ``=`` is shown, never run).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from carecover.backup.export import to_csv, write_xlsx
from carecover.backup.rollup import Cell, Table
from carecover.facility.overview import FacilityFigures
from carecover.pbj.measures.staffing import QUARTERLY_COLUMNS

__all__ = ["DOWNLOADS", "FORMATS", "as_csv", "as_xlsx", "download_table"]

DAILY_COLUMNS = (
    "workdate",
    "weekend",
    "census",
    "rn_hours",
    "lpn_hours",
    "aide_hours",
    "total_hours",
    "contract_hours",
    "rn_hprd",
    "total_hprd",
    "zero_rn",
    "rn_under_8h",
)
FORMATS = ("csv", "xlsx")


def _cell(value: object) -> Cell:
    """A value as a table cell: flags as yes/no, numbers and dates as they are."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _daily(f: FacilityFigures) -> Table:
    rows = tuple(tuple(_cell(r[c]) for c in DAILY_COLUMNS) for r in f.daily)
    return Table("daily", f"{f.ccn} daily figures, {f.quarter}", DAILY_COLUMNS, rows)


def _measures(f: FacilityFigures) -> Table:
    columns = ("source", *QUARTERLY_COLUMNS)
    rows = tuple(
        (source, *(_cell(r[c]) for c in QUARTERLY_COLUMNS))
        for source, found in (
            ("facility PBJ", f.own_measures),
            ("CMS public file", f.public_measures),
        )
        for r in found
    )
    return Table("measures", f"{f.ccn} quarterly measures", columns, rows)


def _coverage(f: FacilityFigures) -> Table:
    columns = ("workdate", "weekday", "weekend", "census", "rn_hours", "coverage")
    rows = tuple(
        (
            d.workdate,
            d.workdate.strftime("%A"),
            _cell(d.weekend),
            d.census,
            d.rn_hours,
            {"X": "no RN", "<": "under 8 RN hours", ".": "covered"}.get(d.mark, "no residents"),
        )
        for d in f.coverage
    )
    return Table("coverage", f"{f.ccn} RN coverage, {f.quarter}", columns, rows)


def _census_risk(f: FacilityFigures) -> Table:
    columns = (
        "last_name",
        "first_name",
        "resident_key",
        "last_record_date",
        "last_a0310f",
        "gone_on",
        "days_left",
    )
    rows = tuple(
        (
            r.last_name,
            r.first_name,
            r.resident_key,
            r.last_record_date,
            r.last_a0310f,
            r.gone_on,
            r.days_left,
        )
        for r in f.census_risk
    )
    return Table("census-risk", f"{f.ccn} census risk as of {f.lists_as_of}", columns, rows)


def _missing(f: FacilityFigures) -> Table:
    columns = ("last_name", "first_name", "resident_key", "last_obra_date", "reason")
    rows = tuple(
        (r.last_name, r.first_name, r.resident_key, r.last_obra_date, r.reason) for r in f.missing
    )
    return Table(
        "missing-assessments", f"{f.ccn} missing assessments as of {f.lists_as_of}", columns, rows
    )


#: Download name → (label on the page, table builder).
DOWNLOADS: dict[str, tuple[str, Callable[[FacilityFigures], Table]]] = {
    "daily": ("Daily figures", _daily),
    "measures": ("Quarterly measures", _measures),
    "coverage": ("RN-coverage calendar", _coverage),
    "census-risk": ("Census risk", _census_risk),
    "missing-assessments": ("Missing assessments", _missing),
}


def download_table(name: str, figures: FacilityFigures) -> Table:
    """The table behind download ``name`` (a ``KeyError`` for an unknown name)."""
    return DOWNLOADS[name][1](figures)


def as_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (Excel reads the accents)."""
    return ("\ufeff" + to_csv([table])).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet."""
    with tempfile.TemporaryDirectory(prefix="carecover-") as folder:
        path = write_xlsx([table], Path(folder) / "download.xlsx")
        return path.read_bytes()
