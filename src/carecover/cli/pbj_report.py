"""CLI command: ``carecover pbj report 1700D|1702D|1702S|1703D|1704D|1704S``.

CASPER-style PBJ reports (``carecover.pbj.submission.casper``) over PBJ XML submissions
(FILE, validated and loaded into a scratch store), MDS files (``--mds``) or a
store (``--db``) that holds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carecover.cli.options import parse_date
from carecover.cli.pbj_render import Format, render

__all__ = ["register", "report"]


def report(
    number: Annotated[
        str, typer.Argument(metavar="REPORT", help="1700D, 1702D, 1702S, 1703D, 1704D or 1704S.")
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="PBJ XML submissions (or ZIPs); none = read --db.", exists=True),
    ] = None,
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3.")] = "",
    mds: Annotated[
        list[Path] | None,
        typer.Option("--mds", help="MDS extract or XML for 1704D/1704S; repeat.", exists=True),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="A DuckDB store with PBJ XML hours or MDS records."),
    ] = None,
    facility: Annotated[
        str | None,
        typer.Option("--facility", help="PBJ facilityId (1700D-1703D) or CCN (1704D/1704S)."),
    ] = None,
    submitted_on: Annotated[
        str | None,
        typer.Option("--submitted-on", help="Day the PBJ goes to CMS (ISO; default today)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """CASPER-style PBJ reports: employees, daily staffing, summary, job titles, MDS census."""
    from carecover.errors import InputError
    from carecover.pbj.calendar import Quarter
    from carecover.pbj.store import connect
    from carecover.pbj.submission.casper import REPORTS, report_rows

    chosen = REPORTS.get(number.upper())
    if chosen is None:
        raise InputError(f"unknown report {number!r}; one of {', '.join(REPORTS)}")
    if not quarter:
        raise InputError("--quarter is required, e.g. --quarter 2026Q3", field="quarter")
    q = Quarter.parse(quarter)
    given = list(files or []) if chosen.needs == "pbj" else list(mds or [])
    if not given and db is None:
        what = "PBJ XML FILE" if chosen.needs == "pbj" else "--mds FILE"
        raise InputError(f"report {chosen.number} needs a {what} or --db")
    con = connect(db.expanduser(), read_only=True) if db is not None and not given else None
    if con is None:
        con = connect(":memory:")
        if chosen.needs == "pbj":
            from carecover.pbj.submission.store import load_xml

            day = parse_date(submitted_on, "--submitted-on") if submitted_on else None
            for path in given:
                load_xml(con, path, submitted_on=day)
        else:
            from carecover.mds.store import create_mds_schema, load_files

            create_mds_schema(con)
            load_files(con, given)
    try:
        rows = report_rows(con, chosen.number, q, facility=facility)
    finally:
        con.close()
    if fmt is Format.TABLE:
        typer.echo(f"{chosen.number} {chosen.name} — {q} (columns ours; see docs/pbj-reports.md)")
    render(rows, chosen.columns, fmt)


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``pbj`` group."""
    app.command("report")(report)
