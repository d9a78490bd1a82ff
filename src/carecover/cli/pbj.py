"""``carecover pbj ...``: Payroll-Based Journal files and measures."""

from __future__ import annotations

import typer

from carecover.cli import (
    pbj_benchmark,
    pbj_employees,
    pbj_export,
    pbj_history,
    pbj_load,
    pbj_measures,
    pbj_minimums,
    pbj_nonnurse,
    pbj_onsite,
    pbj_report,
    pbj_validate,
)

app = typer.Typer(
    help="Payroll-Based Journal: validate, write, load and measure.", no_args_is_help=True
)
pbj_validate.register(app)
pbj_export.register(app)
pbj_measures.register(app)
pbj_load.register(app)
pbj_onsite.register(app)
pbj_minimums.register(app)
pbj_benchmark.register(app)
pbj_history.register(app)
pbj_report.register(app)
pbj_nonnurse.register(app)
app.add_typer(pbj_employees.app, name="employees")
