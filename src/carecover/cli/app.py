"""The root Typer application; each domain adds its command group here.

Groups are imported only when they run (``lazy.py``), so start-up stays
fast: add a group as one line of ``GROUPS``: name -> (module, the one-line
help its ``--help`` shows; tests/cli/test_lazy.py checks they agree).
"""

from __future__ import annotations

import typer

from carecover.cli.lazy import lazy_root

GROUPS = {
    "backup": (
        "carecover.cli.backup",
        "Backup staffing (NC Innovations): classify, validate, roll up.",
    ),
    "pbj": ("carecover.cli.pbj", "Payroll-Based Journal: validate, write, load and measure."),
    "mds": ("carecover.cli.mds", "MDS 3.0 assessments and the daily resident census."),
    "rating": (
        "carecover.cli.rating",
        "Five-Star staffing rating: recompute CMS's stars, explain them, project a quarter.",
    ),
    "facility": (
        "carecover.cli.facility",
        "A facility's own figures from its own PBJ XML and MDS files.",
    ),
    "synth": ("carecover.cli.synth", "Synthetic data with realistic national distributions."),
    "serve": (
        "carecover.cli.serve",
        "Run the web portal under gunicorn (settings from CARECOVER_* variables).",
    ),
    "worker": (
        "carecover.cli.worker",
        "Run the portal's scheduled jobs: reminders in the portal and by e-mail.",
    ),
}

app = typer.Typer(
    name="carecover",
    help="Staffing compliance in long-term care.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=lazy_root(GROUPS),
)


@app.callback()
def _root() -> None:
    """Staffing compliance in long-term care."""
